# Port 21 of the WAN address forwarded to the LAN's FTP server; the
# defconf firewall of the lab's base lets the forward in (dst-nat) and
# the data connection the helper expects (related).
/ip firewall nat
add action=dst-nat chain=dstnat comment="ftp forward" dst-address=203.0.113.2 dst-port=21 protocol=tcp to-addresses=192.168.88.10
