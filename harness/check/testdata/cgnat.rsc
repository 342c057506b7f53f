# 2024-06-01 12:00:00 by RouterOS 7.15.1
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=100.72.14.9/22 interface=ether1
add address=192.168.50.1/24 interface=ether2
/ip route
add gateway=100.72.12.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat src-address=192.168.50.0/24 dst-address=192.168.50.0/24
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.50.1 dst-port=25565 protocol=tcp to-addresses=192.168.50.5
