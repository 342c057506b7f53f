# The inner router (the lab's router, labs/behind-mikrotik.yaml): its WAN
# is 192.168.1.2 on the outer MikroTik's LAN; it forwards TCP 12566 that
# reaches its WAN to the server.
/ip firewall nat
add action=dst-nat chain=dstnat comment="forward to the server" dst-port=12566 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
