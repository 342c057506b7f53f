# 2025-11-08 10:02:55 by RouterOS 7.20.4
# software id = Q7MZ-2WRP
#
# model = RB5009UG+S+
# serial number = HGT09ACN4RK
/interface bridge add name=br-lan port-cost-mode=short vlan-filtering=yes
/interface bridge add name=br-containers port-cost-mode=short
/interface ethernet set [ find default-name=ether1 ] comment=uplink name=ether1-wan
/interface ethernet set [ find default-name=sfp-sfpplus1 ] comment="10G to switch"
/interface veth add address=172.20.0.2/24 gateway=172.20.0.1 gateway6="" name=veth-adguard
/interface veth add address=172.20.0.3/24 gateway=172.20.0.1 gateway6="" name=veth-metrics
/interface vlan add interface=br-lan name=vlan20-iot vlan-id=20
/interface list add name=WAN
/interface list add name=LAN
/container mounts add dst=/opt/adguardhome/conf name=adguard-conf src=/tmpfs1/adguard/conf
/container envs add key=TZ list=adguard-env value=Europe/Lisbon
/disk add slot=tmpfs1 tmpfs-max-size=200000000 type=tmpfs
/ip pool add name=lan ranges=10.20.1.100-10.20.1.250
/ip pool add name=iot ranges=10.20.20.100-10.20.20.250
/ip dhcp-server add address-pool=lan interface=br-lan lease-time=1d name=lan
/ip dhcp-server add address-pool=iot interface=vlan20-iot lease-time=1h name=iot
/routing table add disabled=no fib name=via-vpn
/routing bgp template set default disabled=no output.network=bgp-networks
/routing id add disabled=no id=10.20.255.1 name=rid select-dynamic-id=""
/routing ospf instance add disabled=no name=lab-ospf router-id=rid
/routing ospf area add disabled=no instance=lab-ospf name=backbone
/interface bridge port add bridge=br-lan interface=ether2
/interface bridge port add bridge=br-lan interface=ether3
/interface bridge port add bridge=br-lan interface=sfp-sfpplus1
/interface bridge port add bridge=br-containers interface=veth-adguard
/interface bridge port add bridge=br-containers interface=veth-metrics
/ip firewall connection tracking set udp-timeout=30s
/interface bridge vlan add bridge=br-lan tagged=br-lan,sfp-sfpplus1 vlan-ids=20
/interface list member add interface=ether1-wan list=WAN
/interface list member add interface=br-lan list=LAN
/interface list member add interface=vlan20-iot list=LAN
/interface list member add interface=br-containers list=LAN
/ip address add address=10.20.1.1/24 interface=br-lan network=10.20.1.0
/ip address add address=10.20.20.1/24 interface=vlan20-iot network=10.20.20.0
/ip address add address=172.20.0.1/24 interface=br-containers network=172.20.0.0
/ip dhcp-client add default-route-tables=main interface=ether1-wan
/ip dhcp-server network add address=10.20.1.0/24 dns-server=172.20.0.2 gateway=10.20.1.1
/ip dhcp-server network add address=10.20.20.0/24 dns-server=172.20.0.2 gateway=10.20.20.1
/ip dns set allow-remote-requests=yes servers=172.20.0.2
/ip dns forwarders add dns-servers=172.20.0.2 name=adguard
/ip firewall layer7-protocol add name=torrent-tracker regexp="^.*(announce|scrape)\\\?info_hash=.*\$"
/ip firewall filter add action=accept chain=input connection-state=established,related,untracked
/ip firewall filter add action=drop chain=input connection-state=invalid
/ip firewall filter add action=drop chain=input in-interface-list=!LAN
/ip firewall filter add action=fasttrack-connection chain=forward connection-state=established,related hw-offload=yes
/ip firewall filter add action=accept chain=forward connection-state=established,related,untracked
/ip firewall filter add action=drop chain=forward comment="no trackers from iot" layer7-protocol=torrent-tracker src-address=10.20.20.0/24
/ip firewall filter add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall mangle add action=mark-routing chain=prerouting new-routing-mark=via-vpn passthrough=no src-address=10.20.20.0/24
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip route add dst-address=0.0.0.0/0 gateway=10.20.1.254 routing-table=via-vpn
/ip tftp add real-filename=/tmpfs1/netboot.xyz.efi req-filename=netboot.xyz.efi
/ip tftp settings set max-block-size=8192
/routing filter rule add chain=ospf-in disabled=no rule="if (dst-len == 0) { reject; } else { accept; }"
/routing ospf interface-template add area=backbone disabled=no interfaces=br-lan networks=10.20.1.0/24 passive
/container add envlists=adguard-env interface=veth-adguard logging=yes mounts=adguard-conf remote-image=adguard/adguardhome:latest root-dir=/tmpfs1/adguard/root start-on-boot=yes
/container add interface=veth-metrics remote-image=prom/node-exporter:latest root-dir=/tmpfs1/metrics start-on-boot=yes
/container config set registry-url=https://registry-1.docker.io tmpdir=/tmpfs1/pull
/disk settings set auto-media-interface=br-lan
/snmp set contact=homelab enabled=yes location=rack
/system clock set time-zone-name=Europe/Lisbon
/system identity set name=rb5009-lab
/system note set show-at-login=no
/tool sniffer set filter-interface=vlan20-iot filter-port=dns streaming-enabled=yes streaming-server=10.20.1.50
