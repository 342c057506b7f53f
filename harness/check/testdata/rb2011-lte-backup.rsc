# may/30/2023 08:01:12 by RouterOS 6.49.8
# software id = 6QWE-RT5Y
#
# model = RB2011UiAS
# serial number = 71B20A8F9C2D
/interface bridge
add name=bridge-local
/interface ethernet
set [ find default-name=ether1 ] name=ether1-fibre
set [ find default-name=ether10 ] name=ether10-lte
/interface list
add name=WAN
add name=LAN
/ip pool
add name=dhcp_pool0 ranges=192.168.10.50-192.168.10.250
/ip dhcp-server
add address-pool=dhcp_pool0 disabled=no interface=bridge-local name=dhcp1
/interface bridge port
add bridge=bridge-local interface=ether2
add bridge=bridge-local interface=ether3
add bridge=bridge-local interface=ether4
add bridge=bridge-local interface=ether5
add bridge=bridge-local interface=ether6
/interface list member
add interface=ether1-fibre list=WAN
add interface=ether10-lte list=WAN
add interface=bridge-local list=LAN
/ip address
add address=192.168.10.1/24 interface=bridge-local network=192.168.10.0
add address=81.2.69.142/30 interface=ether1-fibre network=81.2.69.140
/ip dhcp-client
add add-default-route=yes default-route-distance=10 disabled=no interface=\
    ether10-lte use-peer-dns=no
/ip dhcp-server network
add address=192.168.10.0/24 dns-server=192.168.10.1 gateway=192.168.10.1
/ip dns
set allow-remote-requests=yes servers=8.8.8.8,1.1.1.1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input protocol=icmp
add action=accept chain=input dst-port=8291 in-interface=ether1-fibre \
    protocol=tcp src-address=81.2.69.0/24 comment="winbox from office"
add action=drop chain=input in-interface-list=WAN
add action=fasttrack-connection chain=forward connection-state=\
    established,related
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward connection-nat-state=!dstnat connection-state=\
    new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=81.2.69.142 dst-port=8080 \
    protocol=tcp to-addresses=192.168.10.5 to-ports=80
add action=dst-nat chain=dstnat dst-address=81.2.69.142 dst-port=1194 \
    protocol=udp to-addresses=192.168.10.6
add action=src-nat chain=srcnat dst-address=192.168.10.0/24 src-address=\
    192.168.10.0/24 to-addresses=192.168.10.1
/ip route
add check-gateway=ping distance=1 gateway=81.2.69.141
/system clock
set time-zone-name=Europe/London
/system identity
set name=shop-rb2011
/system scheduler
add interval=1d name=backup on-event="/system backup save name=daily" \
    policy=ftp,reboot,read,write,policy,test,password,sniff,sensitive \
    start-date=jan/01/2023 start-time=03:00:00
