# The router as the LAN's resolver with the static entries of a home
# network's split DNS (RouterOS 7): a blocked name (NXDOMAIN), a local zone
# answered whole (match-subdomain), a CNAME to a local name, and the lab's
# public resolver as upstream for everything else.
/ip dns
set allow-remote-requests=yes servers=198.51.100.53
/ip dns static
add comment=block name=www.myserver.net type=NXDOMAIN
add address=192.168.88.10 comment=zone match-subdomain=yes name=home.lan type=A
add cname=nas.home.lan comment=alias name=files.example.org type=CNAME
