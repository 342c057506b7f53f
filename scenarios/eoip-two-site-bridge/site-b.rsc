# Site B (base labs/two-site-l2-b.rsc): the other end of the tunnel, bridged
# with its LAN port; the bridge holds site B's own address in site A's
# subnet (192.168.88.2) and is its LAN. Its hosts' gateway is site A.
/interface eoip
add name=eoip-site-a local-address=198.51.100.2 remote-address=203.0.113.2 tunnel-id=7 mac-address=02:00:5E:80:00:02
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=eoip-site-a
/interface list member
add interface=bridge1 list=LAN
/ip address
add address=192.168.88.2/24 interface=bridge1
/ip firewall filter
add action=accept chain=input comment="eoip from site A" protocol=gre src-address=203.0.113.2 place-before=[find comment="defconf: drop all not coming from LAN"]
