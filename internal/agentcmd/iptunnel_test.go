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

// TestEoIPTunRoutes: an EoIP tunnel is an Ethernet link, so each
// --eoip-routes prefix goes by its next hop in the tunnel's subnet (the
// router's address there); one without is refused, naming the flag, since
// a route straight into the TAP makes the host ask ARP for every far
// address and nobody answers (forum58 D2: the site of such a lab never
// answered a LAN host). A GRE route may name a next hop too, or none; a
// next hop outside the subnet, or the host's own address, is refused.
func TestEoIPTunRoutes(t *testing.T) {
	f := ipTunFlags{kind: "eoip", remote: "203.0.113.2", address: "10.66.2.2/30", routes: "192.168.88.0/24=10.66.2.1, 192.168.89.0/24=10.66.2.1", tunnelID: 7}
	o, _, err := f.options()
	if err != nil || len(o.routes) != 2 || o.routes[0].String() != "192.168.88.0/24 via 10.66.2.1" || o.routes[1].via.String() != "10.66.2.1" {
		t.Fatalf("routes %v, err %v", o.routes, err)
	}
	g := ipTunFlags{kind: "gre", remote: "203.0.113.2", address: "10.66.1.2/30", routes: "192.168.88.0/24,10.9.0.0/16=10.66.1.1"}
	if o, _, err := g.options(); err != nil || len(o.routes) != 2 || o.routes[0].via.IsValid() || o.routes[1].String() != "10.9.0.0/16 via 10.66.1.1" {
		t.Errorf("gre routes %v, err %v", o.routes, err)
	}
	for _, tc := range []struct {
		kind, routes, want string
	}{
		{"eoip", "192.168.88.0/24", "needs its next hop"},
		{"eoip", "192.168.88.0/24=10.66.9.1", "no other address"},
		{"eoip", "192.168.88.0/24=10.66.2.2", "no other address"},
		{"gre", "192.168.88.0/24=bogus", "no other address"},
	} {
		f := ipTunFlags{kind: tc.kind, remote: "203.0.113.2", address: "10.66.2.2/30", routes: tc.routes}
		if _, _, err := f.options(); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "--"+tc.kind+"-routes") {
			t.Errorf("%s %q: err %v, want %q", tc.kind, tc.routes, err, tc.want)
		}
	}
}
