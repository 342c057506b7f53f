# 2025-09-06 23:16:15 by RouterOS 7.19.4
# software id = AAAA-C204
#
# model = CCR2004-1G-12S+2XS
# serial number = 000000C20400
# Shaped like a public 7.19 CCR2004 border/leaf export (names, addresses
# and serials changed): a management VRF, DHCP servers per relay on one
# bridge, RPS on the management port, a bridge VLAN trunked to an
# interface list, an L2TPv3 pseudowire, RPKI and a rule with min-prefix.
/interface bridge
add name=bridge0 protocol-mode=mstp vlan-filtering=yes
/interface l2tp-ether
add connect-to=vpn.example.net disabled=yes name=l2e-dc use-ipsec=no
/interface vlan
add interface=sfp-sfpplus1 name=ebgp-link0 vlan-id=100
add interface=bridge0 name=vlan20 vlan-id=20
/interface list
add name=TRUNKS
add name=MGMT
/ip pool
add name=pool-users ranges=10.71.3.50-10.71.3.200
add name=pool-vms ranges=10.71.4.50-10.71.4.200
/ip dhcp-server
add address-pool=pool-users interface=bridge0 lease-time=5d name=dhcp-users \
    relay=10.71.3.1 server-address=172.31.0.1
add address-pool=pool-vms interface=bridge0 lease-time=5d name=dhcp-vms \
    relay=10.71.4.1 server-address=172.31.0.1
/ip vrf
add interfaces=ether1 name=vrf-mgmt
/port
set 0 name=serial0
/routing table
add disabled=no fib name=ecmp
/interface bridge msti
add bridge=bridge0 identifier=1 vlan-mapping=20
/interface bridge port
add bridge=bridge0 interface=ether2
add bridge=bridge0 interface=ether3
/interface bridge vlan
add bridge=bridge0 tagged=bridge0,TRUNKS vlan-ids=20
/interface list member
add interface=ether2 list=TRUNKS
add interface=ether3 list=TRUNKS
add interface=vrf-mgmt list=MGMT
/ip address
add address=10.71.99.2/24 interface=ether1 network=10.71.99.0
add address=172.31.0.1/24 interface=bridge0 network=172.31.0.0
add address=10.71.20.1/24 interface=vlan20 network=10.71.20.0
/ip dhcp-server network
add address=10.71.3.0/24 gateway=10.71.3.1
add address=10.71.4.0/24 gateway=10.71.4.1
/ip firewall filter
add action=accept chain=input dst-port=22 in-interface=vrf-mgmt protocol=tcp
/ip firewall mangle
add action=mark-routing chain=prerouting in-interface=ether4 \
    new-routing-mark=vrf-mgmt passthrough=no
/ip route
add dst-address=0.0.0.0/0 gateway=10.71.99.1@vrf-mgmt routing-table=vrf-mgmt
add dst-address=10.71.99.0/24 gateway=ether1@vrf-mgmt routing-table=main
add dst-address=0.0.0.0/0 gateway=172.31.0.254 routing-table=ecmp
/ip service
set ssh address=10.71.99.0/24 vrf=vrf-mgmt
/routing rpki
add address=10.71.99.9 group=rpki1 port=3323
/routing rule
add action=lookup min-prefix=0 src-address=10.71.20.130/32 table=ecmp
/system identity
set name=BORDER-LEAF
/system resource irq rps
set ether1 disabled=no
