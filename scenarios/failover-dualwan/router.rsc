# Failover between two ISPs: ISP1's default route (distance 1) is checked by
# pinging its gateway; when the gateway stops answering, the route is taken
# out of use and ISP2's (distance 2) carries the traffic.
/ip route set [find comment=isp1] check-gateway=ping
