package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestTunnelKeepaliveUnset: "set <tunnel> !keepalive" and "unset
// <tunnel> keepalive" turn the keepalive off as "add !keepalive" does
// (they returned it to 10s,10 before, forum25): the export writes
// "!keepalive", it imports back the same, and no keepalive note is left.
// Control: the tunnel whose keepalive was only set to another value keeps
// it, exported and reported.
func TestTunnelKeepaliveUnset(t *testing.T) {
	for _, menu := range []string{"gre", "ipip", "eoip", "6to4"} {
		for _, off := range []string{"set t1 !keepalive", "unset t1 keepalive"} {
			t.Run(menu+" "+off, func(t *testing.T) {
				extra := ""
				if menu == "eoip" {
					extra = " tunnel-id=1"
				}
				r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
				run(t, r, fmt.Sprintf("/interface %s add name=t1 remote-address=198.51.100.70 keepalive=2s,2%s\n"+
					"/interface %s add name=t2 remote-address=198.51.100.71 keepalive=2s,2%s\n"+
					"/interface %s %s\n/interface %s set t2 keepalive=5s,3", menu, extra, menu, extra, menu, off, menu))
				exp := body(r.Export())
				var t1, t2 string
				for _, l := range strings.Split(strings.ReplaceAll(exp, "\\\n    ", ""), "\n") {
					if strings.Contains(l, "name=t1") {
						t1 = l
					}
					if strings.Contains(l, "name=t2") {
						t2 = l
					}
				}
				if !strings.Contains(t1, "!keepalive") || strings.Contains(t1, "keepalive=") {
					t.Errorf("t1 exported %q, want !keepalive", t1)
				}
				if !strings.Contains(t2, "keepalive=5s,3") {
					t.Errorf("t2 (control) exported %q, want keepalive=5s,3", t2)
				}
				notes := fmt.Sprint(r.NotEnforced())
				if strings.Contains(notes, "keepalive=10s,10") || strings.Contains(notes, "keepalive=2s,2") {
					t.Errorf("t1's keepalive still reported: %s", notes)
				}
				// GRE's, IPIP's and EoIP's keepalive is run (the
				// iptunnel service): handed to it, not reported.
				if menu == "gre" || menu == "ipip" || menu == "eoip" {
					id := "0"
					if menu == "eoip" {
						id = "1"
					}
					got := fmt.Sprint(r.IPTunnels())
					if !strings.Contains(got, "{t1 "+menu+" "+id+" invalid IP 198.51.100.70 0s 0 false}") || !strings.Contains(got, "{t2 "+menu+" "+id+" invalid IP 198.51.100.71 5s 3 false}") {
						t.Errorf("tunnels handed to the service: %s, want t1 without keepalive and t2 with 5s,3", got)
					}
				} else if menu != "6to4" && !strings.Contains(notes, "keepalive=5s,3") {
					t.Errorf("t2's keepalive (control) not reported: %s", notes)
				}
				// The export imports back to the same export.
				r2 := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
				run(t, r2, exp)
				if exp2 := body(r2.Export()); exp2 != exp {
					t.Errorf("export does not round-trip:\n%s\nthen\n%s", exp, exp2)
				}
			})
		}
	}
}
