# The lab's base has the DHCPv6 client, the pool address and the defconf
# IPv6 firewall; the client starts once the configuration is in.
/system identity set name=router
/ipv6 dhcp-client enable [find comment=isp]
