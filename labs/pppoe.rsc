# Base configuration of the pppoe lab's router: a PPPoE home router. The
# WAN is pppoe-out1 on ether1 (default route and DNS from the ISP), the
# LAN is ether2, with a defconf-like firewall whose WAN list holds
# pppoe-out1, as RouterOS's quick set makes it.
/ip dhcp-client
remove [find]
/system identity
set name=router
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 password=s3cret use-peer-dns=yes user=home
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface list member
add comment=defconf interface=pppoe-out1 list=WAN
add comment=defconf interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=ether2
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" out-interface-list=WAN
