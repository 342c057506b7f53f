# Settings real exports carry that change no packet of this lab, on top of
# a port forward: the emulator stores them (and reports them as not
# enforced), and the router forwards exactly as without them.
/interface ethernet
set [ find default-name=ether1 ] l2mtu=1598 loop-protect=off
/interface wireguard
add listen-port=51820 name=wg-road private-key="aGlzIGlzIGEgdGVzdCBrZXkgb2YgMzIgYnl0ZXMhISE="
/interface wireguard peers
add allowed-address=10.66.0.2/32 interface=wg-road public-key="cGVlciBwdWJsaWMga2V5IG9mIHRoaXJ0eS10d28gYiE="
/ip address
add address=10.66.0.1/24 interface=wg-road
/ip route
add dst-address=10.77.0.0/16 gateway=wg-road
/ip firewall service-port
set sip disabled=yes
set ftp ports=21,2121
/ip neighbor discovery-settings
set discover-interface-list=LAN
/ip settings
set tcp-syncookies=yes
/ipv6 settings
set disable-ipv6=yes
/ipv6 firewall filter
add action=drop chain=forward in-interface-list=WAN
/queue type
add kind=pcq name=pcq-down pcq-classifier=dst-address
/snmp
set contact=noc@example.net enabled=yes
/system clock
set time-zone-name=Europe/Vienna
/system logging action
add name=siem remote=198.51.100.50 target=remote
/system logging
add action=siem topics=firewall
/system ntp client
set enabled=yes
/system ntp client servers
add address=198.51.100.123
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
/ip firewall nat
add action=dst-nat chain=dstnat comment="port forward" dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
