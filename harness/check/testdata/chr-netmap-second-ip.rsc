# 2025-01-15 12:00:04 by RouterOS 7.16.1
# software id =
#
/interface bridge
add name=loopback
/interface wireguard
add listen-port=13231 mtu=1420 name=wg0
/interface list
add name=WAN
add name=LAN
/interface wireguard peers
add allowed-address=10.99.0.2/32 interface=wg0 name=laptop public-key=\
    "x1FhXb8fQ3rO8m1l0o5y7Zk4sP3vTq1G2bQyH9pY2xE="
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
add interface=wg0 list=LAN
/ip address
add address=203.0.113.200/24 interface=ether1 network=203.0.113.0
add address=203.0.113.201/24 interface=ether1 network=203.0.113.0
add address=10.50.0.1/24 interface=ether2 network=10.50.0.0
add address=10.99.0.1/24 interface=wg0 network=10.99.0.0
/ip dns
set servers=9.9.9.9
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input dst-port=13231 protocol=udp comment="WireGuard"
add action=accept chain=input in-interface-list=LAN
add action=drop chain=input
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat \
    connection-state=new in-interface-list=WAN
/ip firewall nat
add action=netmap chain=dstnat dst-address=203.0.113.201 in-interface=ether1 \
    to-addresses=10.50.0.201
add action=netmap chain=srcnat out-interface=ether1 src-address=10.50.0.201 \
    to-addresses=203.0.113.201
add action=dst-nat chain=dstnat dst-address=203.0.113.200 dst-port=8443 \
    protocol=tcp to-addresses=10.50.0.10 to-ports=443
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www disabled=yes
set api disabled=yes
set api-ssl disabled=yes
/system identity
set name=chr-vps
/system note
set show-at-login=no
