package config

import (
	"context"
	"strings"
	"testing"
)

// TestTenthCorpusShapes: lines of a tenth corpus of public exports that
// rosemu refused and RouterOS takes: VRRP vrid=0 (a 6.49.19 CCR and its
// 7.20.8 peer), netwatch ignore-initial-up and -down (7.20.4), /ip cloud
// vpn-prefer-relay-code (7.22.2), and the default SMB share and user
// written as add lines by 7.1 and 7.2. Each is taken, exported and taken
// again; the controls are the forms RouterOS refuses.
func TestTenthCorpusShapes(t *testing.T) {
	for _, c := range []struct{ version, src string }{
		{"6.49.19", "/interface vrrp add interface=ether1 name=v0 priority=250 vrid=0"},
		{"7.20.8", "/interface vrrp add interface=ether1 name=v0 priority=249 vrid=0"},
		{"7.20.4", "/tool netwatch add host=192.0.2.1 ignore-initial-down=yes ignore-initial-up=yes interval=5s name=mirror"},
		{"7.22.2", "/ip cloud set ddns-enabled=yes vpn-prefer-relay-code=\"EUR1 / USA1\""},
		{"7.2.3", "/ip smb shares add comment=\"default share\" directory=/pub name=pub\n/ip smb users add name=guest"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r.Run(context.Background(), c.src); err != nil {
			t.Errorf("%s %q: %v", c.version, c.src, err)
			continue
		}
		exp := body(r.Export())
		r2 := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r2.Run(context.Background(), exp); err != nil {
			t.Errorf("%s re-import: %v\n%s", c.version, err, exp)
		}
	}
	for _, c := range []struct{ version, src, want string }{
		{"7.16.2", "/interface vrrp add interface=ether1 name=v0 vrid=256", "invalid value for argument vrid"},
		{"6.49.19", "/tool netwatch add host=192.0.2.1 ignore-initial-down=yes", "expected end of command"},
		{"7.12", "/ip cloud set vpn-prefer-relay-code=EUR1", "expected end of command"},
		{"7.16.2", "/ip smb shares add directory=/pub name=pub", "share with such name already exists"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r.Run(context.Background(), c.src); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: %v, want %q", c.version, c.src, err, c.want)
		}
	}
}
