# Site A (the lab's router, base labs/hairpin.rsc): a VXLAN (VNI 10,
# RouterOS's default UDP port 8472) whose static VTEP is site B's WAN
# address, bridged with the LAN port; the LAN address and the LAN list
# moved to the bridge, and site B's VXLAN packets accepted on input, as
# the VXLAN page of the manual and the forum's "L2 between two sites"
# setups do.
/interface vxlan
add name=vxlan-site-b vni=10 local-address=203.0.113.2 mac-address=02:00:5E:81:00:01
/interface vxlan vteps
add interface=vxlan-site-b remote-ip=198.51.100.2
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=vxlan-site-b
/ip address
set [find address="192.168.88.1/24"] interface=bridge1
/interface list member
set [find interface=ether2] interface=bridge1
/ip firewall filter
add action=accept chain=input comment="vxlan from site B" protocol=udp dst-port=8472 src-address=198.51.100.2 place-before=[find comment="defconf: drop all not coming from LAN"]
