package config

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// storedConfig sets something in every stored-settings menu; each line is
// RouterOS 7 syntax.
const storedConfig = `/system clock set time-zone-name=Europe/Riga time-zone-autodetect=no
/system ntp client set enabled=yes servers=0.pool.ntp.org,192.0.2.123
/system ntp client servers add address=time.example.net
/system ntp server set enabled=yes broadcast=yes
/system note set note="Authorised access only" show-at-login=no
/system logging action set 3 remote=192.0.2.9 remote-port=5514
/system logging action add name=siem target=remote remote=198.51.100.7 bsd-syslog=yes syslog-facility=local3
/system logging add topics=firewall,!debug action=siem prefix=fw
/system logging set 0 topics=info,!dhcp
/system watchdog set watchdog-timer=no
/system package update set channel=long-term
/certificate settings set crl-use=yes
/ip neighbor discovery-settings set discover-interface-list=all protocol=lldp,mndp
/tool mac-server set allowed-interface-list=none
/tool mac-server mac-winbox set allowed-interface-list=all
/tool mac-server ping set enabled=no
/tool romon set enabled=yes id=4c:5e:0c:11:22:33
/snmp set enabled=yes contact="noc@example.net" location="rack 4" trap-version=2
/snmp community set [ find default=yes ] addresses=192.0.2.0/24 name=monitor
/ip ssh set strong-crypto=yes host-key-type=ed25519
/ip settings set rp-filter=loose tcp-syncookies=yes
/ipv6 settings set disable-ipv6=yes
/ip upnp set enabled=yes
/ip upnp interfaces add interface=ether1 type=external
/ip upnp interfaces add interface=ether2 type=internal
/ip proxy set enabled=yes port=3128
/ip socks set enabled=yes version=5
/ip smb set enabled=no
/tool bandwidth-server set enabled=no
/tool graphing interface add interface=ether1
/ip traffic-flow set enabled=yes
/ip traffic-flow target add dst-address=192.0.2.50 version=IPFIX
/tool e-mail set server=smtp.example.net port=587 tls=starttls from=router@example.net
/ip firewall service-port set sip disabled=yes
/ip firewall service-port set ftp ports=21,2121
/ip ipsec profile set [ find default=yes ] dpd-interval=30s
/ip ipsec proposal set [ find default=yes ] enc-algorithms=aes-256-cbc pfs-group=modp2048
/ip ipsec peer add name=hq address=203.0.113.20/32 exchange-mode=ike2
/ip ipsec identity add peer=hq secret=s3cret generate-policy=port-strict
/ip ipsec policy add peer=hq src-address=192.168.88.0/24 dst-address=10.10.0.0/16 tunnel=yes
/interface wireguard add name=wg-home listen-port=51820 private-key="aGlzIGlzIGEgdGVzdCBrZXkgb2YgMzIgYnl0ZXMhISE="
/interface wireguard peers add interface=wg-home public-key="cGVlciBwdWJsaWMga2V5IG9mIHRoaXJ0eS10d28gYiE=" allowed-address=10.66.0.2/32
/ppp profile set *FFFFFFFE local-address=10.70.0.1 dns-server=10.70.0.1
/ppp profile add name=vpn local-address=10.70.0.1 remote-address=10.70.0.2 use-encryption=required
/ppp secret add name=alice password=pw profile=vpn service=l2tp
/interface l2tp-server server set enabled=yes use-ipsec=required ipsec-secret=psk default-profile=vpn
/interface sstp-server server set enabled=yes port=8443
/interface ovpn-server server set enabled=yes cipher=aes256-cbc
/ipv6 pool add name=pd prefix=2001:db8:100::/56 prefix-length=64
/ipv6 address add address=::1/64 from-pool=pd interface=ether2
/ipv6 route add dst-address=2000::/3 gateway=fe80::1%ether1
/ipv6 dhcp-client add interface=ether1 request=prefix pool-name=pd add-default-route=yes
/ipv6 dhcp-server add name=pd-lan interface=ether2 address-pool=pd lease-time=3d
/ipv6 nd set [ find default=yes ] advertise-dns=no
/ipv6 firewall address-list add address=fe80::/10 list=link-local
/ipv6 firewall filter add action=accept chain=input protocol=icmpv6
/ipv6 firewall filter add action=drop chain=forward hop-limit=equal:1 protocol=icmpv6
/ipv6 firewall filter add action=drop chain=input in-interface=!ether2
/queue type add name=pcq-down kind=pcq pcq-classifier=dst-address pcq-rate=20M
/queue simple add name=guests target=192.168.88.0/24 max-limit=5M/20M queue=pcq-upload-default/pcq-down
/queue tree add name=down parent=global packet-mark=web max-limit=50M
/queue interface set ether1 queue=ethernet-default
`

