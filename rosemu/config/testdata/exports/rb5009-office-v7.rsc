# 2025-03-02 09:14:07 by RouterOS 7.17.2
# software id = M4TR-88QZ
#
# model = RB5009UG+S+
# serial number = HJE0A1B2C3D
/interface ethernet
set [ find default-name=ether1 ] name=wan1
set [ find default-name=ether8 ] disabled=yes
set [ find default-name=sfp-sfpplus1 ] advertise=1G-baseX,2.5G-baseX,10G-baseSR-LR \
    auto-negotiation=no speed=10G-baseSR-LR
/interface wireguard
add listen-port=51820 mtu=1420 name=wg-staff private-key=\
    "WElyTGx0ZUVLNzJ4cG1HOXVZdlFyVDNXd1BTNW5LMGk="
/interface list
add name=WAN
add name=LAN
add name=MGMT
add comment="LAN ports but the management port" exclude=MGMT include=LAN \
    name=USERS
/ip ipsec profile
set [ find default=yes ] dh-group=modp2048 enc-algorithm=aes-256 \
    hash-algorithm=sha256
add dh-group=ecp256 enc-algorithm=aes-256 hash-algorithm=sha256 lifetime=8h \
    name=branch
/ip ipsec peer
add address=198.51.100.77/32 exchange-mode=ike2 name=branch-vienna profile=\
    branch
/ip ipsec proposal
set [ find default=yes ] enc-algorithms=aes-256-cbc pfs-group=modp2048
add auth-algorithms=sha256 enc-algorithms=aes-256-gcm name=branch pfs-group=\
    ecp256
/queue type
add kind=pcq name=pcq-down-10M pcq-classifier=dst-address pcq-rate=10M
add kind=pcq name=pcq-up-2M pcq-classifier=src-address pcq-rate=2M
/queue simple
add max-limit=50M/200M name=staff queue=pcq-up-2M/pcq-down-10M target=\
    10.20.0.0/24
add max-limit=5M/20M name=guests target=10.30.0.0/24
/queue tree
add max-limit=300M name=download parent=global
add limit-at=100M max-limit=300M name=voip packet-mark=voip parent=download \
    priority=1
/snmp community
set [ find default=yes ] addresses=10.20.0.0/24 name=office-ro
/system logging action
set 3 remote=10.20.0.50
/ip neighbor discovery-settings
set discover-interface-list=MGMT
/ip settings
set rp-filter=loose tcp-syncookies=yes
/interface detect-internet
set detect-interface-list=WAN
/interface list member
add interface=wan1 list=WAN
add interface=ether2 list=LAN
add interface=ether3 list=LAN
add interface=ether4 list=LAN
add interface=ether7 list=MGMT
add interface=ether7 list=LAN
add interface=wg-staff list=LAN
/interface ovpn-server server
add mac-address=FE:1A:2B:3C:4D:01 name=ovpn-server1
/interface wireguard peers
add allowed-address=10.66.0.2/32 comment=laptop-anna interface=wg-staff \
    name=anna public-key="bWdQN3R2OENKaXFwRkV6NHlVQm5XMlNrTDZBaFJvOXg="
add allowed-address=10.66.0.3/32 comment=phone-ben interface=wg-staff name=\
    ben persistent-keepalive=25s public-key=\
    "cUx6NDhWbkc3eUFkMlRwUzlLd1JmM0xoWHRDNm1FYmo="
/ip address
add address=203.0.113.10/29 interface=wan1 network=203.0.113.8
add address=10.20.0.1/24 interface=ether2 network=10.20.0.0
add address=10.30.0.1/24 interface=ether3 network=10.30.0.0
add address=10.99.0.1/24 comment=management interface=ether7 network=10.99.0.0
add address=10.66.0.1/24 interface=wg-staff network=10.66.0.0
/ip dns
set allow-remote-requests=yes cache-size=8192KiB servers=9.9.9.9,149.112.112.112
/ip firewall address-list
add address=10.20.0.0/24 list=staff
add address=10.30.0.0/24 list=guests
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input connection-state=invalid
add action=accept chain=input dst-port=51820 protocol=udp
add action=accept chain=input dst-port=500,4500 protocol=udp
add action=accept chain=input protocol=ipsec-esp
add action=drop chain=input in-interface-list=!LAN
add action=drop chain=forward comment="guests stay away from staff" \
    dst-address-list=staff src-address-list=guests
/ip firewall nat
add action=accept chain=srcnat dst-address=10.50.0.0/16 src-address=\
    10.20.0.0/24
add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall service-port
set ftp disabled=yes
set h323 disabled=yes
set sip disabled=yes
set pptp disabled=yes
/ip ipsec identity
add generate-policy=port-strict peer=branch-vienna secret=vienna-psk-2025
/ip ipsec policy
add dst-address=10.50.0.0/16 peer=branch-vienna proposal=branch src-address=\
    10.20.0.0/24 tunnel=yes
/ip route
add gateway=203.0.113.9
/ip ssh
set host-key-type=ed25519 strong-crypto=yes
/queue interface
set wan1 queue=ethernet-default
/snmp
set contact=it@example.com enabled=yes location="server room" trap-version=2
/system clock
set time-zone-name=Europe/Berlin
/system identity
set name=office-gw
/system ntp client
set enabled=yes
/system ntp server
set enabled=yes
/system ntp client servers
add address=ptbtime1.ptb.de
add address=192.0.2.123
/tool graphing interface
add interface=wan1
/tool e-mail
set from=office-gw@example.com port=587 server=mail.example.com tls=starttls \
    user=office-gw
/tool netwatch
add down-script=":log warning \"uplink down\"" host=203.0.113.9 interval=15s \
    type=icmp up-script=":log info \"uplink up\""
/tool romon
set enabled=yes
