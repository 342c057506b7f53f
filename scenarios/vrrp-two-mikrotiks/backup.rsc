# The backup router (backup of labs/vrrp-pair.yaml): the same virtual
# router with a lower priority, so it takes 192.168.88.254 only while the
# master does not advertise.
/interface vrrp
add interface=ether2 interval=200ms name=vrrp1 priority=100 vrid=10
/ip address
add address=192.168.88.254/32 interface=vrrp1
