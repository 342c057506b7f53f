# Dual WAN with recursive failover, as the manual's Failover (WAN Backup)
# page builds it: ISP1's default route goes through a host beyond the ISP
# (peer, 198.51.100.50, standing in for 8.8.8.8), pinned to ISP1 by a /32
# route; check-gateway=ping on the default route pings that host, so the
# route fails over when ISP1 loses its upstream while its own gateway still
# answers. ISP2 waits at distance 2. The pinned route is left at its
# default scope (30) here: the scenario sets scope=10 as its first fix.
/ip dhcp-client
remove [find]
/system identity
set name=router
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
add interface=ether3 list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1
add address=198.18.0.2/24 interface=ether2
add address=192.168.88.1/24 interface=ether3
/ip route
add comment=pin dst-address=198.51.100.50/32 gateway=203.0.113.1
add check-gateway=ping comment=isp1 distance=1 dst-address=0.0.0.0/0 gateway=198.51.100.50 target-scope=11
add comment=isp2 distance=2 dst-address=0.0.0.0/0 gateway=198.18.0.1
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
