# apr/17/2022 13:37:00 by RouterOS 6.48.6
# software id = KJ8L-2QW1
#
# model = RB750Gr3
# serial number = 9F8E7D6C5B4A
/interface bridge
add name=LAN-bridge
/interface ethernet
set [ find default-name=ether1 ] name=ether1-ISP-A
set [ find default-name=ether2 ] name=ether2-ISP-B
/interface pppoe-client
add add-default-route=yes default-route-distance=1 disabled=no interface=\
    ether1-ISP-A name=pppoe-A password=pass123 user=userA
/interface list
add name=WAN
add name=LAN
/ip pool
add name=pool ranges=192.168.7.20-192.168.7.220
/ip dhcp-server
add address-pool=pool disabled=no interface=LAN-bridge name=server1
/interface bridge port
add bridge=LAN-bridge interface=ether3
add bridge=LAN-bridge interface=ether4
add bridge=LAN-bridge interface=ether5
/interface list member
add interface=pppoe-A list=WAN
add interface=ether2-ISP-B list=WAN
add interface=LAN-bridge list=LAN
/ip address
add address=192.168.7.1/24 interface=LAN-bridge network=192.168.7.0
/ip dhcp-client
add add-default-route=yes default-route-distance=2 disabled=no interface=\
    ether2-ISP-B
/ip dhcp-server network
add address=192.168.7.0/24 dns-server=192.168.7.1 gateway=192.168.7.1
/ip dns
set allow-remote-requests=yes servers=8.8.8.8
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input protocol=icmp
add action=drop chain=input in-interface-list=WAN
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat connection-state=\
    new in-interface-list=WAN
/ip firewall mangle
add action=mark-connection chain=prerouting connection-mark=no-mark \
    in-interface=ether2-ISP-B new-connection-mark=B-conn passthrough=yes
add action=mark-routing chain=prerouting connection-mark=B-conn \
    in-interface=LAN-bridge new-routing-mark=via-B passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment="cam A" dst-port=8000-8010 \
    in-interface=pppoe-A protocol=tcp to-addresses=192.168.7.100
add action=dst-nat chain=dstnat comment="cam B" dst-port=8000-8010 \
    in-interface=ether2-ISP-B protocol=tcp to-addresses=192.168.7.100
add action=dst-nat chain=dstnat comment="NTP to router" dst-port=123 \
    in-interface-list=WAN protocol=udp to-addresses=192.168.7.1
/ip route
add distance=1 gateway=ether2-ISP-B routing-mark=via-B
/system clock
set time-zone-name=Asia/Kolkata
/system identity
set name=dual-isp
