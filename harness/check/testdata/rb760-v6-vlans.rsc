# feb/03/2023 11:02:13 by RouterOS 6.49.7
# software id = QWER-TY12
#
# model = RB760iGS
/interface bridge
add name=bridge-lan
/interface vlan
add interface=ether1 name=vlan100-isp vlan-id=100
add interface=ether5 name=vlan50-cams vlan-id=50
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
/ip address
add address=192.168.1.1/24 interface=bridge-lan network=192.168.1.0
add address=198.51.100.66/29 interface=vlan100-isp network=198.51.100.64
add address=10.50.0.1/24 interface=vlan50-cams network=10.50.0.0
/ip route
add distance=1 gateway=198.51.100.65
/ip firewall nat
add action=masquerade chain=srcnat out-interface=vlan100-isp
add action=dst-nat chain=dstnat dst-address=198.51.100.66 dst-port=8000 protocol=tcp to-addresses=10.50.0.10 to-ports=80
add action=dst-nat chain=dstnat dst-address=198.51.100.66 dst-port=443 protocol=tcp to-addresses=192.168.1.5
