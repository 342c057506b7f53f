# Base configuration of the dual-WAN lab's router: addressing, both ISPs
# as failover default routes (ISP1 preferred), and a defconf-like firewall
# with both WANs in the WAN list. Scenarios add the load balancing.
# A fresh CHR runs a DHCP client on ether1; this lab's WAN is static, so
# it goes (else it keeps asking the ISP for a lease, in the log every
# few seconds, and would take a second default route from any answer).
/ip dhcp-client
remove [find]
/system identity
set name=router
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface list member
add comment=defconf interface=ether1 list=WAN
add comment=defconf interface=ether3 list=WAN
add comment=defconf interface=ether2 list=LAN
/ip address
add address=203.0.113.2/24 comment=isp1 interface=ether1
add address=192.168.88.1/24 comment=defconf interface=ether2
add address=198.18.0.2/24 comment=isp2 interface=ether3
/ip route
add comment=isp1 distance=1 gateway=203.0.113.1
add comment=isp2 distance=2 gateway=198.18.0.1
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
