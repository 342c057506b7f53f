# No VLAN interface on the router: the trunk's VLANs meet only on the wire.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami" dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.20.10
