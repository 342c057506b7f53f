# 2025-05-19 11:05:48 by RouterOS 7.18.2
# software id = PL0K-MN7B
#
# model = RB4011iGS+5HacQ2HnD
# serial number = HD2097A5B6C
/interface bridge
add name=bridge-main
/interface ethernet
set [ find default-name=ether1 ] name=e1-wan
/interface pppoe-client
add add-default-route=yes disabled=no interface=e1-wan name=pppoe-wan \
    user=home12345
/interface list
add name=WAN
add name=LAN
/ip pool
add name=main-pool ranges=192.168.40.50-192.168.40.240
/ip dhcp-server
add address-pool=main-pool interface=bridge-main name=main-dhcp
/interface bridge port
add bridge=bridge-main interface=ether2
add bridge=bridge-main interface=ether3
add bridge=bridge-main interface=ether4
add bridge=bridge-main interface=ether5
/interface list member
add interface=pppoe-wan list=WAN
add interface=bridge-main list=LAN
/ip address
add address=192.168.40.1/24 interface=bridge-main network=192.168.40.0
/ip cloud
set ddns-enabled=yes ddns-update-interval=1m
/ip dhcp-server network
add address=192.168.40.0/24 dns-server=192.168.40.1 gateway=192.168.40.1
/ip dns
set allow-remote-requests=yes
/ip dns static
add address=192.168.40.1 name=gw.home.arpa type=A
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input in-interface-list=LAN
add action=drop chain=input comment="drop all else to router"
add action=fasttrack-connection chain=forward connection-state=\
    established,related hw-offload=yes
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=accept chain=forward comment="LAN to internet" in-interface-list=\
    LAN out-interface-list=WAN
add action=accept chain=forward comment="port forwards from internet" \
    connection-nat-state=dstnat in-interface-list=WAN
add action=drop chain=forward comment="drop all else"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat comment="hairpin" dst-address=\
    192.168.40.0/24 src-address=192.168.40.0/24
add action=dst-nat chain=dstnat comment="Nextcloud" dst-address-type=local \
    dst-port=443 in-interface-list=!LAN protocol=tcp to-addresses=\
    192.168.40.20
add action=dst-nat chain=dstnat comment="Nextcloud (hairpin)" \
    dst-address-list=wan-ip dst-port=443 in-interface-list=LAN protocol=tcp \
    to-addresses=192.168.40.20
/ip firewall address-list
add address=home12345.example-ddns.net list=wan-ip
/system scheduler
add interval=5m name=update-wan-list on-event=wanip policy=\
    read,write,policy,test start-time=startup
/system script
add dont-require-permissions=no name=wanip owner=admin policy=\
    read,write,policy,test source=":local ip [/ip address get [find interface\
    =\"pppoe-wan\"] address]\r\
    \n:log info (\"wan ip \" . \$ip)\r\
    \n"
/system clock
set time-zone-name=Europe/Vienna
/system identity
set name=home-4011
