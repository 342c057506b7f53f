# realcheck27 D3's shape: the DHCP network hands out another host of the
# LAN (a VPN/TUN box at 10.13.16.10) as gateway and DNS server.
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
/ip pool
add name=dhcp_pool ranges=10.13.16.2-10.13.31.254
/ip dhcp-server
add name=dhcp1 interface=bridge address-pool=dhcp_pool disabled=no
/ip dhcp-server network
add address=10.13.16.0/20 gateway=10.13.16.10 dns-server=10.13.16.10 \
    comment="Send LAN clients through VLESS app/TUN gateway"
/ip dhcp-client
add interface=ether1 disabled=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
