# A metered profile of the router's PPPoE server: idle-timeout ends a
# session from which nothing has come for 4 s (minutes on a real WISP);
# the flat profile has none.
/ip pool
add name=customers ranges=10.77.0.10-10.77.0.20
/ppp profile
add idle-timeout=4s interface-list=LAN local-address=10.77.0.1 name=metered remote-address=customers
add interface-list=LAN local-address=10.77.0.1 name=flat remote-address=customers
/ppp secret
add name=alice password=alice-pw profile=metered remote-address=10.77.0.10 service=pppoe
add name=bob password=bob-pw profile=flat remote-address=10.77.0.11 service=pppoe
/interface pppoe-server server
add default-profile=flat disabled=no interface=ether2 one-session-per-host=yes service-name=isp
