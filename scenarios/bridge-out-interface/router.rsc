# The port forward to the server on bridge1's port ether2.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami" dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
