# Method 2 on a router in its default shape: the LAN is the bridge, so the
# hairpin rule names the bridge as its out-interface (the forum post's
# out-interface=LAN), not a port of it.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami and iperf3" dst-address=203.0.113.2 dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: method 2" dst-address=192.168.88.10 dst-port=12566,5201 out-interface=bridge protocol=tcp src-address=192.168.88.0/24
