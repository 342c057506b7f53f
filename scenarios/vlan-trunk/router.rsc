# Two VLANs on the trunk port ether2, each with its gateway on a VLAN
# interface: VLAN 10 for the office, VLAN 20 for the servers. The server's
# port is forwarded on the WAN address, and the hairpin rule masquerades
# what its own VLAN sends to it through that address.
/interface vlan
add interface=ether2 name=vlan10 vlan-id=10
add interface=ether2 name=vlan20 vlan-id=20
/interface list member
add interface=vlan10 list=LAN
add interface=vlan20 list=LAN
/ip address
add address=192.168.10.1/24 interface=vlan10
add address=192.168.20.1/24 interface=vlan20
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward: whoami" dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.20.10
add action=masquerade chain=srcnat comment="hairpin: servers VLAN" dst-address=192.168.20.10 dst-port=12566 out-interface=vlan20 protocol=tcp src-address=192.168.20.0/24
