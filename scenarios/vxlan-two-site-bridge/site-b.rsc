# Site B (base labs/two-site-l2-b.rsc): the other VTEP, bridged with its
# LAN port; the bridge holds site B's own address in site A's subnet
# (192.168.88.2) and is its LAN. Its hosts' gateway is site A.
/interface vxlan
add name=vxlan-site-a vni=10 local-address=198.51.100.2 mac-address=02:00:5E:81:00:02
/interface vxlan vteps
add interface=vxlan-site-a remote-ip=203.0.113.2
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=vxlan-site-a
/interface list member
add interface=bridge1 list=LAN
/ip address
add address=192.168.88.2/24 interface=bridge1
/ip firewall filter
add action=accept chain=input comment="vxlan from site A" protocol=udp dst-port=8472 src-address=203.0.113.2 place-before=[find comment="defconf: drop all not coming from LAN"]
