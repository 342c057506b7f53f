# 2025-05-10 18:03:11 by RouterOS 7.18.2
# software id = 4HTR-Q8LM
#
# model = C53UiG+5HPaxD2HPaxD
# serial number = HGB09XYZ1234
/interface bridge
add admin-mac=D4:01:C3:44:55:66 auto-mac=no comment=defconf name=bridge
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
add bridge=bridge comment=defconf interface=ether5
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
add address=198.18.20.2/24 comment="static line" interface=ether1 network=198.18.20.0
/ip cloud
set ddns-enabled=yes
/ip dns
set allow-remote-requests=yes servers=1.1.1.1
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment="wireguard on the nas" dst-port=51820 in-interface-list=WAN protocol=udp to-addresses=192.168.88.20
add action=dst-nat chain=dstnat comment="nas web" dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.20
/ip route
add disabled=no dst-address=0.0.0.0/0 gateway=198.18.20.1 routing-table=main
/system identity
set name=home-gw
