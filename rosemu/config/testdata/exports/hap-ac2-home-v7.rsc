# 2024-10-14 17:21:54 by RouterOS 7.16
# software id = 7QXN-K2PL
#
# model = RBD52G-5HacD2HnD
# serial number = HCA0873QWZ1
/interface ethernet
set [ find default-name=ether1 ] comment="fibre ONT" name=ether1-wan
set [ find default-name=ether2 ] name=ether2-office
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip neighbor discovery-settings
set discover-interface-list=LAN
/ipv6 settings
set disable-ipv6=yes
/interface list member
add comment=defconf interface=ether2-office list=LAN
add comment=defconf interface=ether3 list=LAN
add comment=defconf interface=ether4 list=LAN
add comment=defconf interface=ether5 list=LAN
add comment=defconf interface=ether1-wan list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=ether2-office network=\
    192.168.88.0
/ip dhcp-client
add comment=defconf interface=ether1-wan
/ip dns
set allow-remote-requests=yes
/ip dns static
add address=192.168.88.1 comment=defconf name=router.lan
/ip firewall filter
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment=\
    "defconf: accept to local loopback (for CAPsMAN)" dst-address=127.0.0.1
add action=drop chain=input comment="defconf: drop all not coming from LAN" \
    in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept in ipsec policy" \
    ipsec-policy=in,ipsec
add action=accept chain=forward comment="defconf: accept out ipsec policy" \
    ipsec-policy=out,ipsec
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" \
    connection-state=established,related
add action=accept chain=forward comment=\
    "defconf: accept established,related, untracked" connection-state=\
    established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" \
    connection-state=invalid
add action=drop chain=forward comment=\
    "defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat \
    connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" \
    ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment="NAS web" dst-port=8443 \
    in-interface-list=WAN protocol=tcp to-addresses=192.168.88.20 to-ports=443
add action=dst-nat chain=dstnat comment="game server" dst-port=27015 \
    in-interface-list=WAN protocol=udp to-addresses=192.168.88.30
/ip firewall service-port
set sip disabled=yes
/system clock
set time-zone-name=Europe/Vienna
/system note
set show-at-login=no
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