func TestStoredMenusRoundTrip(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, storedConfig)
	exp := body(r.Export())
	for _, want := range []string{
		"/system clock\nset time-zone-autodetect=no time-zone-name=Europe/Riga\n",
		"/system logging action\nset 3 remote=192.0.2.9 remote-port=5514\nadd ",
		"/system logging\nset 0 topics=info,!dhcp\nadd action=siem prefix=fw topics=firewall,!debug\n",
		"/snmp community\nset [ find default=yes ] addresses=192.0.2.0/24 name=monitor\n",
		"/ip firewall service-port\nset ftp ports=21,2121\nset sip disabled=yes\n",
		"/ppp profile\nset *FFFFFFFE dns-server=10.70.0.1 local-address=10.70.0.1\nadd ",
		"/queue interface\nset ether1 queue=ethernet-default\n",
		"/ipv6 nd\nset [ find default=yes ] advertise-dns=no\n",
		"/tool mac-server\nset allowed-interface-list=none\n",
	} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	// Menus at their defaults export nothing.
	for _, absent := range []string{"/tool mac-server mac-winbox\n", "/ip smb\n", "/system ntp client servers\nset"} {
		if strings.Contains(exp, absent) {
			t.Errorf("export has %q at its default:\n%s", absent, exp)
		}
	}
	// The export is accepted again and gives the same configuration.
	r2 := New(Options{Ports: ports})
	run(t, r2, exp)
	if exp2 := body(r2.Export()); exp2 != exp {
		t.Errorf("re-import differs:\n%s\nwant\n%s", exp2, exp)
	}
}

func TestStoredMenusPrint(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, storedConfig)
	out := run(t, r, "/snmp print")
	for _, want := range []string{"     enabled: yes\n", "    location: rack 4\n", "trap-version: 2\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("/snmp print lacks %q:\n%s", want, out)
		}
	}
	out = run(t, r, "/ip firewall service-port print")
	if !strings.Contains(out, "X  sip") || strings.Contains(out, "X  ftp") {
		t.Errorf("service-port print:\n%s", out)
	}
	if got := run(t, r, ":put [/ip firewall service-port get [find name=ftp] ports]"); got != "21,2121\n" {
		t.Errorf("ftp ports = %q", got)
	}
	rows, _, err := r.Command(context.Background(), "/snmp/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rows[0].Get("enabled"); v != "true" {
		t.Errorf("API enabled = %q, want true", v)
	}
	if got := run(t, r, ":put [/system clock get time-zone-name]"); got != "Europe/Riga\n" {
		t.Errorf("time-zone-name = %q", got)
	}
}

