# mar/19/2022 16:42:39 by RouterOS 6.47.1
# software id = AAAA-C136
#
# model = CCR1036-12G-4S
# serial number = 0000000C1036
# Shaped like public 6.4x CCR1036 ISP exports (names, addresses and
# serials changed): GRE over IPv6, VPLS over LDP, OSPFv3, RIP to a
# legacy site, static PPP server bindings, IPv6 MSS clamping and the
# update mirror.
/interface bridge
add name=LOOPBACK protocol-mode=none
add name=br-vpls
/interface gre6
add keepalive=5s local-address=2001:db8:2b28::2 name=gre6-tunnel1 \
    remote-address=2001:db8:22a0::2
/interface vpls
add disabled=no name=vpls1 remote-peer=10.255.0.2 vpls-id=100:1
/interface pptp-server
add name=pptp-branch1 user=branch1
/interface sstp-server
add name=sstp-branch2 user=branch2
/interface vlan
add interface=ether3 name=vlan1000-pppoe vlan-id=1000
/ip pool
add name=pppoe ranges=100.64.32.2-100.64.63.254
/ipv6 pool
add name=pd prefix=2001:db8:2000::/48 prefix-length=56
/ppp profile
set *0 local-address=100.64.32.1 remote-address=pppoe
/routing ospf-v3 instance
set [ find default=yes ] redistribute-connected=as-type-1 router-id=\
    192.0.2.2
/routing ospf area
add area-id=0.0.0.1 name=area1
/routing ospf area range
add area=area1 range=10.1.0.0/16
/interface bridge port
add bridge=br-vpls interface=vpls1
add bridge=br-vpls interface=ether5
/interface pppoe-server server
add disabled=no interface=vlan1000-pppoe pado-delay=800 service-name=svc1
/interface pptp-server server
set enabled=yes
/interface sstp-server server
set default-profile=default-encryption enabled=yes
/ip address
add address=192.0.2.2/30 interface=ether7 network=192.0.2.0
add address=10.255.0.1 interface=LOOPBACK network=10.255.0.1
add address=10.9.0.1/30 interface=pptp-branch1 network=10.9.0.0
/ipv6 address
add address=2001:db8:99::1/64 advertise=no interface=gre6-tunnel1
/ipv6 firewall mangle
add action=change-mss chain=forward new-mss=clamp-to-pmtu protocol=tcp \
    tcp-flags=syn
/mpls ldp
set enabled=yes lsr-id=10.255.0.1 transport-address=10.255.0.1
/mpls ldp interface
add interface=ether7
/routing bfd interface
set [ find default=yes ] min-rx=300ms
/routing ospf-v3 interface
add area=backbone interface=gre6-tunnel1
/routing ospf network
add area=backbone network=192.0.2.0/30
/routing rip
set redistribute-static=yes
/routing rip interface
add interface=ether8 receive=v2 send=v2
/routing rip network
add network=10.200.0.0/16
/ip route
add distance=1 gateway=192.0.2.1
/system identity
set name=BNG-02
/system upgrade mirror
set check-interval=1d enabled=yes primary-server=192.0.2.7
