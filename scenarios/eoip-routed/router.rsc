# EoIP as a routed link between two sites: a /30 on the tunnel, the route
# to the far site's network by its next hop in that /30 (resolved by ARP
# through the tunnel), no local-address (the routed source, the WAN's
# address). keepalive 2s,2: EoIP's keepalive is sent by each end, so the
# tunnel stops running after four seconds without the site's.
/interface eoip
add keepalive=2s,2 name=eoip-site remote-address=198.51.100.61 tunnel-id=7
/ip address
add address=10.66.2.1/30 interface=eoip-site network=10.66.2.0
/ip route
add comment=site dst-address=10.77.0.0/24 gateway=10.66.2.2
