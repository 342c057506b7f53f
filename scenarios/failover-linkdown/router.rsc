# Failover by distance alone. The lab's base gives ISP1's default route
# distance 1 and ISP2's distance 2; neither is checked. A route through a
# port that is not running is inactive, so pulling ISP1's cable is all it
# takes for ISP2's route to carry the LAN.
/ip route set [find comment=isp1] check-gateway=none
