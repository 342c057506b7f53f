# The router's DHCP server on the LAN, configured but disabled: the
# scenario first shows client3 without an address, then enables it. The
# static lease gives client3 (MAC 02:00:C0:A8:58:1E in this lab) the
# address 192.168.88.77, outside the pool. The lease script puts every
# bound address into the list dhcp-bound, and the forward chain lets only
# that list out: client1, whose address is static, stays inside.
/ip pool
add name=lan-pool ranges=192.168.88.100-192.168.88.199
/ip dhcp-server
add address-pool=lan-pool disabled=yes interface=ether2 lease-time=1m name=lan lease-script=":if (\$leaseBound = \"1\") do={ /ip firewall address-list add list=dhcp-bound address=\$leaseActIP comment=\$leaseActMAC }"
/ip dhcp-server network
add address=192.168.88.0/24 dns-server=192.168.88.1 gateway=192.168.88.1
/ip dhcp-server lease
add address=192.168.88.77 comment=client3 mac-address=02:00:C0:A8:58:1E server=lan
/ip firewall filter
add action=drop chain=forward comment="only leased LAN hosts go out" connection-state=new in-interface=ether2 out-interface=ether1 src-address-list=!dhcp-bound
