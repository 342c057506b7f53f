package config

import (
	"context"
	"strings"
	"testing"
)

func TestOVPNServerByVersion(t *testing.T) {
	// Up to 7.16: one settings item, set without a number.
	old := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, old, "/interface ovpn-server server set enabled=yes port=1195")
	if exp := body(old.Export()); !strings.Contains(exp, "/interface ovpn-server server\nset enabled=yes port=1195\n") {
		t.Errorf("7.16 export:\n%s", exp)
	}
	if _, err := old.Run(context.Background(), "/interface ovpn-server server add name=x"); err == nil || !strings.Contains(err.Error(), "bad command name add") {
		t.Errorf("7.16 add: %v", err)
	}
	// From 7.17: a list of named servers.
	r := New(Options{Ports: ports, Version: "7.18.2"})
	run(t, r, "/interface ovpn-server server add mac-address=fe:1a:2b:3c:4d:01 name=ovpn-server1\n/interface ovpn-server server add port=1195\n/interface ovpn-server server set ovpn-server2 enabled=yes")
	exp := body(r.Export())
	if !strings.Contains(exp, "add mac-address=FE:1A:2B:3C:4D:01 name=ovpn-server1\nadd enabled=yes name=ovpn-server2 port=1195\n") {
		t.Errorf("7.18 export:\n%s", exp)
	}
	for src, want := range map[string]string{
		"/interface ovpn-server server set enabled=yes":          "missing value for argument numbers",
		"/interface ovpn-server server add name=ovpn-server1":    "failure: server with such name already exists",
		"/interface ovpn-server server add mac-address=nonsense": "invalid value for argument mac-address",
	} {
		if _, err := r.Run(context.Background(), src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

// TestOVPNServerListVerbose: the list form's verbose line of a 7.19 export
// (disabled=yes, user-auth-method, vrf) is taken, and a server enabled with
// disabled=no exports so; RouterOS 7.16's settings menu has no disabled.
func TestOVPNServerListVerbose(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.19.1"})
	run(t, r, `/interface ovpn-server server
add auth=sha1,md5,sha256,sha512 certificate=*0 cipher=blowfish128,aes128-cbc \
    default-profile=default disabled=yes enable-tun-ipv6=no ipv6-prefix-len=\
    64 keepalive-timeout=60 mac-address=FE:00:11:22:33:44 max-mtu=1500 mode=\
    ip name=ovpn-server1 netmask=24 port=1194 protocol=tcp push-routes="" \
    redirect-gateway=disabled reneg-sec=3600 require-client-certificate=no \
    tls-version=any tun-server-ipv6=:: user-auth-method=pap vrf=main
add disabled=no name=ovpn-server2 port=1195 user-auth-method=mschap2
`)
	exp := body(r.Export())
	if !strings.Contains(exp, "name=ovpn-server1\n") || strings.Contains(exp, "disabled=yes") ||
		!strings.Contains(exp, "add disabled=no name=ovpn-server2 port=1195 user-auth-method=mschap2\n") {
		t.Errorf("export:\n%s", exp)
	}
	r2 := New(Options{Ports: ports, Version: "7.19.1"})
	run(t, r2, exp)
	if got := body(r2.Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	old := New(Options{Ports: ports, Version: "7.16.2"})
	if _, err := old.Run(context.Background(), "/interface ovpn-server server set disabled=no"); err == nil {
		t.Error("7.16 took disabled on the settings menu")
	}
}
