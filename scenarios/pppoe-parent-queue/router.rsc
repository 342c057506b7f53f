# A plan's PPPoE customers under one total: each session's rate-limit
# (3M) is a dynamic queue that the profile's parent-queue hangs under the
# plan's simple queue (1M for the whole plan here, so that one customer
# alone shows it). Fasttrack is off: fasttracked connections skip the
# simple queues.
/ip firewall filter
disable [find action=fasttrack-connection]
/queue simple
add max-limit=1M/1M name=plan target=10.77.0.0/24
/ip pool
add name=customers ranges=10.77.0.10-10.77.0.20
/ppp profile
add interface-list=LAN local-address=10.77.0.1 name=subs parent-queue=plan rate-limit=3M/3M remote-address=customers
/ppp secret
add name=alice password=alice-pw profile=subs remote-address=10.77.0.10 service=pppoe
add name=bob password=bob-pw profile=subs remote-address=10.77.0.11 service=pppoe
/interface pppoe-server server
add default-profile=subs disabled=no interface=ether2 one-session-per-host=yes service-name=isp
