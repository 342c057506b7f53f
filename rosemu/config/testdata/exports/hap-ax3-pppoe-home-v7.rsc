# 2025-06-02 21:14:07 by RouterOS 7.19.4
# software id = 4KQT-ZP8M
#
# model = C53UiG+5HPaxD2HPaxD
# serial number = HFX0C2A7TQ1
/interface bridge
add admin-mac=F4:1E:57:20:6A:10 auto-mac=no comment=defconf name=bridge
/interface ethernet
set [ find default-name=ether1 ] comment="fibre ONT" name=ether1-wan
/interface vlan
add interface=ether1-wan name=vlan35-inet vlan-id=35
/interface pppoe-client
add add-default-route=yes disabled=no interface=vlan35-inet name=pppoe-isp \
    use-peer-dns=yes user=cust88417@isp.example
/interface wireguard
add listen-port=51820 mtu=1420 name=wg-home
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=default-dhcp ranges=192.168.40.20-192.168.40.220
/ip dhcp-server
add address-pool=default-dhcp interface=bridge lease-time=12h name=defconf \
    use-reconfigure=yes
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
add bridge=bridge comment=defconf interface=ether5
/ip firewall connection tracking
set udp-timeout=10s
/ip neighbor discovery-settings
set discover-interface-list=LAN
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1-wan list=WAN
add interface=pppoe-isp list=WAN
add interface=wg-home list=LAN
/interface wireguard peers
add allowed-address=10.77.0.2/32 client-address=10.77.0.2/32 client-dns=\
    10.77.0.1 client-endpoint=home.example.net client-listen-port=51820 \
    interface=wg-home name=phone persistent-keepalive=25s public-key=\
    "c2VjcmV0LXB1YmxpYy1rZXktb2YtdGhlLXBob25lMDA="
/ip address
add address=192.168.40.1/24 comment=defconf interface=bridge network=\
    192.168.40.0
add address=10.77.0.1/24 interface=wg-home network=10.77.0.0
/ip dhcp-server lease
add address=192.168.40.10 comment=nas mac-address=6C:3B:6B:11:22:33 server=\
    defconf
/ip dhcp-server network
add address=192.168.40.0/24 comment=defconf dns-server=192.168.40.1 gateway=\
    192.168.40.1
/ip dns
set allow-remote-requests=yes
/ip dns adlist
add url=https://lists.example.org/hosts-ads.txt
add ssl-verify=no url=https://lists.example.org/hosts-tracking.txt
/ip dns static
add address=192.168.40.1 comment=defconf name=router.lan type=A
/ip firewall filter
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment="wireguard" dst-port=51820 protocol=udp
add action=drop chain=input comment="defconf: drop all not coming from LAN" \
    in-interface-list=!LAN
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
/ip kid-control
add fri=0s-1d mon=7h-21h name=homework sat=0s-1d sun=0s-1d thu=7h-21h tue=\
    7h-21h wed=7h-21h
/ip kid-control device
add mac-address=02:5E:11:00:AA:01 name=tablet user=homework
/ip service
set telnet disabled=yes
set ftp disabled=yes
set www disabled=yes
set api disabled=yes
/system clock
set time-zone-name=Europe/Prague
/system identity
set name=hap-ax3-home
/system note
set show-at-login=no
/system ntp client
set enabled=yes
/system ntp client servers
add address=pool.ntp.org
/system scheduler
add interval=1d name=nightly-backup on-event=nightly-backup policy=\
    read,write,policy,test start-date=2025-01-01 start-time=03:30:00
/system script
add dont-require-permissions=no name=nightly-backup owner=admin policy=\
    read,write,policy,test source="/export file=nightly"
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
/tool netwatch
add comment="isp gateway" host=9.9.9.9 interval=30s type=icmp
