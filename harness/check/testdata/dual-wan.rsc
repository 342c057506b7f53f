# 2025-03-02 10:14:22 by RouterOS 7.16.2
# software id = 7KQ2-X4NM
#
# model = RB5009UG+S+
# serial number = HE0A9F1C2B7
/interface bridge
add admin-mac=48:A9:8A:10:22:33 auto-mac=no comment=defconf name=bridge
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/routing table
add disabled=no fib name=via-fibre
/interface bridge port
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
add bridge=bridge comment=defconf interface=ether5
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
add comment=fibre interface=ether2 list=WAN
/ip address
add address=192.168.50.1/24 comment=defconf interface=bridge network=192.168.50.0
add address=198.18.7.10/24 comment="fibre static" interface=ether2 network=198.18.7.0
/ip dhcp-client
add comment="cable modem" default-route-distance=1 interface=ether1
/ip cloud
set ddns-enabled=yes ddns-update-interval=10m
/ip dns
set allow-remote-requests=yes servers=1.1.1.1,9.9.9.9
/ip dns static
add address=192.168.50.30 comment="mail.office.example inside" name=mail.office.example type=A
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-mark=no-mark connection-state=established,related hw-offload=yes
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall mangle
add action=mark-connection chain=prerouting comment="came in on fibre" connection-mark=no-mark in-interface=ether2 new-connection-mark=fibre-in passthrough=yes
add action=mark-routing chain=prerouting comment="answer on fibre" connection-mark=fibre-in in-interface-list=LAN new-routing-mark=via-fibre passthrough=no
add action=mark-routing chain=output connection-mark=fibre-in new-routing-mark=via-fibre passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment="nvr on the cable line" dst-port=8443 in-interface=ether1 protocol=tcp to-addresses=192.168.50.20 to-ports=443
add action=dst-nat chain=dstnat comment="game server on fibre" dst-port=27015 in-interface=ether2 protocol=udp to-addresses=192.168.50.30
add action=dst-nat chain=dstnat comment="mail on both" dst-port=25 in-interface-list=WAN protocol=tcp to-addresses=192.168.50.30
/ip route
add comment="fibre backup" disabled=no distance=2 dst-address=0.0.0.0/0 gateway=198.18.7.1 routing-table=main
add comment="fibre table" disabled=no distance=1 dst-address=0.0.0.0/0 gateway=198.18.7.1 routing-table=via-fibre
/system clock
set time-zone-name=Europe/Berlin
/system identity
set name=office-gw
/system note
set show-at-login=no
