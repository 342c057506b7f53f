# Site A (the lab's router, labs/two-site.yaml): a GRE tunnel to site B's
# MikroTik and OSPF (RouterOS 7 menus) over it, with 1 s hellos so that an
# adjacency forms and falls within seconds. The LAN is announced by a
# passive template. The input chain takes GRE and OSPF above the defconf
# drop: the tunnel is not in the LAN list, so its hellos would be dropped.
/interface gre
add allow-fast-path=no local-address=203.0.113.2 name=gre-b remote-address=198.51.100.2
/ip address
add address=172.16.0.1/30 interface=gre-b
/ip firewall filter
add action=accept chain=input comment="gre from site B" protocol=gre place-before=[find comment="defconf: drop all not coming from LAN"]
add action=accept chain=input comment="ospf over the tunnel" in-interface=gre-b protocol=ospf place-before=[find comment="defconf: drop all not coming from LAN"]
/routing ospf instance
add name=default-v2 router-id=10.255.255.1
/routing ospf area
add instance=default-v2 name=backbone-v2
/routing ospf interface-template
add area=backbone-v2 dead-interval=4s hello-interval=1s interfaces=gre-b type=ptp
add area=backbone-v2 networks=192.168.88.0/24 passive
