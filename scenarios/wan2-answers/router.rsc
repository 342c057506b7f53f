# A port forward and the router's own answers on the second WAN of a
# dual-WAN router whose main table leaves by WAN1. Connections that come
# in on ether2 are marked, and their answers, the LAN server's (prerouting)
# and the router's own (output), are routed by table to_wan2; marked
# connections are left out of fasttrack, whose packets skip mangle.
/routing table
add fib name=to_wan2
/ip route
add comment=wan2 dst-address=0.0.0.0/0 gateway=198.18.0.1@main routing-table=to_wan2
/ip firewall filter
set [find action=fasttrack-connection] connection-mark=no-mark
/ip firewall mangle
add action=mark-connection chain=prerouting comment="in on wan2" connection-mark=no-mark in-interface=ether2 new-connection-mark=wan2_conn passthrough=yes
add action=mark-routing chain=prerouting comment="answers from the LAN" connection-mark=wan2_conn in-interface-list=LAN new-routing-mark=to_wan2 passthrough=no
add action=mark-routing chain=output comment="the router's answers" connection-mark=wan2_conn new-routing-mark=to_wan2 passthrough=no
/ip firewall nat
add action=dst-nat chain=dstnat comment="forward on wan2" dst-port=12566 in-interface=ether2 protocol=tcp to-addresses=192.168.88.10
