# Site A (the lab's router, base labs/hairpin.rsc): an EoIP tunnel to site
# B (tunnel id 7 at both ends) bridged with the LAN port, the LAN address
# and the LAN list moved to the bridge, and GRE (EoIP rides in protocol
# 47) accepted from the WAN, as MikroTik's EoIP example 1 does.
/interface eoip
add name=eoip-site-b local-address=203.0.113.2 remote-address=198.51.100.2 tunnel-id=7 mac-address=02:00:5E:80:00:01
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=eoip-site-b
/ip address
set [find address="192.168.88.1/24"] interface=bridge1
/interface list member
set [find interface=ether2] interface=bridge1
/ip firewall filter
add action=accept chain=input comment="eoip from site B" protocol=gre src-address=198.51.100.2 place-before=[find comment="defconf: drop all not coming from LAN"]
