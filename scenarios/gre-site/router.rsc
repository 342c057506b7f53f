# Site to site over GRE, as the forum's how-tos set it up: the tunnel to
# the site's public address from the router's WAN address, a /30 in it,
# and a route to the site's network through it. keepalive is RouterOS's
# default (10s,10): the site answers it. The LAN's packets into the tunnel
# are not masqueraded (the masquerade is out the WAN list), so the site
# sees the LAN client's own address.
/interface gre
add local-address=203.0.113.2 name=gre1 remote-address=198.51.100.61
/ip address
add address=10.66.1.1/30 interface=gre1 network=10.66.1.0
/ip route
add comment=site dst-address=10.77.0.0/24 gateway=gre1
