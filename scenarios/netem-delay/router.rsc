# Method 2: the port forward plus the narrow hairpin masquerade. The
# default masquerade only matches out-interface-list=WAN, so this rule needs
# no particular position to take effect.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami and iperf3" dst-address=203.0.113.2 dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="port forward: whoami over udp" dst-address=203.0.113.2 dst-port=12566 protocol=udp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: method 2" dst-address=192.168.88.10 dst-port=12566,5201 out-interface=ether2 protocol=tcp src-address=192.168.88.0/24
