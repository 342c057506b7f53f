# The server's public address .250 of the office's /29 is not an
# /ip address of the router: a published ARP entry on the WAN makes the
# router answer the ISP's gateway for it, and a dst-nat takes it to the
# server. The entry starts disabled: the scenario's negative control.
/ip arp
add address=203.0.113.250 comment=server interface=ether1 mac-address=02:00:00:00:00:fa published=yes disabled=yes
/ip firewall nat
add action=dst-nat chain=dstnat comment=server-in dst-address=203.0.113.250 to-addresses=192.168.88.10
