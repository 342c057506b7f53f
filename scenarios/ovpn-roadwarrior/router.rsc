# The router as an OpenVPN server for road warriors: a CA and a server
# certificate signed on the router (OpenVPN's TLS needs one), a pool for
# the tunnel addresses, a profile that gives the router's end 10.88.0.1
# and the client one of the pool, alice's secret for OpenVPN, a static
# server binding so her session's interface has a name the firewall can
# use, and the server on with that certificate, AES-256-GCM (RouterOS 7;
# GCM takes auth=null, the manual's OpenVPN page). The defconf input
# chain still drops TCP 1194 from the WAN: the scenario adds the accept
# rule.
/certificate
add name=ca common-name=lab-ca key-usage=key-cert-sign,crl-sign
sign ca
add name=server common-name=vpn.lab.example
sign server ca=ca
/ip pool
add name=vpn ranges=10.88.0.10-10.88.0.20
/ppp profile
add name=vpn local-address=10.88.0.1 remote-address=vpn
/ppp secret
add name=alice password=alice-pw profile=vpn service=ovpn
add name=bob password=bob-pw profile=vpn service=ovpn
/interface ovpn-server
add name=ovpn-alice user=alice
/interface ovpn-server server
set enabled=yes default-profile=vpn certificate=server cipher=aes256-gcm auth=null
