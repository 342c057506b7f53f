# Site A (the lab's router, labs/two-site.yaml): a WireGuard tunnel to
# site B's MikroTik (routers: site-b, site-b.rsc beside this file). The
# peer's allowed-address takes site B's tunnel address and LAN, and a
# route sends site B's LAN into the tunnel; nothing is NATed into it, so
# the server sees site B's own addresses. The input chain takes the
# handshakes on the WireGuard port, above the defconf drop.
/interface wireguard
add listen-port=13231 mtu=1420 name=wg-site-b private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=10.77.0.2/32,192.168.89.0/24 comment=site-b endpoint-address=198.51.100.2 endpoint-port=13231 interface=wg-site-b persistent-keepalive=10s public-key="hg+jlCoOlmBpC0dsLVuCjrW4IB9E9OIzGGz4qMDxzR8="
/ip address
add address=10.77.0.1/30 interface=wg-site-b
/ip route
add comment=site-b dst-address=192.168.89.0/24 gateway=wg-site-b
/ip firewall filter
add action=accept chain=input comment="wireguard from site B" dst-port=13231 protocol=udp place-before=[find comment="defconf: drop all not coming from LAN"]
