package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestVPNListeners: each enabled VPN server gives its port (IKE for L2TP
// with use-ipsec, whose 1701 the L2TP server itself binds, PPTP 1723,
// not SSTP's or OpenVPN's, which their servers bind, nor IKE's while an
// IPsec peer is enabled, which charon binds);
// disabled servers give none (the control), and StoredListeners carries
// them for the step tie.
func TestVPNListeners(t *testing.T) {
	got := func(r *Router) []string {
		var out []string
		for _, l := range r.VPNListeners() {
			out = append(out, fmt.Sprintf("%s %s/%d", l.Path, l.Proto, l.Port))
		}
		slices.Sort(out)
		return out
	}
	r := New(Options{Ports: ports, Kernel: &fakeKernel{}, Version: "7.16.2"})
	if l := got(r); len(l) != 0 {
		t.Fatalf("defaults listen on %v", l)
	}
	run(t, r, `/interface pptp-server server set enabled=no
/interface l2tp-server server set enabled=yes use-ipsec=yes
/interface sstp-server server set enabled=yes port=8443
/interface ovpn-server server set enabled=yes protocol=udp port=1195`)
	want := []string{
		"/interface l2tp-server server udp/4500", "/interface l2tp-server server udp/500",
	}
	if l := got(r); !slices.Equal(l, want) {
		t.Errorf("listeners = %v, want %v", l, want)
	}
	run(t, r, `/ip ipsec peer add address=198.51.100.9/32 name=p1`)
	if l := got(r); len(l) != 0 {
		t.Errorf("with an IPsec peer, listeners = %v, want none (charon's)", l)
	}
	run(t, r, `/interface l2tp-server server set use-ipsec=no
/ip ipsec peer disable p1
/interface pptp-server server set enabled=yes
/interface sstp-server server set enabled=no`)
	want = []string{"/interface pptp-server server tcp/1723"}
	if l := got(r); !slices.Equal(l, want) {
		t.Errorf("listeners = %v, want %v", l, want)
	}
	if !slices.ContainsFunc(r.StoredListeners(), func(l StoredListener) bool { return l.Port == 1723 && l.Proto == "tcp" }) {
		t.Errorf("StoredListeners = %+v, want PPTP's", r.StoredListeners())
	}

	// 7.17's list of OpenVPN servers: one is enabled by disabled=no, and
	// its openvpn binds the port (OVPNServers), not a stored listener.
	r = New(Options{Ports: ports, Kernel: &fakeKernel{}, Version: "7.18"})
	run(t, r, `/interface ovpn-server server add name=ovpn-server1 mac-address=02:00:00:00:00:01`)
	if s := r.OVPNServers(); len(s) != 1 || s[0].Enabled {
		t.Errorf("a new OpenVPN server: %+v, want one disabled", s)
	}
	run(t, r, `/interface ovpn-server server set ovpn-server1 disabled=no protocol=udp`)
	if l := got(r); len(l) != 0 {
		t.Errorf("listeners = %v", l)
	}
	if s := r.OVPNServers(); len(s) != 1 || !s[0].Enabled || s[0].Port != 1194 || s[0].Protocol != "udp" || s[0].Name != "ovpn-server1" {
		t.Errorf("OVPNServers = %+v, want ovpn-server1 enabled on udp/1194", s)
	}
}

// TestIPsecProfileCountedOnce: one /ip ipsec profile is one not-enforced
// entry, not a second under the 6.43 alias /ip ipsec peer profile (D4);
// the control is the profile's own entry.
func TestIPsecProfileCountedOnce(t *testing.T) {
	for _, v := range []string{"7.16.2", "6.49.18"} {
		r := New(Options{Ports: ports, Kernel: &fakeKernel{}, Version: v})
		run(t, r, `/ip ipsec profile add name=p2 enc-algorithm=aes-256`)
		var paths []string
		for _, n := range r.NotEnforced() {
			if strings.Contains(n.Path, "ipsec") && strings.Contains(n.Path, "profile") {
				paths = append(paths, n.Path)
			}
		}
		if !slices.Equal(paths, []string{"/ip ipsec profile"}) {
			t.Errorf("%s: not-enforced ipsec profile entries %v, want [/ip ipsec profile]", v, paths)
		}
	}
}
