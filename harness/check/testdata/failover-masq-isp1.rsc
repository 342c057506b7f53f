# 2026-11-28 09:12:40 by RouterOS 7.16.2
# software id = QX7R-2PLM
#
# model = RB5009UG+S+
/interface bridge
add name=bridge-lan
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge-lan interface=ether3
add bridge=bridge-lan interface=ether4
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
add interface=bridge-lan list=LAN
/ip address
add address=192.168.50.1/24 interface=bridge-lan network=192.168.50.0
add address=203.0.113.10/29 interface=ether1 network=203.0.113.8
add address=198.51.100.20/28 interface=ether2 network=198.51.100.16
/ip dns
set allow-remote-requests=yes servers=203.0.113.9
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input in-interface-list=LAN
add action=drop chain=input
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1 comment="ISP1 only"
/ip route
add distance=1 gateway=203.0.113.9 comment=ISP1
add distance=2 gateway=198.51.100.17 comment=ISP2
/system identity
set name=office-gw
