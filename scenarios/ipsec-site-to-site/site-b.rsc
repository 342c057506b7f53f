# Site B (the lab's second router, site-b of labs/two-site.yaml): the
# other end of site A's tunnel, the same profile, proposal and key, the
# policy the other way round. Its base (labs/two-site-b.rsc) is an older
# defconf: the masquerade has no ipsec-policy=out,none and the forward
# chain no ipsec-policy accepts, so the srcnat accept for LAN-to-LAN
# (above the masquerade) and a forward accept for what the tunnel
# decrypted (above the drop of new connections from the WAN) are what
# make the tunnel carry traffic (IPsec page, "NAT and Fasttrack Bypass").
# The mangle rule counts clear-text packets from site A's LAN arriving on
# the WAN: while the SA is up, only ESP in UDP should arrive there.
/ip ipsec profile
add dh-group=modp2048 enc-algorithm=aes-128 hash-algorithm=sha256 name=ike2-site
/ip ipsec proposal
add auth-algorithms=sha256 enc-algorithms=aes-128-cbc name=ike2-site pfs-group=modp2048
/ip ipsec peer
add address=203.0.113.2/32 exchange-mode=ike2 local-address=198.51.100.2 name=site-a profile=ike2-site
/ip ipsec identity
add peer=site-a secret=lab-site-to-site-psk
/ip ipsec policy
add dst-address=192.168.88.0/24 peer=site-a proposal=ike2-site src-address=192.168.89.0/24 tunnel=yes
/ip firewall nat
add action=accept chain=srcnat comment="ipsec: site A's LAN is not NATed" dst-address=192.168.88.0/24 src-address=192.168.89.0/24 place-before=0
/ip firewall filter
add action=accept chain=input comment="ipsec: IKE from site A" dst-port=500,4500 protocol=udp place-before=[find comment="defconf: drop all not coming from LAN"]
add action=accept chain=input comment="ipsec: ESP from site A" protocol=ipsec-esp place-before=[find comment="defconf: drop all not coming from LAN"]
add action=accept chain=forward comment="ipsec: decrypted from site A" ipsec-policy=in,ipsec place-before=[find comment="defconf: drop all from WAN not DSTNATed"]
/ip firewall mangle
add action=passthrough chain=prerouting comment="clear text from site A's LAN on the WAN" in-interface=ether1 ipsec-policy=in,none src-address=192.168.88.0/24
add action=passthrough chain=prerouting comment="ESP in UDP from site A" in-interface=ether1 protocol=udp src-address=203.0.113.2 dst-port=4500
