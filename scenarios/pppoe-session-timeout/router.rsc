# Prepaid and flat customers of the router's PPPoE server: the prepaid
# profile's session-timeout ends a session once it has been up 5 s (an
# hour or a day on a real WISP), the flat profile has none.
/ip pool
add name=customers ranges=10.77.0.10-10.77.0.20
/ppp profile
add interface-list=LAN local-address=10.77.0.1 name=prepaid remote-address=customers session-timeout=5s
add interface-list=LAN local-address=10.77.0.1 name=flat remote-address=customers
/ppp secret
add name=alice password=alice-pw profile=prepaid remote-address=10.77.0.10 service=pppoe
add name=bob password=bob-pw profile=flat remote-address=10.77.0.11 service=pppoe
/interface pppoe-server server
add default-profile=flat disabled=no interface=ether2 one-session-per-host=yes service-name=isp
