# Base configuration of the vrrp-pair lab's backup router (a second
# RouterOS router, labs/vrrp-pair.yaml): addressing, its own default route
# and a defconf-like firewall and masquerade, as labs/hairpin.rsc gives
# the lab's router. Cases add the virtual router.
# A fresh router runs a DHCP client on ether1; this WAN is static.
/ip dhcp-client
remove [find]
/system identity
set name=backup
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface list member
add comment=defconf interface=ether1 list=WAN
add comment=defconf interface=ether2 list=LAN
/ip address
add address=203.0.113.3/24 comment=wan interface=ether1
add address=192.168.88.2/24 comment=defconf interface=ether2
/ip route
add comment=isp dst-address=0.0.0.0/0 gateway=203.0.113.1
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
