# A WireGuard server for one road warrior, as the forum's how-tos set it
# up: the interface with its key and port, the peer with its public key and
# tunnel address, and an address on the interface. The defconf firewall of
# the lab still drops the handshakes (input from outside the LAN list); the
# scenario adds the accept rule the how-tos add.
/interface wireguard
add listen-port=13231 mtu=1420 name=wireguard1 private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=10.66.0.2/32 comment=roadwarrior interface=wireguard1 public-key="XUbJDUEcpQrWqm/EO0NTEfZm0iFMp86rGjAHOqcIsG0="
/ip address
add address=10.66.0.1/24 interface=wireguard1 network=10.66.0.0
