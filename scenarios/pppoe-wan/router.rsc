# Method 4 on a PPPoE WAN: forward whatever local address of the router is
# asked for, except the LAN's, plus the hairpin src-nat.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: any local address but the LAN's" dst-address=!192.168.88.1 dst-address-type=local dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: general src-nat" dst-address=192.168.88.0/24 src-address=192.168.88.0/24
