# 2025-09-16 10:12:09 by RouterOS 7.19.3
# software id = QX7R-PL2M
#
# model = RB4011iGS+
# serial number = HGX0TEST001
/interface bridge
add name=bridge1 port-cost-mode=short
/interface ethernet
set [ find default-name=ether2 ] name="ether2 - tenants"
/interface wireguard
add listen-port=13231 mtu=1420 name=wg0
/interface vlan
add interface="ether2 - tenants" name="Tenant North" vlan-id=200
add interface="ether2 - tenants" name="Tenant Guest" vlan-id=250
/interface bonding
add forced-mac-address=00:00:00:00:00:00 mode=802.3ad name=bond1 slaves=\
    ether7,ether8 transmit-hash-policy=layer-2-and-3
/ip pool
add name="Tenant North" ranges=192.168.20.10-192.168.20.250
add name="Tenant Guest" ranges=10.10.1.20-10.10.1.250
/ip dhcp-server
add address-pool="Tenant North" interface="Tenant North" lease-time=1d name=\
    "Tenant North" server-address=192.168.20.1
add address-pool="Tenant Guest" interface="Tenant Guest" lease-time=1d30m \
    name="Tenant Guest"
/port
set 0 name=serial0
set 1 name=serial1
/routing ospf instance
add name=default-v2 router-id=10.255.0.4
/routing ospf area
add instance=default-v2 name=backbone
/interface bridge port
add bridge=bridge1 interface=ether3 internal-path-cost=10 path-cost=10
add bridge=bridge1 interface=ether4 internal-path-cost=10 path-cost=10
/interface wireguard peers
add allowed-address=10.100.100.2/32 endpoint-address=198.51.100.20 \
    endpoint-port=13231 interface=wg0 name=branch persistent-keepalive=25s \
    public-key="1EQ9/EacEc8LzF2AdRCtw8730FDwDVXaXUqYYfGEJKw="
/ip address
add address=203.0.113.26/30 interface=ether1 network=203.0.113.24
add address=10.255.0.4 comment=Loopback interface=lo network=10.255.0.4
add address=192.168.20.1/24 interface="Tenant North" network=192.168.20.0
add address=10.10.1.1/24 interface="Tenant Guest" network=10.10.1.0
add address=10.3.3.1/24 interface=bridge1 network=10.3.3.0
add address=10.100.100.1/24 interface=wg0 network=10.100.100.0
/ip dhcp-server network
add address=10.10.1.0/24 dns-server=192.0.2.53 gateway=10.10.1.1 netmask=24
add address=192.168.20.0/24 dns-server=192.0.2.53 gateway=192.168.20.1 \
    netmask=24
/ip dns
set allow-remote-requests=yes servers=192.0.2.53,198.51.100.53
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=jump chain=input jump-target=common
add action=drop chain=input dst-port=21,22,23,53,80,443,8080 in-interface=\
    ether1 protocol=tcp src-port=""
add action=accept chain=common comment="IPIP tunnels" connection-state="" \
    protocol=ipencap
add action=accept chain=common connection-state="" protocol=ospf
add action=return chain=common
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add disabled=no distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.25 \
    pref-src="" routing-table=main scope=30 suppress-hw-offload=no \
    target-scope=10
/ipv6 route
add blackhole distance=240 dst-address=2001:db8:1181::/48
/routing ospf interface-template
add area=backbone networks=10.100.100.0/24 type=nbma
add area=backbone networks=10.255.0.4/32 passive
/routing ospf static-neighbor
add address=10.100.100.2%wg0 area=backbone
/system clock
set time-zone-name=America/Chicago
/system identity
set name="Tenant Hall"
/system note
set show-at-login=no
