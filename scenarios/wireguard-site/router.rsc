# The router dials a far site: the peer has an endpoint and a keepalive, so
# the router starts the handshake (its own UDP packets, out through the
# output chain; the site's answers come back as established). The site's
# tunnel address is in the interface's subnet, so the connected route
# takes the LAN's packets into the tunnel and allowed-address picks the
# peer.
/interface wireguard
add listen-port=13231 mtu=1420 name=wireguard1 private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=10.66.0.3/32 comment=site2 endpoint-address=198.51.100.61 endpoint-port=51820 interface=wireguard1 persistent-keepalive=10s public-key="hg+jlCoOlmBpC0dsLVuCjrW4IB9E9OIzGGz4qMDxzR8="
/ip address
add address=10.66.0.1/24 interface=wireguard1 network=10.66.0.0
