# Double NAT: forward what the CPE sends us, and catch the LAN's
# connections to the CPE's public address (which is not ours, so
# dst-address-type=local would not match it) for a hairpin.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: from the CPE" dst-port=12566,8080 in-interface=ether1 protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment="hairpin: the CPE's public address" dst-address=203.0.113.2 dst-port=12566,8080 in-interface=ether2 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: answers come back through us" dst-address=192.168.88.10 out-interface=ether2 src-address=192.168.88.0/24
