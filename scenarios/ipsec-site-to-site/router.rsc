# Site A (the lab's router, labs/two-site.yaml): an IKEv2 site-to-site
# tunnel with a pre-shared key to site B's MikroTik (site-b.rsc beside
# this file), in the shape of the manual's site-to-site example (IPsec
# page, https://help.mikrotik.com/docs/display/ROS/IPsec): profile,
# proposal, peer, identity, a tunnel policy from this LAN to site B's.
# The defconf base (labs/hairpin.rsc) already accepts
# ipsec-policy=in,ipsec and out,ipsec before its fasttrack rule and
# masquerades with ipsec-policy=out,none; the srcnat accept for
# LAN-to-LAN is the manual's "NAT and Fasttrack Bypass" rule, which a
# router without defconf needs. The input chain takes IKE (UDP 500 and
# 4500) and ESP from the WAN, above the defconf drop.
/ip ipsec profile
add dh-group=modp2048 enc-algorithm=aes-128 hash-algorithm=sha256 name=ike2-site
/ip ipsec proposal
add auth-algorithms=sha256 enc-algorithms=aes-128-cbc name=ike2-site pfs-group=modp2048
/ip ipsec peer
add address=198.51.100.2/32 exchange-mode=ike2 local-address=203.0.113.2 name=site-b profile=ike2-site
/ip ipsec identity
add peer=site-b secret=lab-site-to-site-psk
/ip ipsec policy
add dst-address=192.168.89.0/24 peer=site-b proposal=ike2-site src-address=192.168.88.0/24 tunnel=yes
/ip firewall nat
add action=accept chain=srcnat comment="ipsec: site B's LAN is not NATed" dst-address=192.168.89.0/24 src-address=192.168.88.0/24 place-before=0
/ip firewall filter
add action=accept chain=input comment="ipsec: IKE from site B" dst-port=500,4500 protocol=udp place-before=[find comment="defconf: drop all not coming from LAN"]
add action=accept chain=input comment="ipsec: ESP from site B" protocol=ipsec-esp place-before=[find comment="defconf: drop all not coming from LAN"]
