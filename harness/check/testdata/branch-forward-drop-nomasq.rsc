# may/10/2022 11:20:31 by RouterOS 6.49.2
# realcheck27 D6's shape: a branch router on a private uplink whose
# forward chain accepts listed pairs of segments only, then drops; no
# masquerade to the uplink.
/interface vlan
add interface=ether6 name=V54 vlan-id=54
/ip address
add address=192.168.22.253/24 interface=ether1 network=192.168.22.0
add address=192.168.146.253/24 interface=ether2 network=192.168.146.0
add address=172.16.54.254/24 interface=V54 network=172.16.54.0
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward in-interface=V54 out-interface=ether2
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether2 src-address=172.16.54.0/24
/ip route
add distance=1 gateway=192.168.22.254
