# Dual-WAN failover by netwatch scripts, as many forum posts build it:
# netwatch pings ISP1's gateway every second; its down-script disables
# ISP1's default route, so ISP2's (distance 2) carries the traffic, and its
# up-script enables it again. The entry starts disabled: the scenario's
# negative control comes first.
/tool netwatch
add comment=isp1 disabled=yes down-script="/ip route disable [find comment=isp1]" \
    host=203.0.113.1 interval=1s timeout=500ms \
    up-script="/ip route enable [find comment=isp1]"
