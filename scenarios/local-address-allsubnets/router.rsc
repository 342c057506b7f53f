# Method 4 for several subnets: the forward excludes every LAN subnet by an
# address list, which leaves the WAN address.
/ip firewall address-list
add address=192.168.88.0/24 list=allsubnets
add address=192.168.89.0/24 list=allsubnets
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: local addresses outside every LAN" dst-address-list=!allsubnets dst-address-type=local dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: general src-nat" dst-address=192.168.88.0/24 src-address=192.168.88.0/24
