# VLANs on the LAN bridge, in the shape of the RB5009 corpus: ether2 is an
# access port of VLAN 10 (the server and client1), ether3 of VLAN 20
# (client3); the bridge itself is tagged in both, and a VLAN interface per
# VLAN carries its gateway address. Then method 2's port forward and
# hairpin rule, on the VLAN interface.
/interface vlan
add interface=bridge1 name=vlan10 vlan-id=10
add interface=bridge1 name=vlan20 vlan-id=20
/interface bridge port
set [find interface=ether2] frame-types=admit-only-untagged-and-priority-tagged pvid=10
set [find interface=ether3] frame-types=admit-only-untagged-and-priority-tagged pvid=20
/interface bridge vlan
add bridge=bridge1 comment=vlan10 tagged=bridge1 untagged=ether2 vlan-ids=10
add bridge=bridge1 comment=vlan20 tagged=bridge1 untagged=ether3 vlan-ids=20
/interface list member
add interface=vlan10 list=LAN
add interface=vlan20 list=LAN
/ip address
set [find address="192.168.88.1/24"] interface=vlan10
set [find address="192.168.89.1/24"] interface=vlan20
/interface bridge
set bridge1 vlan-filtering=yes
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami" dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: method 2" dst-address=192.168.88.10 dst-port=12566 out-interface=vlan10 protocol=tcp src-address=192.168.88.0/24
