# 2025-03-11 09:15:33 by RouterOS 7.17
# software id = JK2M-9PL4
#
# model = CCR2004-16G-2S+
# serial number = HEB08AA1234
/interface bridge
add name=bridge-lan
/interface ethernet
set [ find default-name=ether1 ] name=ether1-isp1
set [ find default-name=ether2 ] name=ether2-isp2
/interface list
add name=WAN
add name=LAN
/ip pool
add name=pool-lan ranges=172.16.20.100-172.16.20.250
/ip dhcp-server
add address-pool=pool-lan interface=bridge-lan lease-time=8h name=dhcp-lan
/routing table
add disabled=no fib name=to-isp1
add disabled=no fib name=to-isp2
/interface bridge port
add bridge=bridge-lan interface=ether3
add bridge=bridge-lan interface=ether4
add bridge=bridge-lan interface=ether5
add bridge=bridge-lan interface=ether6
/interface list member
add interface=ether1-isp1 list=WAN
add interface=ether2-isp2 list=WAN
add interface=bridge-lan list=LAN
/ip address
add address=172.16.20.1/24 interface=bridge-lan network=172.16.20.0
add address=198.51.100.10/28 interface=ether1-isp1 network=198.51.100.0
add address=192.0.2.66/29 interface=ether2-isp2 network=192.0.2.64
/ip dhcp-server network
add address=172.16.20.0/24 dns-server=172.16.20.1 gateway=172.16.20.1
/ip dns
set allow-remote-requests=yes servers=1.1.1.1,8.8.8.8
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input in-interface-list=LAN
add action=drop chain=input comment="drop everything else"
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-state=invalid
add action=accept chain=forward connection-nat-state=dstnat
add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
add action=drop chain=forward comment="drop everything else"
/ip firewall mangle
add action=mark-connection chain=prerouting connection-mark=no-mark \
    in-interface=ether1-isp1 new-connection-mark=isp1_conn passthrough=yes
add action=mark-connection chain=prerouting connection-mark=no-mark \
    in-interface=ether2-isp2 new-connection-mark=isp2_conn passthrough=yes
add action=mark-routing chain=prerouting connection-mark=isp1_conn \
    in-interface-list=LAN new-routing-mark=to-isp1 passthrough=yes
add action=mark-routing chain=prerouting connection-mark=isp2_conn \
    in-interface-list=LAN new-routing-mark=to-isp2 passthrough=yes
add action=mark-routing chain=output connection-mark=isp1_conn \
    new-routing-mark=to-isp1 passthrough=yes
add action=mark-routing chain=output connection-mark=isp2_conn \
    new-routing-mark=to-isp2 passthrough=yes
/ip firewall nat
add action=src-nat chain=srcnat out-interface=ether1-isp1 to-addresses=\
    198.51.100.10
add action=src-nat chain=srcnat out-interface=ether2-isp2 to-addresses=\
    192.0.2.66
add action=dst-nat chain=dstnat comment="RDP via ISP1" dst-port=3389 \
    in-interface=ether1-isp1 protocol=tcp to-addresses=172.16.20.50
add action=dst-nat chain=dstnat comment="RDP via ISP2" dst-port=3389 \
    in-interface=ether2-isp2 protocol=tcp to-addresses=172.16.20.50
add action=dst-nat chain=dstnat comment="SIP PBX" dst-port=5060 \
    in-interface=ether1-isp1 protocol=udp to-addresses=172.16.20.60
/ip route
add check-gateway=ping distance=1 dst-address=0.0.0.0/0 gateway=198.51.100.1
add check-gateway=ping distance=2 dst-address=0.0.0.0/0 gateway=192.0.2.65
add distance=1 dst-address=0.0.0.0/0 gateway=198.51.100.1 routing-table=\
    to-isp1
add distance=1 dst-address=0.0.0.0/0 gateway=192.0.2.65 routing-table=\
    to-isp2
/system clock
set time-zone-name=Europe/London
/system identity
set name=CCR-edge
