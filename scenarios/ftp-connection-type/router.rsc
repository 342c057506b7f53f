# Port 21 of the WAN address forwarded to the LAN's FTP server (as in
# ftp-forward), and two counting rules: connection-type=ftp alone, and
# connection-type=ftp on the control connection's port 21. RouterOS's
# matcher takes the connections the FTP helper expected (the data
# connection), never the control connection itself.
/ip firewall nat
add action=dst-nat chain=dstnat comment="ftp forward" dst-address=203.0.113.2 dst-port=21 protocol=tcp to-addresses=192.168.88.10
/ip firewall mangle
add action=passthrough chain=forward comment=ftp-type connection-type=ftp
add action=passthrough chain=forward comment=ftp-type-control connection-type=ftp port=21 protocol=tcp
