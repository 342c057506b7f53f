# 2025-02-11 19:42:17 by RouterOS 7.15.3
# software id = R4K7-PL2M
#
# model = RB4011iGS+
# serial number = HE10A7BC3D2
/interface bridge
add admin-mac=48:A9:8A:10:20:30 auto-mac=no comment=defconf name=bridge
/interface ethernet
set [ find default-name=ether1 ] comment="fibre, primary"
set [ find default-name=ether2 ] comment="radio link, backup"
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=dhcp ranges=192.168.70.100-192.168.70.200
/ip dhcp-server
add address-pool=dhcp interface=bridge name=defconf
/interface bridge port
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
add bridge=bridge comment=defconf interface=ether5
/interface list member
add comment=defconf interface=bridge list=LAN
add interface=ether1 list=WAN
add interface=ether2 list=WAN
/ip address
add address=192.168.70.1/24 comment=defconf interface=bridge network=192.168.70.0
add address=203.0.113.10/24 interface=ether1 network=203.0.113.0
add address=198.18.20.10/24 interface=ether2 network=198.18.20.0
/ip dhcp-server network
add address=192.168.70.0/24 comment=defconf dns-server=192.168.70.1 gateway=192.168.70.1
/ip dns
set allow-remote-requests=yes servers=1.1.1.1,9.9.9.9
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related hw-offload=yes
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment="camera NVR on the radio link" dst-port=8443 in-interface=ether2 protocol=tcp to-addresses=192.168.70.20 to-ports=443
add action=dst-nat chain=dstnat comment="web server on both lines" dst-port=80 in-interface-list=WAN protocol=tcp to-addresses=192.168.70.30
/ip route
add check-gateway=ping comment=fibre distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.1
add comment=radio distance=2 dst-address=0.0.0.0/0 gateway=198.18.20.1
/system clock
set time-zone-name=Europe/Vienna
/system identity
set name=office-gw
