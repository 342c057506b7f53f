# 2025-06-30 23:59:01 by RouterOS 7.19.1
# software id = 3DFG-H7JK
#
# model = RB5009UPr+S+
# serial number = HH1234ABCDE
/interface bridge
add name=br0 vlan-filtering=yes
/interface ethernet
set [ find default-name=ether1 ] comment="to ISP ONT" name=ether1-ont
set [ find default-name=ether8 ] name=ether8-mgmt
/interface vlan
add interface=ether1-ont name=vlan10-wan vlan-id=10
add interface=br0 name=vlan100-lan vlan-id=100
add interface=br0 name=vlan200-iot vlan-id=200
/interface list
add name=WAN
add name=LAN
/ip pool
add name=pool100 ranges=10.1.100.100-10.1.100.200
add name=pool200 ranges=10.1.200.100-10.1.200.200
/ip dhcp-server
add address-pool=pool100 interface=vlan100-lan name=dhcp100
add address-pool=pool200 interface=vlan200-iot name=dhcp200
/interface bridge port
add bridge=br0 frame-types=admit-only-untagged-and-priority-tagged \
    interface=ether2 pvid=100
add bridge=br0 frame-types=admit-only-untagged-and-priority-tagged \
    interface=ether3 pvid=100
add bridge=br0 frame-types=admit-only-untagged-and-priority-tagged \
    interface=ether4 pvid=200
add bridge=br0 frame-types=admit-only-vlan-tagged interface=sfp-sfpplus1
/interface bridge vlan
add bridge=br0 tagged=br0,sfp-sfpplus1 untagged=ether2,ether3 vlan-ids=100
add bridge=br0 tagged=br0,sfp-sfpplus1 untagged=ether4 vlan-ids=200
/interface list member
add interface=vlan10-wan list=WAN
add interface=vlan100-lan list=LAN
add interface=vlan200-iot list=LAN
add interface=ether8-mgmt list=LAN
/ip address
add address=10.1.100.1/24 interface=vlan100-lan network=10.1.100.0
add address=10.1.200.1/24 interface=vlan200-iot network=10.1.200.0
add address=192.168.254.1/24 interface=ether8-mgmt network=192.168.254.0
/ip dhcp-client
add interface=vlan10-wan
/ip dhcp-server network
add address=10.1.100.0/24 dns-server=10.1.100.1 gateway=10.1.100.1
add address=10.1.200.0/24 dns-server=10.1.200.1 gateway=10.1.200.1
/ip dns
set allow-remote-requests=yes
/ip firewall address-list
add address=10.1.100.0/24 list=internal
add address=10.1.200.0/24 list=internal
add address=45.33.0.0/16 comment="work VPN exit" list=allowed-remote
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmp
add action=accept chain=input in-interface-list=LAN
add action=drop chain=input
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-state=invalid
add action=accept chain=forward in-interface-list=LAN
add action=accept chain=forward connection-nat-state=dstnat
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat comment="masq everything"
add action=dst-nat chain=dstnat comment="Jellyfin for \"family\"" dst-port=\
    8096 in-interface=vlan10-wan protocol=tcp to-addresses=10.1.100.15
add action=dst-nat chain=dstnat comment="iot mqtt" dst-port=8883 \
    in-interface=vlan10-wan protocol=tcp src-address-list=allowed-remote \
    to-addresses=10.1.200.30
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www-ssl disabled=no
/system clock
set time-zone-name=UTC
/system identity
set name=RB5009-core
/system scheduler
add interval=1d name=reboot-nightly on-event="/system reboot" policy=\
    reboot start-date=2025-01-01 start-time=04:00:00
/user group
add name=ro-api policy="read,api,!local,!telnet,!ssh,!ftp,!reboot,!write,!pol\
    icy,!test,!winbox,!password,!web,!sniff,!sensitive,!romon,!rest-api"
