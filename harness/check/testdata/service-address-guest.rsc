# jan/02/2021 10:00:00 by RouterOS 6.47.10
# realcheck27 D10's shape: WinBox, SSH and WebFig admit the office and
# management subnets only; the input chain lets the guest VLAN in (for DNS).
/interface vlan
add interface=ether2 name=OFFICE_VLAN vlan-id=10
add interface=ether2 name=GUEST_VLAN vlan-id=20
/ip address
add address=198.51.100.2/24 interface=ether1 network=198.51.100.0
add address=10.160.180.1/24 interface=OFFICE_VLAN network=10.160.180.0
add address=192.168.20.1/24 interface=GUEST_VLAN network=192.168.20.0
/ip firewall address-list
add address=192.168.20.0/24 list=Guest_Addresses
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input src-address=10.160.180.0/24
add action=accept chain=input src-address-list=Guest_Addresses
add action=drop chain=input
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add gateway=198.51.100.1
/ip service
set winbox address=10.160.180.0/24,192.168.9.0/25
set ssh address=10.160.180.0/24,192.168.9.0/25
set www address=10.160.180.0/24,192.168.9.0/25
