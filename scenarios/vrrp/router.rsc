# The router's side of virtual router 1 on the LAN, at priority 200: above
# the standby's 150, so it is master and holds 192.168.88.254.
/interface vrrp
add comment="LAN gateway" interface=ether2 interval=200ms name=vrrp1 priority=200 vrid=1
/ip address
add address=192.168.88.254 interface=vrrp1
# Packets to the virtual address arrive on vrrp1, not on ether2: without
# this, defconf's "drop all not coming from LAN" drops them.
/interface list member
add interface=vrrp1 list=LAN
