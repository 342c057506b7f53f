# jan/12/2025 09:14:02 by RouterOS 6.49.13
# software id = T4KQ-9ZP2
#
# model = RB750Gr3
# serial number = HEX0TEST002
/interface bridge
add name=bridge-lan protocol-mode=none
/interface vlan
add interface=bridge-lan name=vlan-students vlan-id=4
add interface=bridge-lan name=vlan-staff vlan-id=3
/interface list
add name=WAN
/ip pool
add name="Staff pool" ranges=192.168.3.10-192.168.3.200
/ip dhcp-server
add address-pool="Staff pool" disabled=no interface=vlan-staff name=\
    "Staff DHCP"
/port
set 0 name=serial0
set 1 name=serial1
/routing bgp instance
set default as=64512 redistribute-connected=yes
/interface bridge port
add bridge=bridge-lan interface=ether2
add bridge=bridge-lan interface=ether3
/interface list member
add interface=ether1 list=WAN
/ip address
add address=198.51.100.10/29 interface=ether1 network=198.51.100.8
add address=192.168.3.1/24 interface=vlan-staff network=192.168.3.0
add address=192.168.4.1/24 interface=vlan-students network=192.168.4.0
/ip dhcp-relay
add dhcp-server=192.0.2.67 disabled=no interface=vlan-students name=\
    relay-students
/ip dhcp-server network
add address=192.168.3.0/24 gateway=192.168.3.1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=add-src-to-address-list address-list=scanners \
    address-list-timeout=2w chain=input in-interface-list=WAN protocol=tcp \
    psd=21,3s,3,1
add action=tarpit chain=input protocol=tcp src-address-list=scanners
add action=accept chain=input comment="IPIP tunnel" protocol=ipencap
add action=drop chain=forward in-interface=all-vlan out-interface=all-vlan
add action=drop chain=forward src-address=192.168.4.0/24 time=22h-6h,mon,tue
add action=accept chain=forward limit=10M/1s,5M:bit protocol=udp
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add distance=1 gateway=198.51.100.9
/routing bgp network
add network=192.168.3.0/24 synchronize=no
/routing bgp peer
add name=upstream remote-address=198.51.100.9 remote-as=64500
/system clock
set time-zone-name=Europe/Riga
/system identity
set name="School gateway"
/tool traffic-monitor
add interface=ether1 name=uplink-full on-event=":log warning full" threshold=\
    90000000 traffic=received
