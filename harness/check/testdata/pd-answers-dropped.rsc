# by RouterOS 7.18
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ipv6 address
add address=::1 from-pool=isp-pd interface=bridge
/ipv6 dhcp-client
add add-default-route=yes interface=ether1 pool-name=isp-pd request=prefix
/ipv6 firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=accept chain=input protocol=icmpv6
add action=drop chain=input in-interface-list=!LAN
add action=accept chain=input dst-port=546 protocol=udp src-address=fe80::/10