func TestStoredMenusRejections(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{"/system clock set time-zone-name=Mars/Olympus", "input does not match any value of time-zone-name (line 1 column 19)"},
		{"/system ntp client set enabled=perhaps", "invalid value for argument enabled (line 1 column 24)"},
		{"/system ntp client set servers=bad/name", "invalid value for argument servers (line 1 column 24)"},
		{"/system ntp client set primary-ntp=192.0.2.1", "expected end of command (line 1 column 24)"},
		{"/system logging add topics=info action=nowhere", "input does not match any value of action (line 1 column 33)"},
		{"/system logging action add name=x target=printer", "invalid value for argument target (line 1 column 35)"},
		{"/system logging action remove 0", "failure: cannot remove builtin (line 1 column 1)"},
		{"/ip neighbor discovery-settings set discover-interface-list=NOPE", "input does not match any value of discover-interface-list (line 1 column 37)"},
		{"/tool romon set id=zz:00:00:00:00:00", "invalid value for argument id (line 1 column 17)"},
		{"/snmp set trap-version=4", "invalid value for argument trap-version (line 1 column 11)"},
		{"/ip upnp interfaces add interface=ether9 type=internal", "input does not match any value of interface (line 1 column 25)"},
		{"/ip upnp interfaces add interface=ether1", "failure: type not specified (line 1 column 1)"},
		{"/ip firewall service-port set pptp ports=1723", "invalid value for argument ports (line 1 column 36)"},
		{"/ip firewall service-port add name=x", "bad command name add (line 1 column 27)"},
		{"/interface wireguard add name=wg0 private-key=short", "invalid value for argument private-key (line 1 column 35)"},
		{"/interface wireguard peers add interface=wg9 public-key=\"cGVlciBwdWJsaWMga2V5IG9mIHRoaXJ0eS10d28gYiE=\"", "input does not match any value of interface (line 1 column 32)"},
		{"/ppp secret add name=bob profile=nope", "input does not match any value of profile (line 1 column 26)"},
		{"/ppp profile remove default", "failure: cannot remove builtin (line 1 column 1)"},
		{"/ipv6 address add address=192.0.2.1/24 interface=ether1", "invalid value for argument address (line 1 column 19)"},
		{"/ipv6 firewall filter add chain=input hop-limit=7", "invalid value for argument hop-limit (line 1 column 39)"},
		{"/ipv6 firewall filter add chain=input dst-port=80", "failure: dst-port can be used only with protocol tcp, udp, udp-lite, sctp or dccp (line 1 column 39)"},
		{"/queue simple add target=10.0.0.0/8 max-limit=fast", "invalid value for argument max-limit (line 1 column 37)"},
		{"/queue simple add target=10.0.0.0/8 queue=nope/nope", "input does not match any value of queue (line 1 column 37)"},
		{"/queue tree add name=q parent=ether7", "input does not match any value of parent (line 1 column 24)"},
		{"/queue type add name=q kind=htb", "invalid value for argument kind (line 1 column 24)"},
	}
	for _, tt := range tests {
		r := New(Options{Ports: ports})
		before := body(r.Export())
		_, err := r.Run(context.Background(), tt.src)
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != tt.wantErr {
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
			continue
		}
		if after := body(r.Export()); after != before {
			t.Errorf("%q changed the model:\n%s", tt.src, after)
		}
	}
}

// TestVersionSpellings: RouterOS 6 and 7 name some properties
// differently; each version accepts only its own.
func TestVersionSpellings(t *testing.T) {
	v6 := New(Options{Ports: ports, Version: "6.49.10"})
	run(t, v6, "/system ntp client set enabled=yes primary-ntp=192.0.2.1 secondary-ntp=192.0.2.2\n/tool e-mail set address=192.0.2.25 start-tls=yes\n/ip ssh set forwarding-enabled=yes")
	if exp := body(v6.Export()); !strings.Contains(exp, "set enabled=yes primary-ntp=192.0.2.1 secondary-ntp=192.0.2.2") {
		t.Errorf("v6 export:\n%s", exp)
	}
	if out := run(t, v6, "/system ntp client print"); strings.Contains(out, "servers") || strings.Contains(out, "vrf") {
		t.Errorf("v6 print shows v7 properties:\n%s", out)
	}
	for _, src := range []string{"/system ntp client set servers=192.0.2.1", "/ip ssh set forwarding-enabled=sometimes", "/tool e-mail set tls=yes"} {
		if _, err := v6.Run(context.Background(), src); err == nil {
			t.Errorf("v6 accepted %q", src)
		}
	}
	// A 6.48.1 export writes forwarding-enabled=remote: later 6.x took
	// 7's values too.
	v648 := New(Options{Ports: ports, Version: "6.48.1"})
	run(t, v648, "/ip ssh set forwarding-enabled=remote strong-crypto=yes")
	if exp := body(v648.Export()); !strings.Contains(exp, "/ip ssh\nset forwarding-enabled=remote strong-crypto=yes\n") {
		t.Errorf("6.48 export:\n%s", exp)
	}
	v7 := New(Options{Ports: ports})
	run(t, v7, "/ip ssh set forwarding-enabled=both")
	for _, src := range []string{"/system ntp client set primary-ntp=192.0.2.1", "/ip ssh set forwarding-enabled=yes", "/tool e-mail set start-tls=yes"} {
		if _, err := v7.Run(context.Background(), src); err == nil {
			t.Errorf("v7 accepted %q", src)
		}
	}
}

