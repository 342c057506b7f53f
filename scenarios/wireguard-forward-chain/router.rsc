# A road-warrior WireGuard server as the forum's "handshake but no traffic"
# threads show it: the interface, the peer, its address, the input accept
# for the handshake, and a forward chain that ends in "drop all else" after
# an accept of LAN to WAN only. Nothing accepts what comes out of the tunnel.
/interface wireguard
add listen-port=13231 mtu=1420 name=wireguard1 private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=10.66.0.2/32 comment=roadwarrior interface=wireguard1 public-key="XUbJDUEcpQrWqm/EO0NTEfZm0iFMp86rGjAHOqcIsG0="
/ip address
add address=10.66.0.1/24 interface=wireguard1 network=10.66.0.0
/ip firewall filter
add action=accept chain=input comment="WireGuard handshake" dst-port=13231 protocol=udp place-before=[find comment="defconf: drop all not coming from LAN"]
add action=accept chain=forward comment="LAN to internet" in-interface-list=LAN out-interface-list=WAN
add action=drop chain=forward comment="drop all else"
