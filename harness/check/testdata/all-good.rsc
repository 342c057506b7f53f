# 2024-10-14 17:21:54 by RouterOS 7.16
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1
add address=192.168.88.1/24 interface=ether2
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.0/24 log=yes log-prefix=HAIRPIN src-address=192.168.88.0/24
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=25565 protocol=udp to-addresses=192.168.88.11
