# A small ISP's CGNAT onto its one public address with a block of source
# ports per customer, so that an abuse report naming the public address
# and a port names the customer: alice's TCP leaves from 10000-10999,
# bob's from 20000-20999 (src-nat with to-ports, above defconf's
# masquerade). The customers dial the router's PPPoE server.
/ip pool
add name=customers ranges=10.77.0.10-10.77.0.20
/ppp profile
add interface-list=LAN local-address=10.77.0.1 name=subs remote-address=customers
/ppp secret
add name=alice password=alice-pw profile=subs remote-address=10.77.0.10 service=pppoe
add name=bob password=bob-pw profile=subs remote-address=10.77.0.11 service=pppoe
/interface pppoe-server server
add default-profile=subs disabled=no interface=ether2 one-session-per-host=yes service-name=isp
/ip firewall nat
add action=src-nat chain=srcnat comment="cgnat alice" out-interface=ether1 protocol=tcp src-address=10.77.0.10 to-addresses=203.0.113.2 to-ports=10000-10999 place-before=0
add action=src-nat chain=srcnat comment="cgnat bob" out-interface=ether1 protocol=tcp src-address=10.77.0.11 to-addresses=203.0.113.2 to-ports=20000-20999 place-before=0
