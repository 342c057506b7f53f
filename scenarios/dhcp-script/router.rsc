# Method 6: the lease script of the forum post keeps the address list
# entry "wan1ip" at the leased WAN address. The lab's DHCP client is
# replaced by one that carries the script, so the script runs at the very
# first lease.
/ip firewall address-list
add address=203.0.113.2 comment=wan1ip disabled=yes list=external_wan
/ip dhcp-client
remove [find interface=ether1]
add disabled=no interface=ether1 script=":if (\$bound=1) do={\r\n/ip firewall address-list set [/ip firewall address-list find where comment=\"wan1ip\"] address=\$\"lease-address\" disabled=no\r\n} else={\r\n/ip firewall address-list set [/ip firewall address-list find where comment=\"wan1ip\"] disabled=yes\r\n}"
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami and iperf3" dst-address-list=external_wan dst-port=12566,5201 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin: general src-nat" dst-address=192.168.88.0/24 src-address=192.168.88.0/24
