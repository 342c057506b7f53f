# 2024-12-01 03:00:41 by RouterOS 7.16.2
# software id = QW3R-7TYU
#
# model = CCR2004-16G-2S+
# serial number = HE90812ABCD
/interface ethernet
set [ find default-name=ether1 ] comment=upstream-a l2mtu=9092 mtu=1500 \
    name=upstream-a
set [ find default-name=ether2 ] comment=customers name=customers
set [ find default-name=ether3 ] loop-protect=on
/interface gre
add local-address=198.51.100.2 name=gre-to-core remote-address=198.51.100.200
/interface list
add name=UPSTREAM
add name=INSIDE
/ipv6 pool
add name=customers-pd prefix=2001:db8:4400::/40 prefix-length=56
/system logging action
set 0 memory-lines=5000
add bsd-syslog=yes name=noc remote=192.0.2.40 syslog-facility=local5 target=\
    remote
/ip settings
set icmp-rate-limit=50
/ipv6 settings
set accept-router-advertisements=yes max-neighbor-entries=32768
/interface list member
add interface=upstream-a list=UPSTREAM
add interface=customers list=INSIDE
add interface=ether3 list=INSIDE
/ip address
add address=198.51.100.2/30 interface=upstream-a network=198.51.100.0
add address=100.64.0.1/22 interface=customers network=100.64.0.0
add address=172.31.255.1/30 interface=gre-to-core network=172.31.255.0
/ip dns
set max-concurrent-queries=500 max-udp-packet-size=1232 servers=\
    198.51.100.1
/ip firewall address-list
add address=192.0.2.0/24 list=noc
add address=100.64.0.0/22 list=customers
/ip firewall filter
add action=accept chain=input src-address-list=noc
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=UPSTREAM
add action=drop chain=forward comment="no SMTP out from customers" \
    dst-port=25 protocol=tcp src-address-list=customers
/ip firewall nat
add action=src-nat chain=srcnat out-interface=upstream-a src-address=\
    100.64.0.0/22 to-addresses=198.51.100.2
/ip route
add distance=1 gateway=198.51.100.1
add dst-address=10.255.0.0/16 gateway=gre-to-core
/ip ssh
set always-allow-password-login=no strong-crypto=yes
/ip traffic-flow
set enabled=yes interfaces=upstream-a
/ip traffic-flow target
add dst-address=192.0.2.41 version=IPFIX
/ipv6 address
add address=2001:db8:ffff::2/64 advertise=no interface=upstream-a
add address=2001:db8:4400::1 interface=customers
/ipv6 firewall address-list
add address=::/128 comment="unspecified address" list=bad_ipv6
add address=::1/128 comment=lo list=bad_ipv6
add address=fec0::/10 comment=site-local list=bad_ipv6
add address=::ffff:0.0.0.0/96 comment=ipv4-mapped list=bad_ipv6
add address=::/96 comment="ipv4 compat" list=bad_ipv6
add address=100::/64 comment="discard only" list=bad_ipv6
add address=2001:db8::/32 comment=documentation list=bad_ipv6
add address=2001:10::/28 comment=ORCHID list=bad_ipv6
add address=3ffe::/16 comment=6bone list=bad_ipv6
/ipv6 firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input protocol=icmpv6
add action=accept chain=input dst-port=33434-33534 protocol=udp
add action=accept chain=input dst-port=546 protocol=udp src-address=\
    fe80::/10
add action=drop chain=input in-interface-list=!INSIDE
add action=drop chain=forward hop-limit=equal:1 protocol=icmpv6
add action=drop chain=forward src-address-list=bad_ipv6
add action=drop chain=forward dst-address-list=bad_ipv6
add action=accept chain=forward protocol=icmpv6
add action=drop chain=forward in-interface-list=!INSIDE
/ipv6 nd
set [ find default=yes ] advertise-dns=yes ra-lifetime=none
add interface=customers managed-address-configuration=yes other-configuration=\
    yes
/ipv6 route
add dst-address=::/0 gateway=2001:db8:ffff::1
/queue interface
set customers queue=multi-queue-ethernet-default
/snmp
set enabled=yes location=pop-1 trap-generators=interfaces trap-interfaces=\
    upstream-a trap-target=192.0.2.40 trap-version=2
/system clock
set time-zone-name=UTC
/system identity
set name=edge-1.pop-1
/system logging
add action=noc topics=critical
add action=noc topics=firewall,info
/system ntp client
set enabled=yes servers=192.0.2.123,198.51.100.1
/system watchdog
set watch-address=198.51.100.1
