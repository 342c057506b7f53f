# The router as an SSTP server for road warriors: a CA and a server
# certificate signed on the router (SSTP serves TLS with the certificate
# it names; without one RouterOS talks only to MikroTik clients), a pool
# for the tunnel addresses, a profile that gives the router's end
# 10.88.0.1 and the client one of the pool, alice's secret for SSTP, and
# the server on with that certificate. The defconf input chain still
# drops TCP 443 from the WAN: the scenario adds the accept rule.
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
add name=alice password=alice-pw profile=vpn service=sstp
/interface sstp-server server
set enabled=yes default-profile=vpn authentication=mschap2 certificate=server
