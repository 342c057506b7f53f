# jan/09/2025 19:44:02 by RouterOS 6.49.15
# software id = AA11-BB22
#
# model = RB952Ui-5ac2nD
/interface bridge
add admin-mac=2C:C8:1B:00:00:03 auto-mac=no comment=defconf name=bridge
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 password=geheim profile=wan-up use-peer-dns=yes user=kunde@isp
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ppp profile
add name=wan-up on-up=":local a \$\"local-address\"\r\
    \n/ip firewall address-list remove [find list=WAN-IP]\r\
    \n/ip firewall address-list add list=WAN-IP address=\$a" use-encryption=no
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=pppoe-out1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 out-interface=bridge protocol=tcp src-address=192.168.88.0/24
add action=dst-nat chain=dstnat comment="NAS über WAN-IP" dst-address-list=WAN-IP dst-port=5001 protocol=tcp to-addresses=192.168.88.10
/system identity
set name=lab-home
