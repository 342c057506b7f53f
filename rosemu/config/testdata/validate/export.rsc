# 2026-11-30 12:00:00 by RouterOS 7.16.2
# software id = ABCD-1234
#
# model = RB5009UG+S+
# serial number = HD0123456
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=sfp-sfpplus1 list=LAN
add interface=ether9 list=LAN
/interface wireless
add name=wlan9
/ip address
add address=192.168.88.1/24 comment="LAN \_gw\? yes" interface=\
    sfp-sfpplus1 network=192.168.88.0
add address=10.0.0.1/24 interfaze=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall filter add chain=forward action=drop connection-state=invalid
/ip firewall filter add chain=forward action=accept \
    comment="unterminated
/ip route
add gateway=10.0.0.254
