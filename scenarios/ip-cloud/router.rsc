# Method 5: IP Cloud learns the router's public address; an address list
# entry holding the router's IP Cloud name is resolved by the router into
# that address, and the port forward matches the list.
/ip cloud
set ddns-enabled=yes
/ip firewall address-list
add address=c4a1b0c0ffee.sn.mynetname.net comment="this router's IP Cloud name" list=updatedCloudIP
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami and iperf3" dst-address-list=updatedCloudIP dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: general src-nat" dst-address=192.168.88.0/24 src-address=192.168.88.0/24
