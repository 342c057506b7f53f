# 2026-11-30 12:00:00 by RouterOS 7.16.2
# software id = 7QK2-XN4D
#
# model = RB5009UG+S+
# serial number = HGZ09A1B2C3
#
# An RB5009 in the shape of real home/office exports: one vlan-filtering
# bridge with access ports (pvid, untagged only), a trunk to an access
# point, the bridge itself tagged in every VLAN so that the VLAN interfaces
# route, and a DHCP WAN. Written for chrlab's tests; the DHCP server of
# each VLAN is left out until rosemu models /ip pool and /ip dhcp-server.
/interface bridge
add admin-mac=48:A9:8A:10:20:30 auto-mac=no comment=defconf name=bridge \
    vlan-filtering=yes
/interface ethernet
set [ find default-name=ether1 ] comment="WAN (ISP ONT)"
set [ find default-name=ether8 ] comment="trunk to cAP ax"
/interface vlan
add comment=home interface=bridge name=vlan10-home vlan-id=10
add comment=iot interface=bridge name=vlan20-iot vlan-id=20
add comment=guest interface=bridge name=vlan30-guest vlan-id=30
add comment=management interface=bridge name=vlan99-mgmt vlan-id=99
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
add name=MGMT
/interface bridge port
add bridge=bridge comment=defconf frame-types=\
    admit-only-untagged-and-priority-tagged interface=ether2 pvid=10
add bridge=bridge comment=defconf frame-types=\
    admit-only-untagged-and-priority-tagged interface=ether3 pvid=10
add bridge=bridge comment=defconf frame-types=\
    admit-only-untagged-and-priority-tagged interface=ether4 pvid=20
add bridge=bridge comment=defconf frame-types=\
    admit-only-untagged-and-priority-tagged interface=ether5 pvid=20
add bridge=bridge comment=defconf frame-types=\
    admit-only-untagged-and-priority-tagged interface=ether6 pvid=30
add bridge=bridge comment="out-of-band management" frame-types=\
    admit-only-untagged-and-priority-tagged interface=ether7 pvid=99
add bridge=bridge comment="trunk to cAP ax" frame-types=admit-only-vlan-tagged \
    interface=ether8
add bridge=bridge comment=defconf disabled=yes ingress-filtering=no \
    interface=sfp-sfpplus1
/interface bridge settings
set use-ip-firewall=no
/interface bridge vlan
add bridge=bridge comment=home tagged=bridge,ether8 untagged=ether2,ether3 \
    vlan-ids=10
add bridge=bridge comment=iot tagged=bridge,ether8 untagged=ether4,ether5 \
    vlan-ids=20
add bridge=bridge comment=guest tagged=bridge,ether8 untagged=ether6 \
    vlan-ids=30
add bridge=bridge comment=management tagged=bridge,ether8 untagged=ether7 \
    vlan-ids=99
/interface list member
add comment=defconf interface=ether1 list=WAN
add interface=vlan10-home list=LAN
add interface=vlan20-iot list=LAN
add interface=vlan30-guest list=LAN
add interface=vlan99-mgmt list=LAN
add interface=vlan99-mgmt list=MGMT
/ip address
add address=192.168.10.1/24 interface=vlan10-home network=192.168.10.0
add address=192.168.20.1/24 interface=vlan20-iot network=192.168.20.0
add address=192.168.30.1/24 interface=vlan30-guest network=192.168.30.0
add address=192.168.99.1/24 interface=vlan99-mgmt network=192.168.99.0
/ip dhcp-client
add comment=defconf interface=ether1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment="management only from MGMT" \
    in-interface-list=MGMT
add action=accept chain=input comment="DNS from the LAN" dst-port=53 \
    in-interface-list=LAN protocol=udp
add action=drop chain=input comment="drop all else to the router"
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" \
    connection-state=established,related
add action=accept chain=forward comment=\
    "defconf: accept established,related, untracked" connection-state=\
    established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" \
    connection-state=invalid
add action=accept chain=forward comment="home may reach iot" in-interface=\
    vlan10-home out-interface=vlan20-iot
add action=accept chain=forward comment="VLANs to the internet" \
    in-interface-list=LAN out-interface-list=WAN
add action=drop chain=forward comment="drop all else between VLANs"
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" \
    ipsec-policy=out,none out-interface-list=WAN
/system identity
set name=rb5009-office
