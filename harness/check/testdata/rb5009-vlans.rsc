# 2025-03-02 09:12:44 by RouterOS 7.18.2
# software id = 7KQP-22XA
#
# model = RB5009UG+S+
# serial number = HF209ABC123
/interface bridge
add admin-mac=78:9A:18:00:11:22 auto-mac=no name=bridge1 vlan-filtering=yes
/interface vlan
add interface=bridge1 name=vlan10-home vlan-id=10
add interface=bridge1 name=vlan20-iot vlan-id=20
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge1 interface=ether2 pvid=10
add bridge=bridge1 interface=ether3 pvid=10
add bridge=bridge1 interface=ether4 pvid=20
add bridge=bridge1 interface=sfp-sfpplus1 frame-types=admit-only-vlan-tagged
/interface bridge vlan
add bridge=bridge1 tagged=bridge1,sfp-sfpplus1 untagged=ether2,ether3 vlan-ids=10
add bridge=bridge1 tagged=bridge1,sfp-sfpplus1 untagged=ether4 vlan-ids=20
/interface list member
add interface=ether1 list=WAN
add interface=vlan10-home list=LAN
add interface=vlan20-iot list=LAN
/ip address
add address=10.10.10.1/24 interface=vlan10-home network=10.10.10.0
add address=10.10.20.1/24 interface=vlan20-iot network=10.10.20.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward comment="iot stays out of home" in-interface=vlan20-iot out-interface=vlan10-home
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=10.10.10.0/24 src-address=10.10.10.0/24
add action=dst-nat chain=dstnat comment="home assistant" dst-address-type=local dst-address-list=!lan-subnets dst-port=8123 protocol=tcp to-addresses=10.10.10.50
/ip firewall address-list
add address=10.10.10.0/24 list=lan-subnets
add address=10.10.20.0/24 list=lan-subnets
