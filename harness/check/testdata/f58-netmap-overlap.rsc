# dec/07/2026 01:00:00 by RouterOS 7.16.2
# Base configuration of the hairpin lab's router: addressing and a
# defconf-like firewall (RouterOS v7 defconf, docs/routeros.md, "Firewall: filter and NAT").
# Scenarios add their port forward and hairpin rules on top of this.
# A fresh CHR runs a DHCP client on ether1 (the WAN); on a static WAN it
# would keep asking the ISP for a lease, so it goes.
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
/ip address
add address=203.0.113.2/24 comment=wan interface=ether1
add address=192.168.88.1/24 comment=defconf interface=ether2
/ip route
add comment=isp dst-address=0.0.0.0/0 gateway=203.0.113.1
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment="defconf: accept to local loopback (for CAPsMAN)" dst-address=127.0.0.1
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept in ipsec policy" ipsec-policy=in,ipsec
add action=accept chain=forward comment="defconf: accept out ipsec policy" ipsec-policy=out,ipsec
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN

/interface gre
add local-address=203.0.113.2 name=gre1 remote-address=198.51.100.61
/ip address
add address=10.66.1.1/30 interface=gre1 network=10.66.1.0
/routing table
add fib name=to-site
/ip route
add dst-address=192.168.88.0/24 gateway=gre1 routing-table=to-site
/ip firewall mangle
add action=mark-connection chain=prerouting comment=conn connection-state=new dst-address=10.99.0.0/24 in-interface=ether2 new-connection-mark=to-site passthrough=yes
add action=mark-routing chain=prerouting comment=steer connection-mark=to-site in-interface=ether2 new-routing-mark=to-site passthrough=no
/ip firewall filter
set [find comment="defconf: fasttrack"] connection-mark=no-mark
/ip firewall nat
add action=netmap chain=dstnat dst-address=10.99.0.0/24 to-addresses=192.168.88.0/24
add action=netmap chain=srcnat out-interface=gre1 src-address=192.168.88.0/24 to-addresses=10.88.0.0/24
