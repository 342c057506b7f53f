# Layer-2 site to site over EoIP, as the forum's how-tos set it up: the
# tunnel to the site's public address from the router's WAN address, on
# the tunnel id both ends share, added to the LAN bridge. keepalive is
# RouterOS's default (10s,10): the site sends its own.
/interface eoip
add local-address=203.0.113.2 mac-address=02:00:5E:00:E0:01 name=eoip-tunnel1 remote-address=198.51.100.61 tunnel-id=42
/interface bridge port
add bridge=bridge1 interface=eoip-tunnel1
