# A port forward on whatever address the router holds, with the hairpin
# masquerade (method 4 of the forum post): right on the router, useless
# behind carrier-grade NAT.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami" dst-address-type=local dst-port=12566 in-interface-list=!LAN protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="port forward: whoami over udp" dst-address-type=local dst-port=12566 in-interface-list=!LAN protocol=udp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="hairpin: the WAN address from the LAN" dst-address=100.64.0.2 dst-port=12566 in-interface-list=LAN protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin" dst-address=192.168.88.10 out-interface=ether2 src-address=192.168.88.0/24
