# 2025-02-17 08:45:31 by RouterOS 7.16.2
# software id = 
#
# model = CCR2004-1G-12S+2XS
# serial number = HD50A1MZT22
/interface bridge
add name=lo0
/interface ethernet
set [ find default-name=ether1 ] comment=oob name=ether1-mgmt
set [ find default-name=ether2 ] comment="core trunk" l2mtu=9092 mtu=9000
/interface 6to4
add comment="tunnel broker" !keepalive local-address=198.51.100.34 mtu=1480 \
    name=sit-broker remote-address=203.0.113.77
/interface l2tp-server
add name=l2tp-branch-north user=branch-north
/interface macvlan
add interface=ether3 mac-address=02:4C:11:90:00:01 name=macvlan-isp2
/interface vlan
add interface=ether2 mtu=9000 name=vlan100-staff vlan-id=100
add interface=ether2 mtu=9000 name=vlan200-guest vlan-id=200
/interface vrrp
add group-authority=self interface=vlan100-staff mtu=9000 name=vrrp-staff \
    priority=200 version=2 vrid=100
add group-authority=vrrp-staff interface=vlan200-guest mtu=9000 name=\
    vrrp-guest priority=200 version=2 vrid=200
/interface list
add name=WAN
/ppp profile
add local-address=10.99.0.1 name=branches remote-address=10.99.0.2
/routing id
add disabled=no id=10.255.0.11 name=core-a select-dynamic-id=""
/routing ospf instance
add disabled=no in-filter-chain=ospf-in name=core originate-default=always \
    redistribute=connected,static router-id=core-a
/routing ospf area
add disabled=no instance=core name=backbone
add area-id=0.0.0.2 default-cost=10 disabled=no instance=core name=branches \
    no-summaries type=stub
/interface l2tp-server server
set default-profile=branches enabled=yes use-ipsec=required
/interface list member
add interface=ether4 list=WAN
add interface=macvlan-isp2 list=WAN
/ip address
add address=10.255.0.11 interface=lo0 network=10.255.0.11
add address=10.10.100.2/24 interface=vlan100-staff network=10.10.100.0
add address=10.10.100.1 interface=vrrp-staff network=10.10.100.1
add address=10.10.200.2/24 interface=vlan200-guest network=10.10.200.0
add address=10.10.200.1 interface=vrrp-guest network=10.10.200.1
add address=198.51.100.34/29 interface=ether4 network=198.51.100.32
/ip dhcp-client
add add-default-route=no interface=macvlan-isp2 use-peer-dns=no
/ip firewall connection tracking
set enabled=yes tcp-established-timeout=12h
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input protocol=ospf
add action=accept chain=input protocol=vrrp
add action=accept chain=input dst-port=1701 protocol=udp
add action=drop chain=input in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=0.0.0.0/0 gateway=198.51.100.33
/ipv6 address
add address=2001:db8:470:1f0b::2/64 advertise=no interface=sit-broker
/ipv6 route
add dst-address=::/0 gateway=sit-broker
/radius
add address=10.10.100.20 secret=Radius-Shared-9 service=ppp,login timeout=1s
/radius incoming
set accept=yes
/routing bfd configuration
add disabled=no interfaces=vlan100-staff min-rx=300ms min-tx=300ms multiplier=3
/routing filter rule
add chain=ospf-in disabled=no rule="if (dst in 10.0.0.0/8) { accept; } else { reject; }"
/routing ospf interface-template
add area=backbone disabled=no interfaces=lo0 passive
add area=backbone cost=10 disabled=no interfaces=vlan100-staff networks=\
    10.10.100.0/24 use-bfd
add area=branches disabled=no interfaces=l2tp-branch-north type=ptp
/system identity
set name=core-a
/system note
set show-at-login=no
/user aaa
set use-radius=yes
