# The lab's prefix delegation with the poster's LAN address: taken from the
# delegated pool but with advertise=no, so the router holds 3fff:200::1/64
# and the hosts are told of no prefix.
/ipv6 address
set [find comment=lan] advertise=no
/ipv6 dhcp-client
enable [find comment=isp]
