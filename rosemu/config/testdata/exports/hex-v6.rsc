# jun/03/2023 21:40:12 by RouterOS 6.49.10
# software id = 2KDL-9F3A
#
# model = RB750Gr3
# serial number = 8E1C0A6B9D44
/interface ethernet
set [ find default-name=ether1 ] advertise=\
    10M-half,10M-full,100M-half,100M-full,1000M-half,1000M-full arp=enabled \
    arp-timeout=auto auto-negotiation=yes bandwidth=unlimited/unlimited \
    disabled=no full-duplex=yes l2mtu=1596 loop-protect=default \
    loop-protect-disable-time=5m loop-protect-send-interval=5s mac-address=\
    C4:AD:34:11:22:01 master-port=none mtu=1500 name=ether1-gateway \
    orig-mac-address=C4:AD:34:11:22:01 rx-flow-control=off speed=1Gbps \
    tx-flow-control=off
set [ find default-name=ether2 ] advertise=\
    10M-half,10M-full,100M-half,100M-full,1000M-half,1000M-full arp=enabled \
    arp-timeout=auto auto-negotiation=yes bandwidth=unlimited/unlimited \
    disabled=no full-duplex=yes l2mtu=1596 loop-protect=default \
    loop-protect-disable-time=5m loop-protect-send-interval=5s mac-address=\
    C4:AD:34:11:22:02 master-port=none mtu=1500 name=ether2-master-local \
    orig-mac-address=C4:AD:34:11:22:02 rx-flow-control=off speed=1Gbps \
    tx-flow-control=off
/interface eoip
add mac-address=02:6B:1F:00:00:01 name=eoip-branch remote-address=\
    198.51.100.20 tunnel-id=42
/interface list
add name=WAN
add name=LAN
/ip hotspot profile
set [ find default=yes ] html-directory=flash/hotspot
/ip ipsec proposal
set [ find default=yes ] enc-algorithms=aes-128-cbc
/ppp profile
set *0 use-encryption=yes
add change-tcp-mss=yes dns-server=192.168.10.1 local-address=192.168.77.1 \
    name=road-warrior only-one=yes remote-address=192.168.77.10 \
    use-encryption=required
set *FFFFFFFE local-address=192.168.77.1 remote-address=192.168.77.2
/snmp community
set [ find default=yes ] addresses=192.168.10.0/24
/interface l2tp-server server
set authentication=mschap2 default-profile=road-warrior enabled=yes \
    ipsec-secret=l2tp-shared-secret use-ipsec=yes
/interface list member
add interface=ether1-gateway list=WAN
add interface=ether2-master-local list=LAN
/ip address
add address=192.168.10.1/24 interface=ether2-master-local network=\
    192.168.10.0
/ip dhcp-client
add dhcp-options=hostname,clientid disabled=no interface=ether1-gateway
/ip dns
set allow-remote-requests=yes servers=192.0.2.53
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=500,1701,4500 protocol=udp
add action=accept chain=input protocol=ipsec-esp
add action=drop chain=input in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall service-port
set ftp ports=21,2121
set sip disabled=yes
/ip ssh
set forwarding-enabled=no strong-crypto=yes
/ip upnp
set enabled=yes
/ip upnp interfaces
add interface=ether1-gateway type=external
add interface=ether2-master-local type=internal
/ppp secret
add name=anna password=anna-pw profile=road-warrior service=l2tp
add name=ben password=ben-pw service=l2tp
/system clock
set time-zone-autodetect=no time-zone-name=America/Chicago
/system logging
add topics=l2tp,!debug
/system ntp client
set enabled=yes primary-ntp=192.0.2.123 secondary-ntp=198.51.100.123
/tool e-mail
set address=192.0.2.25 from=hex@example.org port=587 start-tls=yes
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
