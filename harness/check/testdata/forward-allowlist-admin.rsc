# realcheck27 D2's shape: the forward chain lets new connections from the
# WAN through only from the address list admin; two port forwards.
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=10.13.16.1/20 interface=bridge network=10.13.16.0
/ip dhcp-client
add interface=ether1 disabled=no
/ip firewall address-list
add address=84.204.178.210 list=admin
/ip firewall filter
add chain=forward action=accept connection-state=established,related
add chain=forward action=accept in-interface=bridge
add chain=forward action=drop connection-state=new in-interface-list=WAN \
    src-address-list=!admin comment="Drop new connections from WAN not from Admin"
add chain=forward action=drop
/ip firewall nat
add chain=srcnat action=masquerade out-interface-list=WAN
add action=dst-nat chain=dstnat comment=ssh dst-port=22100 in-interface-list=WAN \
    protocol=tcp to-addresses=10.13.16.10 to-ports=22
add action=dst-nat chain=dstnat comment=video dst-port=5000 in-interface-list=WAN \
    protocol=tcp to-addresses=10.13.16.10
