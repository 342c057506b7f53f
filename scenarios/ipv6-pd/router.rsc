# Nothing beyond the lab's base: the DHCPv6 client, the pool address and
# the defconf IPv6 firewall are all there.
/system identity set name=router
