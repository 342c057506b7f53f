# Site B (the lab's second router, site-b of labs/two-site.yaml): the
# other end of site A's tunnel, with site A's key, tunnel address and LAN
# as its peer's allowed-address and a route for site A's LAN.
/interface wireguard
add listen-port=13231 mtu=1420 name=wg-site-a private-key="2CZfHi/RZQX/auruvOFbEJQ1fvy4XPu2MAJpxQHs0G0="
/interface wireguard peers
add allowed-address=10.77.0.1/32,192.168.88.0/24 comment=site-a endpoint-address=203.0.113.2 endpoint-port=13231 interface=wg-site-a persistent-keepalive=10s public-key="5b6iuO3QCloAA15/TeNvvOPGYNoP++8YJFMG77u4Uxs="
/ip address
add address=10.77.0.2/30 interface=wg-site-a
/ip route
add comment=site-a dst-address=192.168.88.0/24 gateway=wg-site-a
/ip firewall filter
add action=accept chain=input comment="wireguard from site A" dst-port=13231 protocol=udp place-before=[find comment="defconf: drop all not coming from LAN"]
