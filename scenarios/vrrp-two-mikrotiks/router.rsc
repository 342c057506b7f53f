# The lab's router (labs/vrrp-pair.yaml): the master of virtual router 10
# on the LAN (priority 200 above the backup's 100), advertising every
# 200 ms so that a failover takes about a second, and 192.168.88.254 on
# the virtual router, the LAN's gateway.
/interface vrrp
add interface=ether2 interval=200ms name=vrrp1 priority=200 vrid=10
/ip address
add address=192.168.88.254/32 interface=vrrp1
