package agentcmd

import (
	"strings"
	"testing"
	"time"
)

// TestIPTunFlags: the --gre-*/--ipip-* flags make the tunnel the lab asks
// for, and bad ones are refused naming the flag.
func TestIPTunFlags(t *testing.T) {
	f := ipTunFlags{kind: "gre", remote: "203.0.113.2", local: "198.51.100.61", address: "10.66.1.2/30", routes: "192.168.88.0/24", keepalive: "1s,2"}
	o, on, err := f.options()
	if err != nil || !on || o.cfg.Link != "gre0" || o.cfg.Proto.String() != "gre" || o.cfg.Remote.String() != "203.0.113.2" ||
		o.cfg.Local.String() != "198.51.100.61" || o.address.String() != "10.66.1.2/30" || len(o.routes) != 1 || o.cfg.Keepalive != time.Second || o.cfg.Retries != 2 {
		t.Errorf("options = %+v %v %v", o, on, err)
	}
	if _, on, err := (&ipTunFlags{kind: "ipip"}).options(); on || err != nil {
		t.Errorf("no flags: on=%v err=%v", on, err)
	}
	for _, tc := range []struct {
		f    ipTunFlags
		want string
	}{
		{ipTunFlags{kind: "gre", address: "10.0.0.1/30"}, "--gre-* flags without --gre-remote"},
		{ipTunFlags{kind: "ipip", remote: "2001:db8::1", address: "10.0.0.1/30"}, "--ipip-remote"},
		{ipTunFlags{kind: "gre", remote: "203.0.113.2", address: "10.0.0.1"}, "--gre-address"},
		{ipTunFlags{kind: "gre", remote: "203.0.113.2", address: "10.0.0.1/30", routes: "10.1.0.0"}, "--gre-routes"},
		{ipTunFlags{kind: "gre", remote: "203.0.113.2", address: "10.0.0.1/30", keepalive: "10s"}, "--gre-keepalive"},
		{ipTunFlags{kind: "eoip", tunnelID: 5, address: "10.0.0.1/24"}, "--eoip-* flags without --eoip-remote"},
		{ipTunFlags{kind: "eoip", remote: "203.0.113.2", address: "10.0.0.1/24", tunnelID: 70000}, "--eoip-tunnel-id"},
	} {
		if _, _, err := tc.f.options(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want %q", tc.f, err, tc.want)
		}
	}
}

// TestEoIPTunFlags: --eoip-* make an EoIP tunnel of the tunnel id, with
// RouterOS's default keepalive 10s,10 sent unless told otherwise (EoIP's
// keepalive is sent by each end, not echoed), "off" for none.
func TestEoIPTunFlags(t *testing.T) {
	f := ipTunFlags{kind: "eoip", remote: "203.0.113.2", local: "198.51.100.61", address: "192.168.88.30/24", tunnelID: 42}
	o, on, err := f.options()
	if err != nil || !on || o.cfg.Link != "eoip0" || !o.cfg.EoIP || o.cfg.TunnelID != 42 || o.cfg.Keepalive != 10*time.Second || o.cfg.Retries != 10 {
		t.Errorf("options = %+v %v %v", o, on, err)
	}
	f = ipTunFlags{kind: "eoip", remote: "203.0.113.2", address: "192.168.88.30/24", tunnelID: 42, keepalive: "off"}
	if o, _, err := f.options(); err != nil || o.cfg.Keepalive != 0 {
		t.Errorf("--eoip-keepalive off: keepalive %v, err %v", o.cfg.Keepalive, err)
	}
	f = ipTunFlags{kind: "eoip", remote: "203.0.113.2", address: "192.168.88.30/24", keepalive: "1s,2"}
	if o, _, err := f.options(); err != nil || o.cfg.Keepalive != time.Second || o.cfg.Retries != 2 || o.cfg.TunnelID != 0 {
		t.Errorf("--eoip-keepalive 1s,2: %+v, err %v", o.cfg, err)
	}
}
