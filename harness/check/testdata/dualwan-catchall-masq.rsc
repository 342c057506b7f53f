# apr/23/2016 15:41:50 by RouterOS 6.22
# realcheck27 D1's shape: two static WANs with failover by distance and
# check-gateway, one masquerade that names no out-interface, a forward.
/interface ethernet
set [ find default-name=ether6 ] name=ether6-WAN1
set [ find default-name=ether7 ] name=ether7-WAN2
/interface bridge
add name=bridge2-DMZ
/interface bridge port
add bridge=bridge2-DMZ interface=ether1
/ip address
add address=192.168.1.1/24 interface=bridge2-DMZ network=192.168.1.0
add address=87.251.141.242/25 interface=ether7-WAN2 network=87.251.141.128
add address=109.197.29.19/28 interface=ether6-WAN1 network=109.197.29.16
/ip firewall nat
add action=masquerade chain=srcnat
add action=dst-nat chain=dstnat comment="DVR WAN1" dst-address=109.197.29.19 \
    dst-port=37778 protocol=tcp to-addresses=192.168.1.127
/ip route
add check-gateway=ping distance=2 gateway=109.197.29.17
add check-gateway=ping distance=3 gateway=87.251.141.129
