# A port forward on both WANs. No policy routing: every answer leaves by
# the main table's default route, whichever WAN the connection came in by.
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward on both WANs" dst-address-type=local dst-port=12566 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
