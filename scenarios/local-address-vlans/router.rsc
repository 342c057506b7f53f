# Method 4 as written for a single subnet: every local address but the
# first LAN's gateway is forwarded.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: any local address but the LAN's" dst-address=!192.168.88.1 dst-address-type=local dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: general src-nat" dst-address=192.168.88.0/24 src-address=192.168.88.0/24
