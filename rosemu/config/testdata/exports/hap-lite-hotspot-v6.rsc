# mar/11/2024 19:40:12 by RouterOS 6.49.13
# software id = 8JRV-5XQA
#
# model = RB941-2nD
# serial number = D7A10C3E91F4
/interface bridge
add admin-mac=2C:C8:1B:44:10:A0 auto-mac=no comment=defconf name=bridge
add name=bridge-guest
/interface ethernet
set [ find default-name=ether1 ] comment=uplink
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip hotspot profile
set [ find default=yes ] html-directory=flash/hotspot
add dns-name=login.cafe.example hotspot-address=10.55.0.1 login-by=\
    http-chap,mac-cookie name=cafe-profile
/ip hotspot user profile
set [ find default=yes ] rate-limit=2M/4M shared-users=2
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
add name=guest-pool ranges=10.55.0.10-10.55.0.250
add name=pppoe-pool ranges=10.66.0.2-10.66.0.100
/ip dhcp-server
add address-pool=dhcp disabled=no interface=bridge name=defconf
add address-pool=guest-pool disabled=no interface=bridge-guest lease-time=1h \
    name=guest
/ip hotspot
add address-pool=guest-pool disabled=no interface=bridge-guest name=cafe \
    profile=cafe-profile
/ppp profile
add local-address=10.66.0.1 name=pppoe-users remote-address=pppoe-pool
/interface pppoe-server server
add default-profile=pppoe-users disabled=no interface=ether4 \
    one-session-per-host=yes service-name=cafe-pppoe
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge-guest interface=ether5
/ip neighbor discovery-settings
set discover-interface-list=LAN
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/ip accounting
set enabled=yes threshold=512
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=\
    192.168.88.0
add address=10.55.0.1/24 interface=bridge-guest network=10.55.0.0
/ip dhcp-client
add comment=defconf disabled=no interface=ether1
/ip dhcp-server network
add address=10.55.0.0/24 dns-server=10.55.0.1 gateway=10.55.0.1
add address=192.168.88.0/24 comment=defconf gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=passthrough chain=unused-hs-chain comment=\
    "place hotspot rules here" disabled=yes
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=drop chain=forward comment="no streaming for guests" \
    layer7-protocol=video-sites src-address=10.55.0.0/24
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" \
    connection-state=established,related
add action=drop chain=input comment="defconf: drop all not coming from LAN" \
    in-interface-list=!LAN
/ip firewall layer7-protocol
add name=video-sites regexp="^.+(youtube|netflix).*\$"
/ip firewall nat
add action=passthrough chain=unused-hs-chain comment=\
    "place hotspot rules here" disabled=yes
add action=masquerade chain=srcnat comment="defconf: masquerade" \
    ipsec-policy=out,none out-interface-list=WAN
add action=masquerade chain=srcnat comment="masquerade hotspot network" \
    src-address=10.55.0.0/24
/ip hotspot ip-binding
add comment="cashier pc" mac-address=00:1A:2B:3C:4D:5E type=bypassed
/ip hotspot user
add name=table7 password=cafe7 server=cafe
/ip hotspot walled-garden
add comment="place hotspot rules here" disabled=yes
add dst-host=*.cafe.example
/ip hotspot walled-garden ip
add action=accept disabled=no dst-address=10.55.0.5
/ppp secret
add name=room12 password=r00m12pw profile=pppoe-users service=pppoe
/radius
add address=192.168.88.20 secret=cafeRadius service=hotspot
/system clock
set time-zone-name=Europe/Lisbon
/system identity
set name=cafe-gw
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
