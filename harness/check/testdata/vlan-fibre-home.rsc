# 2025-03-02 10:00:00 by RouterOS 7.17.2
/interface bridge
add name=bridge
/interface vlan
add interface=ether1 name=vlan7-fibre vlan-id=7
add interface=bridge name=vlan20-iot vlan-id=20
/interface pppoe-client
add add-default-route=yes disabled=no interface=vlan7-fibre name=pppoe-out1 user=home@isp password=secret
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=ether3
/interface list member
add interface=pppoe-out1 list=WAN
add interface=bridge list=LAN
add interface=vlan20-iot list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.168.20.1/24 interface=vlan20-iot network=192.168.20.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8123 in-interface-list=WAN protocol=tcp to-addresses=192.168.20.10 to-ports=8123
