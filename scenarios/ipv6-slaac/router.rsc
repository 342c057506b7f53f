# Nothing beyond the lab's base: its LAN address is advertised (advertise=yes
# is the default), so the LAN's hosts form addresses of 3fff:88::/64.
/system identity set name=router
