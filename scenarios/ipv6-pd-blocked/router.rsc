# The defconf IPv6 firewall without its accept of the DHCPv6 answers (a
# hand-written firewall often lacks it), then the client starts.
/system identity set name=router
/ipv6 firewall filter remove [find comment~"DHCPv6-Client"]
/ipv6 dhcp-client enable [find comment=isp]
