# apr/02/2024 08:12:40 by RouterOS 6.49.12
# software id = 7QX2-K9LM
#
# model = RB750Gr3
/interface bridge
add name=bridge-home
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge-home interface=ether2
add bridge=bridge-home interface=ether3
/interface list member
add interface=ether1 list=WAN
add interface=bridge-home list=LAN
/ip address
add address=10.20.30.1/24 interface=bridge-home network=10.20.30.0
add address=198.18.7.34/29 interface=ether1 network=198.18.7.32
/ip dns
set allow-remote-requests=yes servers=9.9.9.9
/ip dns static
add address=10.20.30.5 name=printer.home.arpa
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input protocol=icmp
add action=drop chain=input dst-port=8291,22,80 in-interface-list=WAN protocol=tcp
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add distance=1 gateway=198.18.7.33