func TestUnset(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, storedConfig)
	run(t, r, "/snmp unset location\n/system logging action unset 3 remote\n/queue simple unset [find name=guests] max-limit\n/ip upnp interfaces unset numbers=0 value-name=comment")
	exp := body(r.Export())
	if strings.Contains(exp, "rack 4") || strings.Contains(exp, "remote=192.0.2.9") || strings.Contains(exp, "max-limit=5M/20M") {
		t.Errorf("unset left values:\n%s", exp)
	}
	if !strings.Contains(exp, "set 3 remote-port=5514") {
		t.Errorf("unset removed more than remote:\n%s", exp)
	}
	// A required property cannot be unset, and the failed command changes
	// nothing.
	if _, err := r.Run(context.Background(), "/ip upnp interfaces unset 0 type"); err == nil || !strings.Contains(err.Error(), "failure: type not specified") {
		t.Errorf("unset of a required property: %v", err)
	}
	if _, err := r.Run(context.Background(), "/snmp unset frob"); err == nil || !strings.Contains(err.Error(), "input does not match any value of value-name") {
		t.Errorf("unset of an unknown property: %v", err)
	}
	if body(r.Export()) != exp {
		t.Error("a failed unset changed the model")
	}
	// The API takes the value-name word.
	if _, _, err := r.Command(context.Background(), "/snmp/unset", map[string]string{"value-name": "contact"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body(r.Export()), "noc@example.net") {
		t.Error("API unset contact left it")
	}
}

func TestNotEnforced(t *testing.T) {
	r := New(Options{Ports: ports})
	if got := r.NotEnforced(); len(got) != 0 {
		t.Fatalf("a default router reports %v", got)
	}
	// Modelled configuration is not reported.
	run(t, r, "/ip address add address=192.168.88.1/24 interface=ether2\n/ip dns set servers=192.0.2.53")
	if got := r.NotEnforced(); len(got) != 0 {
		t.Fatalf("modelled configuration reported: %v", got)
	}
	run(t, r, storedConfig)
	got := map[string]NotEnforcedItem{}
	for _, n := range r.NotEnforced() {
		got[n.Path+" "+n.Property] = n
		if n.Reason == "" || n.Count == 0 {
			t.Errorf("%+v: no reason or count", n)
		}
	}
	for key, want := range map[string]int{
		"/snmp ":                       4,
		"/snmp community ":             1,
		"/system logging action ":      0, // remote actions: modelled (logbook.go)
		"/system logging ":             0,
		"/ip firewall service-port ":   0,
		"/ipv6 address ":               0,
		"/queue interface queue":       1, // a CAKE type with cake-bandwidth is applied, other types stored
		"/ppp profile ":                0, // addresses and DNS: applied by the PPPoE server
		"/ppp profile use-encryption":  1, // vpn's required; default-encryption's own yes is no setting
		"/system clock ":               0,
		"/tool mac-server mac-winbox ": 0,
	} {
		if got[key].Count != want {
			t.Errorf("%s count = %d, want %d", key, got[key].Count, want)
		}
	}
	if s := got["/snmp "].String(); s != "/snmp: 4 (rosemu runs no SNMP agent)" {
		t.Errorf("String() = %q", s)
	}
}

