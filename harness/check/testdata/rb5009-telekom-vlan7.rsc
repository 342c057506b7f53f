# 2024-11-20 18:42:07 by RouterOS 7.15.3
# software id = ZX8B-7TQA
#
# model = RB5009UG+S+
# serial number = HG7099K2L3M
/interface bridge
add admin-mac=78:9A:18:AA:00:01 auto-mac=no comment=defconf name=bridge
/interface ethernet
set [ find default-name=ether1 ] comment=ONT
set [ find default-name=sfp-sfpplus1 ] comment="10G NAS"
/interface vlan
add interface=ether1 name=vlan7-internet vlan-id=7
/interface pppoe-client
add add-default-route=yes disabled=no interface=vlan7-internet name=\
    pppoe-telekom user=0023456789012345678901#0001@t-online.example
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=dhcp ranges=192.168.178.20-192.168.178.200
/ip dhcp-server
add address-pool=dhcp interface=bridge lease-time=1d name=defconf
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
add bridge=bridge comment=defconf interface=ether5
add bridge=bridge comment=defconf interface=ether6
add bridge=bridge comment=defconf interface=ether7
add bridge=bridge comment=defconf interface=ether8
add bridge=bridge comment=defconf interface=sfp-sfpplus1
/ip neighbor discovery-settings
set discover-interface-list=LAN
/interface list member
add comment=defconf interface=bridge list=LAN
add interface=pppoe-telekom list=WAN
/ip address
add address=192.168.178.1/24 comment=defconf interface=bridge network=\
    192.168.178.0
/ip cloud
set ddns-enabled=yes ddns-update-interval=10m
/ip dhcp-server lease
add address=192.168.178.5 mac-address=AC:1F:6B:01:02:03 comment="NAS (10G)"
/ip dhcp-server network
add address=192.168.178.0/24 comment=defconf dns-server=192.168.178.1 \
    gateway=192.168.178.1
/ip dns
set allow-remote-requests=yes
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
    connection-state=established,related hw-offload=yes
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
add action=dst-nat chain=dstnat comment="NAS web (http)" dst-address-type=\
    local dst-port=80 protocol=tcp to-addresses=192.168.178.5
add action=dst-nat chain=dstnat comment="NAS web (https)" \
    dst-address-type=local dst-port=443 protocol=tcp to-addresses=\
    192.168.178.5
add action=masquerade chain=srcnat comment="hairpin NAS" dst-address=\
    192.168.178.5 out-interface=bridge src-address=192.168.178.0/24
/ip service
set telnet disabled=yes
set ftp disabled=yes
set api disabled=yes
set api-ssl disabled=yes
/system clock
set time-zone-name=Europe/Berlin
/system identity
set name=RB5009
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
