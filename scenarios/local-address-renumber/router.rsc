# Method 4: forward to the server whatever local address of the router was
# asked for, except its LAN address; plus the general src-nat hairpin rule,
# which this method needs as much as the others.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: any local address but the LAN's" dst-address=!192.168.88.1 dst-address-type=local dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="port forward: whoami over udp" dst-address=!192.168.88.1 dst-address-type=local dst-port=12566 protocol=udp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: general src-nat" dst-address=192.168.88.0/24 src-address=192.168.88.0/24
