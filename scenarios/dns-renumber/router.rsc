# Method 1: the router answers the server's public name with its LAN
# address, and every DNS query from the LAN is redirected to the router.
# The port forward is there for the internet; there is no hairpin rule.
/ip dns
set allow-remote-requests=yes servers=198.51.100.53
/ip dns static
add address=192.168.88.10 comment="hairpin: method 1" regexp="(^|www\\.)myserver\\.net\$" ttl=5m
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami and iperf3" dst-address=203.0.113.2 dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=redirect chain=dstnat comment="Force Users to Router for DNS - TCP" dst-port=53 protocol=tcp src-address=192.168.88.0/24
add action=redirect chain=dstnat comment="Force Users to Router for DNS - UDP" dst-port=53 protocol=udp src-address=192.168.88.0/24
