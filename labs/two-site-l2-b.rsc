# Base configuration of the two-site-l2 lab's site B router (a second
# RouterOS router, labs/two-site-l2.yaml): its WAN, default route and a
# defconf-like firewall, as labs/two-site-b.rsc has. Its LAN is a segment
# of site A's subnet, so the LAN address and the bridge that joins the LAN
# port to a layer-2 tunnel are the case's.
# A fresh router runs a DHCP client on ether1; this WAN is static.
/ip dhcp-client
remove [find]
/system identity
set name=site-b
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface list member
add comment=defconf interface=ether1 list=WAN
/ip address
add address=198.51.100.2/24 comment=wan interface=ether1
/ip route
add comment=isp dst-address=0.0.0.0/0 gateway=198.51.100.1
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
