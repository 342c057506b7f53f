# Two sites with the same LAN joined over GRE with netmap: the far LAN is
# reached as 10.99.0.0/24 (a dstnat netmap to 192.168.88.0/24) and the
# far site sees this LAN as 10.88.0.0/24 (a srcnat netmap into the
# tunnel). The translated destination is this router's own connected LAN,
# so the connections are marked in mangle prerouting (before dstnat) and
# routed by a table whose route to 192.168.88.0/24 goes through gre1; the
# marked connections are kept out of defconf's fasttrack, whose fast path
# would route their later packets by the main table.
/interface gre
add local-address=203.0.113.2 name=gre1 remote-address=198.51.100.61
/ip address
add address=10.66.1.1/30 interface=gre1 network=10.66.1.0
/routing table
add fib name=to-site
/ip route
add dst-address=192.168.88.0/24 gateway=gre1 routing-table=to-site
/ip firewall mangle
add action=mark-connection chain=prerouting comment=conn connection-state=new dst-address=10.99.0.0/24 in-interface=ether2 new-connection-mark=to-site passthrough=yes
add action=mark-routing chain=prerouting comment=steer connection-mark=to-site in-interface=ether2 new-routing-mark=to-site passthrough=no
/ip firewall nat
add action=netmap chain=dstnat dst-address=10.99.0.0/24 to-addresses=192.168.88.0/24
add action=netmap chain=srcnat out-interface=gre1 src-address=192.168.88.0/24 to-addresses=10.88.0.0/24
/ip firewall filter
set [find comment="defconf: fasttrack"] connection-mark=no-mark
