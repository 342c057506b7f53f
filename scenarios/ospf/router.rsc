# The link to core1. The firewall is the hairpin lab's defconf: ether3 is
# in neither the LAN nor the WAN list.
/ip address
add address=10.255.1.1/30 comment=core interface=ether3
