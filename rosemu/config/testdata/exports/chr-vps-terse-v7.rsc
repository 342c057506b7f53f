# 2025-06-18 12:00:03 by RouterOS 7.18.2
# software id = 
#
/interface ethernet set [ find default-name=ether1 ] disable-running-check=no name=public
/interface list add name=WAN
/ppp profile add change-tcp-mss=yes local-address=10.200.0.1 name=sstp-users remote-address=10.200.0.2 use-encryption=required
/system logging action set 3 remote=10.200.0.10
/interface list member add interface=public list=WAN
/interface sstp-server server set authentication=mschap2 default-profile=sstp-users enabled=yes port=8443 tls-version=only-1.2
/ip address add address=203.0.113.50/24 interface=public network=203.0.113.0
/ip cloud set ddns-enabled=auto update-time=no
/ip dns set allow-remote-requests=no servers=1.1.1.1 use-doh-server=https://cloudflare-dns.com/dns-query verify-doh-cert=yes
/ip firewall filter add action=accept chain=input connection-state=established,related
/ip firewall filter add action=accept chain=input dst-port=22,8443 protocol=tcp
/ip firewall filter add action=drop chain=input in-interface-list=WAN
/ip firewall service-port set ftp disabled=yes
/ip firewall service-port set tftp disabled=yes
/ip firewall service-port set irc disabled=yes
/ip firewall service-port set h323 disabled=yes
/ip firewall service-port set sip disabled=yes
/ip firewall service-port set pptp disabled=yes
/ip ipsec policy set 0 disabled=yes
/ip proxy set port=3128
/ip route add gateway=203.0.113.1
/ip smb shares set [ find default=yes ] directory=/pub
/ip smb users set [ find default=yes ] disabled=yes
/ip socks set port=1081
/ip ssh set always-allow-password-login=yes forwarding-enabled=local host-key-size=4096
/ppp secret add name=remote1 password=s3cr3t profile=sstp-users service=sstp
/system clock set time-zone-name=Etc/UTC
/system identity set name=vps-edge
/system note set note="Managed by the ops team. Changes go through the ticket queue." show-at-login=yes
/system package update set channel=long-term
/system scheduler add interval=1d name=nightly on-event=nightly-backup policy=ftp,read,write,policy,test start-time=03:30:00
/system script add dont-require-permissions=no name=nightly-backup owner=ops policy=ftp,read,write,policy,test source=":log info \"backup run\""
/tool bandwidth-server set enabled=no
/tool mac-server set allowed-interface-list=none
/tool mac-server mac-winbox set allowed-interface-list=none
/tool mac-server ping set enabled=no
/certificate settings set crl-download=yes crl-use=yes
