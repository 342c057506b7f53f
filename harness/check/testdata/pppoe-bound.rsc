# jan/12/2023 18:30:05 by RouterOS 6.49.7
# software id = 1ABC-DEFG
#
# model = RB750Gr3
/interface bridge
add name=bridge-lan
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=customer@isp password=hunter2 use-peer-dns=yes
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
/interface list member
add interface=pppoe-out1 list=WAN
add interface=bridge-lan list=LAN
/ip address
add address=192.168.1.1/24 interface=bridge-lan network=192.168.1.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=dst-nat chain=dstnat dst-port=3389 in-interface=ether1 protocol=tcp to-addresses=192.168.1.20
