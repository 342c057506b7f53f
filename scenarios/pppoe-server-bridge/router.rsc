# A WISP's PPPoE server on the bridge of its customer ports, with the
# bridge named as such exports name it: bridge-customers is 16 bytes, one
# more than a Linux interface name holds, so the emulator carries it on a
# link of another name. The LAN address and list move to the bridge.
/interface bridge
add name=bridge-customers protocol-mode=none
/interface bridge port
add bridge=bridge-customers interface=ether2
/ip address
set [find interface=ether2] interface=bridge-customers
/interface list member
set [find interface=ether2] interface=bridge-customers
/ip pool
add name=customers ranges=10.77.0.10-10.77.0.20
/ppp profile
add interface-list=LAN local-address=10.77.0.1 name=subs remote-address=customers
/ppp secret
add name=alice password=alice-pw profile=subs remote-address=10.77.0.10 service=pppoe
add name=bob password=bob-pw profile=subs remote-address=10.77.0.11 service=pppoe
/interface pppoe-server server
add default-profile=subs disabled=yes interface=bridge-customers one-session-per-host=yes service-name=isp
