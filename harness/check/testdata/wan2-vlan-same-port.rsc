# 2025-01-10 by RouterOS 7.16
/interface bridge
add name=bridge
/interface vlan
add interface=ether1 name=vlan200-wan2 vlan-id=200
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
add interface=vlan200-wan2 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
add address=203.0.113.2/24 interface=ether1
add address=198.18.0.2/29 interface=vlan200-wan2
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface=vlan200-wan2 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
add gateway=198.18.0.1 distance=2
