# The port forward of the hairpin lab, without any hairpin rule.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami and iperf3" dst-address=203.0.113.2 dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="port forward: whoami over udp" dst-address=203.0.113.2 dst-port=12566 protocol=udp to-addresses=192.168.88.10
