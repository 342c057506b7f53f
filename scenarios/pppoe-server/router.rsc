# The router as a PPPoE access concentrator on its LAN port, as ISP and
# forum configurations set it up: a pool for the customers, a profile with
# the router's own session address and the pool, one secret per customer.
# The profile puts every session in the LAN list (so the defconf input
# chain lets customers reach the router) and its address in the list
# pppoe-customers. bob's secret has a password his host does not send.
/ip pool
add name=pppoe-pool ranges=10.77.0.10-10.77.0.20
/ppp profile
add dns-server=192.168.88.1 interface-list=LAN local-address=10.77.0.1 address-list=pppoe-customers name=customers remote-address=pppoe-pool
/ppp secret
add name=alice password=alice-pw profile=customers service=pppoe
add name=bob password=not-bobs profile=customers service=pppoe
/interface pppoe-server server
add default-profile=customers disabled=yes interface=ether2 one-session-per-host=yes service-name=lan
