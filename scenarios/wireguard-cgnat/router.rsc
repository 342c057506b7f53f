# The router behind its ISP's NAT dials the far site. The peer has the
# site's endpoint and no persistent-keepalive yet: the scenario adds it.
/interface wireguard
add listen-port=13231 mtu=1420 name=wireguard1 private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=10.66.0.3/32 comment=site2 endpoint-address=198.51.100.61 endpoint-port=51820 interface=wireguard1 public-key="hg+jlCoOlmBpC0dsLVuCjrW4IB9E9OIzGGz4qMDxzR8="
/ip address
add address=10.66.0.1/24 interface=wireguard1 network=10.66.0.0
