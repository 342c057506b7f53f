# The server gets the /29's second address, both ways: a dst-nat of
# .250 to it, and a src-nat above the masquerade so that what it opens
# leaves as .250 too. The hairpin rule is there but disabled: the
# scenario's negative control, enabled by a configure step.
/ip address
add address=203.0.113.250/29 comment=server interface=ether1
/ip firewall nat
add action=dst-nat chain=dstnat comment=server-in dst-address=203.0.113.250 to-addresses=192.168.88.10
add action=src-nat chain=srcnat comment=server-out src-address=192.168.88.10 out-interface=ether1 to-addresses=203.0.113.250 place-before=0
add action=masquerade chain=srcnat comment=hairpin src-address=192.168.88.0/27 dst-address=192.168.88.10 out-interface=ether2 disabled=yes
