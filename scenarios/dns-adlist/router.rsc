# The router resolves for the LAN and blocks the names of an adlist read
# from a file on the router (made here with /file add, as a script would
# write it; an uploaded file works the same).
/ip dns
set allow-remote-requests=yes servers=198.51.100.53
/file
add name=ads.txt contents="# blocked\n0.0.0.0 www.myserver.net\n"
/ip dns adlist
add file=ads.txt comment=ads
