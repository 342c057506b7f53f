# The outer router (the lab's second router, outer): it holds the public
# address and forwards TCP 12566 to the inner router's WAN address.
/ip firewall nat
add action=dst-nat chain=dstnat comment="forward to the inner router" dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.1.2
