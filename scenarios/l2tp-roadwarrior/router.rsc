# The router as an L2TP server for road warriors, the forum's commonest
# VPN: a pool for the tunnel addresses, a profile that gives the router's
# end 10.88.0.1 and the client one of the pool, alice's secret for L2TP,
# and the server on without IPsec. The defconf input chain still drops
# UDP 1701 from the WAN: the scenario adds the accept rule.
/ip pool
add name=vpn ranges=10.88.0.10-10.88.0.20
/ppp profile
add name=vpn local-address=10.88.0.1 remote-address=vpn
/ppp secret
add name=alice password=alice-pw profile=vpn service=l2tp
/interface l2tp-server server
set enabled=yes default-profile=vpn authentication=mschap2 use-ipsec=no
