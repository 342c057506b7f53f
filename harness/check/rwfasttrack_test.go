package check

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// rwExport is an IKEv2 road-warrior server behind defconf's fasttrack:
// the peer's properties, rules above the fasttrack and rules below the
// accept of established connections go in its %s places.
const rwExport = "# 2026-12-06 22:15:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip pool
add name=rw-pool ranges=192.168.77.2-192.168.77.254
/ip ipsec mode-config
add address-pool=rw-pool name=rw-cfg
/ip ipsec peer
add exchange-mode=ike2 name=rw-peer%s
/ip ipsec identity
add generate-policy=port-strict mode-config=rw-cfg peer=rw-peer secret=s3cret
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
%sadd action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related
add action=accept chain=forward connection-state=established,related,untracked
%s/ip firewall nat
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`

// An IKEv2 road warrior (passive peer, identity, mode-config pool) on a
// forward chain without defconf's IPsec accepts above the fasttrack: the
// LAN's answers to the clients are fasttracked past the IPsec policies
// (forum54 c16). It was "no problem found"; the fix puts the two accepts
// above the fasttrack. With them, or with a site-to-site peer (no
// mode-config for road warriors), there is no finding.
func TestRoadWarriorFasttrack(t *testing.T) {
	text := rwExport
	const accepts = "add action=accept chain=forward ipsec-policy=in,ipsec\nadd action=accept chain=forward ipsec-policy=out,ipsec\n"
	sel := `place-before=[ find where comment="defconf: fasttrack" ]`
	for _, tt := range []struct {
		name, peer, accepts string
		want                bool
	}{
		{"no ipsec accepts", " passive=yes", "", true},
		{"defconf's accepts", " passive=yes", accepts, false},
		{"site to site", " address=198.51.100.9/32", "", false},
	} {
		p := importText(t, fill(text, tt.peer, tt.accepts, ""))
		found, _ := p.Diagnose()
		got := withCause(found, RoadWarriorFasttrack)
		if (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
			continue
		}
		if !tt.want {
			continue
		}
		if !strings.Contains(got[0].Rule, "fasttrack-connection") || !strings.Contains(got[0].Detail, "192.168.77.2") {
			t.Errorf("%s: finding %+v", tt.name, got[0])
		}
		fx := p.Propose(found)
		for _, want := range []string{
			`/ip firewall filter add chain=forward action=accept connection-state=established,related ipsec-policy=in,ipsec comment="accept in ipsec policy" ` + sel,
			`/ip firewall filter add chain=forward action=accept connection-state=established,related ipsec-policy=out,ipsec comment="accept out ipsec policy" ` + sel,
		} {
			if !slices.Contains(fx.Lines, want) {
				t.Errorf("%s: fix %q lacks %q", tt.name, fx.Lines, want)
			}
		}
	}
}

// The fix's accepts, put above the fasttrack of a firewall that keeps the
// road warriors from the LAN's 192.168.88.0/25 below it, mend the
// finding and leave that drop standing for a client's new connection:
// defconf's unconditional "accept in ipsec policy" at the top let it
// past (it was the fix, and accepted the connection).
func TestRoadWarriorFasttrackFixKeepsRules(t *testing.T) {
	const drop = "add action=drop chain=forward dst-address=192.168.88.0/25 src-address=192.168.77.0/24\n"
	p := importText(t, fill(rwExport, " passive=yes", "", drop))
	found, _ := p.Diagnose()
	var accepts string
	for _, l := range p.Propose(found).Lines {
		if rest, ok := strings.CutPrefix(l, "/ip firewall filter add "); ok && strings.Contains(l, "ipsec-policy=") {
			accepts += "add " + rest[:strings.Index(rest, " place-before=")] + "\n"
		}
	}
	if strings.Count(accepts, "\n") != 2 {
		t.Fatalf("fix %q: want two ipsec accepts", p.Propose(found).Lines)
	}
	q := importText(t, fill(rwExport, " passive=yes", accepts, drop))
	if found, _ := q.Diagnose(); len(withCause(found, RoadWarriorFasttrack)) > 0 {
		t.Errorf("the fix leaves the finding: %+v", found)
	}
	keep := q.keeper(q.export)
	pk := packet{src: netip.MustParseAddr("192.168.77.2"), dst: netip.MustParseAddr("192.168.88.10"), proto: "tcp", dstPort: 80, in: "ether1", out: "bridge", state: "new", ipsecIn: true}
	if r, _ := q.newMatcher(q.export, keep).first(q.export, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true}); r == nil || r.Value("action") != "drop" {
		t.Errorf("a client's new connection to 192.168.88.10 meets %v, want the drop", r)
	}
}
