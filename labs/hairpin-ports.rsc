# Base configuration of the hairpin-ports lab's router: the defconf shape
# of a MikroTik with its LAN ports bridged (ether2 to ether4 in bridge,
# the LAN address and the LAN list on the bridge), a static WAN, and a
# defconf-like firewall (RouterOS v7 defconf, docs/routeros.md, "Firewall: filter and NAT").
# Scenarios add their port forward and hairpin rules on top of this.
/interface bridge
add admin-mac=02:00:5E:10:00:01 auto-mac=no comment=defconf name=bridge
# A fresh CHR runs a DHCP client on ether1; this lab's WAN is static, so
# it goes (else it keeps asking the ISP for a lease).
/ip dhcp-client
remove [find]
/system identity
set name=router
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/ip address
add address=203.0.113.2/24 comment=wan interface=ether1
add address=192.168.88.1/24 comment=defconf interface=bridge
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
