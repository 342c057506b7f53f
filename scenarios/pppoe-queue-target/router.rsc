# A WISP's per-customer simple queues on its PPPoE server, as forum
# configurations write them: a static server binding for alice (so that
# her queue can name her interface while she is offline) and a 2M queue
# on it. bob has no binding and no queue. Fasttrack is off: fasttracked
# connections skip the simple queues.
/ip firewall filter
disable [find action=fasttrack-connection]
/ip pool
add name=customers ranges=10.77.0.10-10.77.0.20
/ppp profile
add interface-list=LAN local-address=10.77.0.1 name=subs remote-address=customers
/ppp secret
add name=alice password=alice-pw profile=subs remote-address=10.77.0.10 service=pppoe
add name=bob password=bob-pw profile=subs remote-address=10.77.0.11 service=pppoe
/interface pppoe-server server
add default-profile=subs disabled=no interface=ether2 one-session-per-host=yes service-name=isp
/interface pppoe-server
add name=pppoe-alice service=isp user=alice
/queue simple
add max-limit=2M/2M name=alice-2M target=pppoe-alice
