# A PPPoE watchdog of the forum's kind: every second a scheduler reads the
# client's running flag and, while the session is down, turns on a dst-nat
# that sends the LAN's web traffic to a local "WAN is down" server (here
# the lab's server), turning it off again when the session is back. The
# masquerade lets the LAN reach that server through the router (hairpin).
/ip firewall nat
add action=dst-nat chain=dstnat comment="wan down page" disabled=yes dst-address=!192.168.88.0/24 dst-port=12566 in-interface=ether2 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment="wan down page: hairpin" dst-address=192.168.88.10 src-address=192.168.88.0/24
/system script
add name=pppoe-watchdog policy=read,write,test source=":local up [/interface pppoe-client get pppoe-out1 running]\r\n:local rule [/ip firewall nat find comment=\"wan down page\"]\r\n:if (\$up && ![/ip firewall nat get \$rule disabled]) do={ /ip firewall nat disable \$rule; :log info \"watchdog: pppoe-out1 up\" }\r\n:if (!\$up && [/ip firewall nat get \$rule disabled]) do={ /ip firewall nat enable \$rule; :log warning \"watchdog: pppoe-out1 down\" }"
/system scheduler
add disabled=yes interval=1s name=pppoe-watchdog on-event=pppoe-watchdog policy=read,write,test
