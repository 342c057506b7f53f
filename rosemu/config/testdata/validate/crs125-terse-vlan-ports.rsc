# Trimmed from realcheck21's export 14278761450 (RouterOS 6.45.9 CRS125, terse): ports ether5-ether20 cut.
# may/15/2020 21:22:53 by RouterOS 6.45.9
/interface bridge add admin-mac=CC:2D:E0:99:1B:BA auto-mac=no comment=defconf dhcp-snooping=yes name=bridge priority=0x1000 pvid=30 vlan-filtering=yes
/interface vlan add interface=bridge name=bridge.77 vlan-id=77
/interface bridge port add bridge=bridge interface=ether1 pvid=30
/interface bridge port add bridge=bridge interface=ether2 pvid=30
/interface bridge port add bridge=bridge interface=ether3 pvid=30
/interface bridge port add bridge=bridge interface=ether4 pvid=30
/interface bridge port add bridge=bridge interface=ether21 path-cost=50 pvid=30 trusted=yes
/interface bridge port add bridge=bridge interface=ether22 pvid=30 trusted=yes
/interface bridge port add bridge=bridge comment=WAN interface=ether23
/interface bridge port add bridge=bridge comment=WAN interface=ether24
/interface bridge port add bridge=bridge interface=sfp1
/interface bridge vlan add bridge=bridge tagged=ether21,ether22 untagged=ether1,ether2,ether3,ether4 vlan-ids=30
/interface bridge vlan add bridge=bridge tagged=ether21,ether22,bridge vlan-ids=77
/ip address add address=10.0.77.2/24 interface=bridge.77 network=10.0.77.0
/ip dhcp-client add dhcp-options=hostname,clientid disabled=no interface=bridge
