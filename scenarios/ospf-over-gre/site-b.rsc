# Site B (site-b of labs/two-site.yaml): the other end of the GRE tunnel
# and OSPF over it, announcing its LAN by a passive template.
/interface gre
add allow-fast-path=no local-address=198.51.100.2 name=gre-a remote-address=203.0.113.2
/ip address
add address=172.16.0.2/30 interface=gre-a
/ip firewall filter
add action=accept chain=input comment="gre from site A" protocol=gre place-before=[find comment="defconf: drop all not coming from LAN"]
add action=accept chain=input comment="ospf over the tunnel" in-interface=gre-a protocol=ospf place-before=[find comment="defconf: drop all not coming from LAN"]
/routing ospf instance
add name=default-v2 router-id=10.255.255.2
/routing ospf area
add instance=default-v2 name=backbone-v2
/routing ospf interface-template
add area=backbone-v2 comment=tunnel dead-interval=4s hello-interval=1s interfaces=gre-a type=ptp
add area=backbone-v2 networks=192.168.89.0/24 passive
