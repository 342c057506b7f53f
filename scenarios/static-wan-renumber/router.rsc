# Method 3: a correct dst-nat on the static WAN address, and one general
# src-nat rule for every LAN host talking to every LAN host through the
# router.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami and iperf3" dst-address=203.0.113.2 dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="port forward: whoami over udp" dst-address=203.0.113.2 dst-port=12566 protocol=udp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: method 3" dst-address=192.168.88.0/24 src-address=192.168.88.0/24
