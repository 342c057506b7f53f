# 2025-07-21 08:12:55 by RouterOS 7.18.2
# software id = TT11-UU22
#
# model = RB4011iGS+
/interface bridge
add name=bridge-lan
/interface list
add name=WAN
add name=LAN
/routing table
add disabled=no fib name=to_ISP1
add disabled=no fib name=to_ISP2
/interface bridge port
add bridge=bridge-lan interface=ether3
add bridge=bridge-lan interface=ether4
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
add interface=bridge-lan list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge-lan network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=198.18.0.2/24 interface=ether2 network=198.18.0.0
/ip dns
set allow-remote-requests=yes servers=9.9.9.9
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall mangle
add action=accept chain=prerouting dst-address=203.0.113.0/24 in-interface-list=LAN
add action=accept chain=prerouting dst-address=198.18.0.0/24 in-interface-list=LAN
add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface-list=LAN new-connection-mark=ISP1_conn passthrough=yes per-connection-classifier=both-addresses:2/0
add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface-list=LAN new-connection-mark=ISP2_conn passthrough=yes per-connection-classifier=both-addresses:2/1
add action=mark-routing chain=prerouting connection-mark=ISP1_conn in-interface-list=LAN new-routing-mark=to_ISP1 passthrough=no
add action=mark-routing chain=prerouting connection-mark=ISP2_conn in-interface-list=LAN new-routing-mark=to_ISP2 passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment="nas ISP1" dst-port=5001 in-interface=ether1 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="nas ISP2" dst-port=5001 in-interface=ether2 protocol=tcp to-addresses=192.168.88.10
/ip route
add check-gateway=ping distance=1 gateway=203.0.113.1
add distance=2 gateway=198.18.0.1
add gateway=203.0.113.1 routing-table=to_ISP1
add gateway=198.18.0.1 routing-table=to_ISP2
/system identity
set name=pcc-lab
