# The vrf-guest lab's router: one WAN (ether1), the main LAN (ether2) and
# the guest LAN (ether3) in the VRF guest, whose default route leaks out
# the WAN of main. A defconf-like firewall (RouterOS 7 defconf): LAN to
# LAN is not filtered, so only the VRF keeps the LANs apart.
/ip dhcp-client
remove [find]
/system identity
set name=router
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface list member
add comment=defconf interface=ether1 list=WAN
add comment=defconf interface=ether2 list=LAN
add comment=guest interface=ether3 list=LAN
/ip vrf
add interfaces=ether3 name=guest
/ip address
add address=203.0.113.2/24 comment=wan interface=ether1
add address=192.168.88.1/24 comment=defconf interface=ether2
add address=192.168.99.1/24 comment=guest interface=ether3
/ip route
add comment=isp1 dst-address=0.0.0.0/0 gateway=203.0.113.1
add comment=guest-wan dst-address=0.0.0.0/0 gateway=203.0.113.1@main routing-table=guest
/routing rule
add action=lookup comment=guest-answers dst-address=192.168.99.0/24 interface=ether1 table=guest
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" out-interface-list=WAN
