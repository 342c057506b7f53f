package check

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// placeBefore is realcheck17's mini/placebefore.rsc (RATUL's
// Firewall_Setting in 8 lines): the final forward drop has no matcher of
// its own, so its parameters are a subset of the "drop invalid" rule's.
const placeBefore = `# 2025-01-01 00:00:00 by RouterOS 7.18.2
/ip address add address=192.168.12.1/24 interface=ether2 network=192.168.12.0
/ip dhcp-client add interface=ether1
/ip firewall filter
add action=accept chain=forward connection-state=established,related,new in-interface=ether2
add action=drop chain=forward connection-state=invalid
add action=drop chain=forward
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`

// labRefusals returns what the lab router refuses of the export and the
// fix pasted after it.
func labRefusals(t *testing.T, p *Plan, fix []string) []string {
	t.Helper()
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, DefaultDHCPClient: true, Version: p.LabVersion()})
	v := r.Validate(context.Background(), p.RSC+"\n"+strings.Join(fix, "\n")+"\n", 2*time.Second)
	var out []string
	for _, f := range v.Findings {
		if f.Verdict == config.Refused {
			out = append(out, f.Msg)
		}
	}
	return out
}

// TestFixSelectorSetsRuleApart: the accept of answers goes above the final
// drop, and its place-before finds that drop alone: "find where
// action=drop and chain=forward" found the drop invalid too, and the lab
// router (as RouterOS) refused the line (realcheck17 D3). The selector
// adds what the other drop has and the final one does not.
func TestFixSelectorSetsRuleApart(t *testing.T) {
	p := importText(t, placeBefore)
	p.Refusals(context.Background())
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	want := "place-before=[ find where action=drop and chain=forward and connection-state!=invalid ]"
	if !strings.Contains(all, want) {
		t.Fatalf("fix lines:\n%s\nwant %s", all, want)
	}
	if r := labRefusals(t, p, fx.Lines); len(r) > 0 {
		t.Errorf("the lab router refuses the fix: %q", r)
	}
	// Negative control: a drop with a matcher of its own is found by
	// its own parameters, with nothing added.
	q := importText(t, strings.Replace(placeBefore, "add action=drop chain=forward\n", "add action=drop chain=forward in-interface=ether1\n", 1))
	q.Refusals(context.Background())
	found, _ = q.Diagnose()
	all = strings.Join(q.Propose(found).Lines, "\n")
	if !strings.Contains(all, "place-before=[ find where action=drop and chain=forward and in-interface=ether1 ]") {
		t.Errorf("fix lines:\n%s", all)
	}
}

// TestSelectorSameRuleTwice: a rule written twice has nothing to set it
// apart; the selector picks it by its place among the look-alikes, which
// finds one rule, and the lab router takes it.
func TestSelectorSameRuleTwice(t *testing.T) {
	p := importText(t, strings.Replace(placeBefore, "add action=drop chain=forward\n", "add action=drop chain=forward\nadd action=drop chain=forward\n", 1))
	if got, want := p.ruleSelector(8), "[ :pick [ find where action=drop and chain=forward and connection-state!=invalid ] 1 ]"; got != want {
		t.Errorf("selector of line 8 = %s, want %s", got, want)
	}
	if got, want := p.ruleSelector(6), "[ find where action=drop and chain=forward and connection-state=invalid ]"; got != want {
		t.Errorf("selector of line 6 = %s, want %s", got, want)
	}
	fix := []string{"/ip firewall filter add chain=forward action=accept comment=x place-before=" + p.ruleSelector(8)}
	if r := labRefusals(t, p, fix); len(r) > 0 {
		t.Errorf("the lab router refuses %s: %q", fix[0], r)
	}
}

// TestFixSelectorSkipsFixAdds (rc35 C2): the fix adds a hairpin
// masquerade and then moves a host's own src-nat above the export's
// masquerade; "destination=[ find where action=masquerade and
// chain=srcnat ]" found both masquerades by then, and the lab router (as
// RouterOS) refused the move. The selector sets the export's rule apart
// from the rules the fix added above it, and the lab router takes the
// whole fix.
func TestFixSelectorSkipsFixAdds(t *testing.T) {
	p := importText(t, `# 2025-01-01 00:00:00 by RouterOS 7.18.2
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=203.0.113.3/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=8080 protocol=tcp to-addresses=192.168.88.10
add action=src-nat chain=srcnat src-address=192.168.88.10 to-addresses=203.0.113.3
/ip route
add gateway=203.0.113.1
`)
	p.Refusals(context.Background())
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	add := strings.Index(all, "/ip firewall nat add chain=srcnat action=masquerade ")
	move := strings.Index(all, "/ip firewall nat move ")
	if add < 0 || move < add {
		t.Fatalf("want a hairpin masquerade added before a move; fix lines:\n%s", all)
	}
	if !strings.Contains(all[move:], "destination=[ find where action=masquerade and chain=srcnat and src-address!=192.168.88.0/24 ]") {
		t.Errorf("the move's destination does not set the export's masquerade apart from the fix's:\n%s", all)
	}
	if r := labRefusals(t, p, fx.Lines); len(r) > 0 {
		t.Errorf("the lab router refuses the fix: %q\n%s", r, all)
	}
}
