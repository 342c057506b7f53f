# One LAN host (client1) out through a WireGuard VPN provider, the rest of
# the LAN out the WAN, RouterOS 7's way: a fib routing table whose default
# route goes into the tunnel, a /routing rule by source with
# lookup-only-in-table (the kill switch: when the tunnel's route goes, the
# host's traffic finds no route instead of leaking out the WAN), and
# masquerade out the tunnel (the provider knows only the tunnel address).
# The far site of the wireguard lab stands in for the provider: its public
# address 198.51.100.61 answers whoami, so a probe to it shows which way it
# went (10.66.0.1 through the tunnel, the WAN address otherwise). The
# provider's peer starts without allowed-address=0.0.0.0/0, the usual
# mistake; the scenario adds it.
/interface wireguard
add listen-port=13231 mtu=1420 name=wireguard1 private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=10.66.0.3/32 comment=vpn endpoint-address=198.51.100.61 endpoint-port=51820 interface=wireguard1 persistent-keepalive=10s public-key="hg+jlCoOlmBpC0dsLVuCjrW4IB9E9OIzGGz4qMDxzR8="
/ip address
add address=10.66.0.1/24 interface=wireguard1 network=10.66.0.0
/routing table
add fib name=vpn
/ip route
add comment=vpn dst-address=0.0.0.0/0 gateway=wireguard1 routing-table=vpn
/routing rule
add action=lookup-only-in-table comment=vpn-host src-address=192.168.88.20/32 table=vpn
/ip firewall nat
add action=masquerade chain=srcnat comment=vpn out-interface=wireguard1
