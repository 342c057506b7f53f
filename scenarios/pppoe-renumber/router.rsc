# A PPPoE home router with two forwards of the same server, as the forum
# writes them: one on the WAN address written out (method 3), one on
# dst-address-type=local with the LAN gateway left out (method 4), and the
# hairpin masquerade (method 2). The ISP then gives the session another
# address (renumber-wan hangs it up; the client dials again).
/ip firewall nat
add action=dst-nat chain=dstnat comment="literal: the address IPCP gave" dst-address=203.0.113.2 dst-port=12567 protocol=tcp to-addresses=192.168.88.10 to-ports=12566
add action=dst-nat chain=dstnat comment="local: any address of the router" dst-address=!192.168.88.1 dst-address-type=local dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 src-address=192.168.88.0/24