// TestHardwareRefused: menus of hardware a CHR does not have are refused
// as a CHR refuses them, with the position of the unknown word, and
// nothing of the configuration is applied.
func TestHardwareRefused(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{"/interface wireless set [ find default-name=wlan1 ] ssid=home", "bad command name wireless (line 1 column 12)"},
		{"/interface wireless security-profiles set [ find default=yes ] mode=dynamic-keys", "bad command name wireless (line 1 column 12)"},
		{"/interface wifi set [ find default-name=wifi1 ] configuration.ssid=home", "bad command name wifi (line 1 column 12)"},
		{"/interface wifiwave2 set [ find default-name=wifi1 ] disabled=no", "bad command name wifiwave2 (line 1 column 12)"},
		{"/interface w60g set wlan60-1 ssid=x", "bad command name w60g (line 1 column 12)"},
		// A CHR has serial0 and serial1 only (/port is in real CHR exports).
		{"/port set 2 name=usb1", "no such item (line 1 column 1)"},
		// A 7.x CHR has no /system routerboard: scripts that read it fail
		// there with "bad command name routerboard" (beeyev/Mikrotik-
		// RouterOS-automatic-backup-and-update issues 53 and 55, CHR and
		// x86 7.15; the API answers "no such command or directory
		// (routerboard)", home-assistant/core issue 76782).
		{"/system routerboard settings set auto-upgrade=yes", "bad command name routerboard (line 1 column 9)"},
		{":local RouterBoard [ /system/routerboard/get ]", "bad command name routerboard (line 1 column 30)"},
		{"/interface ethernet switch port set 0 vlan-mode=secure", "bad command name switch (line 1 column 21)"},
		{"/interface ethernet\nset [ find default-name=ether2 ] master-port=ether1\n", "expected end of command (line 2 column 34)"},
		{"/interface lte apn set [ find default=yes ] apn=internet", "bad command name lte (line 1 column 12)"},
		{"/system leds settings set all-leds-off=immediate", "bad command name leds (line 1 column 9)"},
		{"/ip address add address=10.0.0.1/24 interface=ether2\n/interface wireless\nset [ find ] ssid=x", "bad command name wireless (line 2 column 12)"},
	}
	for _, tt := range tests {
		r := New(Options{Ports: ports})
		before := body(r.Export())
		_, err := r.Run(context.Background(), tt.src)
		if err == nil || err.Error() != tt.wantErr {
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
			continue
		}
		if after := body(r.Export()); after != before {
			t.Errorf("%q changed the model:\n%s", tt.src, after)
		}
	}
}

// TestSetNotProp: set's "!name" form returns a property to its default.
func TestSetNotProp(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip address add address=10.0.0.1/24 interface=ether2 comment=lab\n/ip address set 0 !comment\n/snmp set contact=x location=y\n/snmp set !contact")
	exp := body(r.Export())
	if strings.Contains(exp, "comment=lab") || strings.Contains(exp, "contact=x") || !strings.Contains(exp, "location=y") {
		t.Errorf("export after !prop:\n%s", exp)
	}
	// Negative controls: an unknown name, and the form on another verb.
	for src, want := range map[string]string{
		"/ip address set 0 !frob": "expected end of command (line 1 column 19)",
		"/ip address add address=10.0.0.2/24 interface=ether2 !comment": "expected end of command (line 1 column 54)",
	} {
		if _, err := r.Run(context.Background(), src); err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

func TestNotEnforcedReason(t *testing.T) {
	for _, tt := range []struct{ path, prop, version, want string }{
		{"/snmp", "", "", snmpReason},
		{"/system/ntp/client", "servers", "7.16", ntpReason},
		{"system ntp client", "", "", ntpReason},
		{"/interface ethernet", "l2mtu", "", linkReason},
		{"/interface ethernet", "name", "", ""},
		{"/interface ethernet", "master-port", "7.16", ""},
		{"/interface ethernet", "master-port", "6.49", "rosemu has no switch chip: a master port does not bridge its slaves (use a bridge)"},
		{"/ip firewall nat", "", "", ""},
		{"/ip firewall nat", "to-addresses", "", ""},
		{"/interface wireless", "", "", ""},
	} {
		if got := NotEnforcedReason(tt.path, tt.prop, tt.version); got != tt.want {
			t.Errorf("NotEnforcedReason(%q, %q, %q) = %q, want %q", tt.path, tt.prop, tt.version, got, tt.want)
		}
	}
}
