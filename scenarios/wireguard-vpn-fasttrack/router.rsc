# One LAN host (client1) sent into a WireGuard VPN by a routing mark set on
# its source in mangle prerouting, the way many forum posts write it, with
# the defconf fasttrack rule left as it is. Fasttrack takes the connection
# at the VPN's first answer, and a fasttracked connection's packets skip
# mangle: client1's next packets carry no routing mark and leave by the
# main table, out the WAN, with the tunnel's masqueraded address (rosemu
# drops them there, as Linux's NAT does for a masqueraded connection routed
# out another interface; RouterOS's ISP would drop the foreign source).
/interface wireguard
add listen-port=13231 mtu=1420 name=wireguard1 private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=0.0.0.0/0 comment=vpn endpoint-address=198.51.100.61 endpoint-port=51820 interface=wireguard1 persistent-keepalive=10s public-key="hg+jlCoOlmBpC0dsLVuCjrW4IB9E9OIzGGz4qMDxzR8="
/ip address
add address=10.66.0.1/24 interface=wireguard1 network=10.66.0.0
/routing table
add fib name=vpn
/ip route
add dst-address=0.0.0.0/0 gateway=wireguard1 routing-table=vpn
/ip firewall mangle
add action=mark-routing chain=prerouting comment=by-source new-routing-mark=vpn passthrough=no src-address=192.168.88.20
/ip firewall nat
add action=masquerade chain=srcnat out-interface=wireguard1
