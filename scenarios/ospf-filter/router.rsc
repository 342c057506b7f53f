# OSPF to core1 on ether3 (1 s hellos), with an in-filter-chain that
# rejects what falls in 10.77.0.0/16 and accepts everything else.
/ip address
add address=10.255.1.1/30 comment=core interface=ether3
/ip firewall filter
add action=accept chain=input comment="ospf from the core" in-interface=ether3 protocol=ospf place-before=[find comment="defconf: drop all not coming from LAN"]
/routing filter rule
add chain=ospf-in comment=core-nets rule="if (dst in 10.77.0.0/16) { reject }"
add chain=ospf-in rule="accept"
/routing ospf instance
add in-filter-chain=ospf-in name=default-v2 router-id=10.255.255.1
/routing ospf area
add area-id=0.0.0.0 instance=default-v2 name=backbone
/routing ospf interface-template
add area=backbone dead-interval=4s hello-interval=1s interfaces=ether3 type=ptp
add area=backbone networks=192.168.88.0/24 passive
