# UPnP on, as the manual's example has it: the LAN's bridge internal, the
# WAN port external (https://help.mikrotik.com/docs/display/ROS/UPnP).
/ip upnp interfaces
add interface=bridge1 type=internal
add interface=ether1 type=external
/ip upnp
set enabled=yes
