# The pppoe-wan forward, with a password the ISP does not accept.
/interface pppoe-client
set pppoe-out1 password=wrong
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: any local address but the LAN's" dst-address=!192.168.88.1 dst-address-type=local dst-port=12566 protocol=tcp to-addresses=192.168.88.10
