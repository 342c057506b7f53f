# apr/23/2016 15:41:50 by RouterOS 6.22
# Control of dualwan-catchall-masq.rsc: the same router with one WAN.
/interface ethernet
set [ find default-name=ether6 ] name=ether6-WAN1
/interface bridge
add name=bridge2-DMZ
/interface bridge port
add bridge=bridge2-DMZ interface=ether1
/ip address
add address=192.168.1.1/24 interface=bridge2-DMZ network=192.168.1.0
add address=109.197.29.19/28 interface=ether6-WAN1 network=109.197.29.16
/ip firewall nat
add action=masquerade chain=srcnat
add action=dst-nat chain=dstnat comment="DVR WAN1" dst-address=109.197.29.19 \
    dst-port=37778 protocol=tcp to-addresses=192.168.1.127
/ip route
add check-gateway=ping distance=2 gateway=109.197.29.17
