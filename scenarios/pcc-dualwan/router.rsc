# A dual-WAN office router balancing new LAN connections over both ISPs
# with the per-connection classifier, as the RouterOS manual's PCC example
# does (v7: one routing table per ISP). Connections to the router itself
# and to local subnets are exempt, so the hairpin port forward below keeps
# working: without the exemption the hairpin connection would be marked
# and sent to an ISP. The defconf fasttrack rule leaves marked connections
# alone: a fasttracked packet skips mangle, loses its routing mark and
# leaves by the main table's ISP with the other ISP's address.
/ip firewall filter
set [find action=fasttrack-connection] connection-mark=no-mark
/routing table
add fib name=to_ISP1
add fib name=to_ISP2
/ip firewall address-list
add address=192.168.88.0/24 list=connected
add address=203.0.113.0/24 list=connected
add address=198.18.0.0/24 list=connected
/ip firewall mangle
add action=accept chain=prerouting comment="connected networks" dst-address-list=connected in-interface-list=LAN
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether1 new-connection-mark=ISP1_conn
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether3 new-connection-mark=ISP2_conn
add action=mark-connection chain=prerouting comment=pcc connection-mark=no-mark dst-address-type=!local in-interface-list=LAN new-connection-mark=ISP1_conn per-connection-classifier=both-addresses:2/0
add action=mark-connection chain=prerouting comment=pcc connection-mark=no-mark dst-address-type=!local in-interface-list=LAN new-connection-mark=ISP2_conn per-connection-classifier=both-addresses:2/1
add action=mark-routing chain=prerouting connection-mark=ISP1_conn in-interface-list=LAN new-routing-mark=to_ISP1 passthrough=no
add action=mark-routing chain=prerouting connection-mark=ISP2_conn in-interface-list=LAN new-routing-mark=to_ISP2 passthrough=no
add action=mark-routing chain=output connection-mark=ISP1_conn new-routing-mark=to_ISP1 passthrough=no
add action=mark-routing chain=output connection-mark=ISP2_conn new-routing-mark=to_ISP2 passthrough=no
/ip route
add gateway=203.0.113.1@main routing-table=to_ISP1
add gateway=198.18.0.1@main routing-table=to_ISP2
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward" dst-address=203.0.113.2 protocol=tcp dst-port=12566 to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 out-interface-list=LAN protocol=tcp src-address=192.168.88.0/24
