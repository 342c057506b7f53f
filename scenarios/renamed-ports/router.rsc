# Ports renamed as most real exports have them, one name with spaces, and
# an interface list made of all interfaces but the WAN list. Every rule
# names the ports by their new names.
/interface ethernet
set [ find default-name=ether1 ] comment="to the ISP" name="ether1 - isp"
set [ find default-name=ether2 ] name=lan
/interface list
add comment="all but WAN" exclude=WAN include=all name=INSIDE
/ip firewall nat
add action=dst-nat chain=dstnat comment="hairpin only: from INSIDE" dst-address=203.0.113.2 dst-port=12566 in-interface-list=INSIDE protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="hairpin masquerade out the renamed LAN port" dst-address=192.168.88.10 out-interface=lan src-address=192.168.88.0/24
add action=dst-nat chain=dstnat comment="internet only: in the renamed WAN port" dst-address=203.0.113.2 dst-port=12566 in-interface="ether1 - isp" protocol=udp to-addresses=192.168.88.10
