package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestRouterAnswersInstead: a forward of 80 bound to in-interface=ether1,
// tried from the LAN by the public address: no dst-nat takes it, and the
// router's own WebFig (www on 80, which defconf's input accepts from the
// LAN) answers. The bound-to-WAN finding says so ("the login page instead
// of my site"). The negative controls: a forward of another port, and www
// disabled.
func TestRouterAnswersInstead(t *testing.T) {
	const export = `# 2026-11-30 18:42:07 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=%d in-interface=ether1 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
/ip service
set www disabled=%s
`
	for _, tt := range []struct {
		name     string
		port     int
		disabled string
		want     bool
	}{
		{"forward of 80", 80, "no", true},
		{"forward of 12566", 12566, "no", false},
		{"www disabled", 80, "yes", false},
	} {
		p := importNamed(t, "www.rsc", []byte(fmt.Sprintf(export, tt.port, tt.disabled)))
		found, _ := p.Diagnose()
		bound := withCause(found, BoundToWAN)
		if len(bound) != 1 || bound[0].Path != "hairpin:ether2" {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		if got := strings.Contains(bound[0].Detail, "its own WebFig login page (port 80) answers the client"); got != tt.want {
			t.Errorf("%s: detail %q", tt.name, bound[0].Detail)
		}
	}
}

// TestForwardOfWWWProbedHTTP: the hairpin path of a forward of the router's
// own web port (80 to the server's 80) is probed over HTTP, and an answer
// from the router's own page is a broken path ("router's page"), not a
// working one; before, a whoami TCP exchange read "timeout" where a
// browser shows the login page. The negative control: a forward of 12566
// keeps the TCP probe.
func TestForwardOfWWWProbedHTTP(t *testing.T) {
	const export = `# 2026-11-30 18:42:07 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=%d in-interface=ether1 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		port int
		kind string
	}{{80, "http"}, {12566, "tcp"}} {
		p := importNamed(t, "www.rsc", []byte(fmt.Sprintf(export, tt.port)))
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		var hp []int
		for i, pr := range c.Probes {
			if strings.HasPrefix(pr.Path, "hairpin:") && pr.Forward == 0 {
				hp = append(hp, i)
				if pr.Kind != tt.kind {
					t.Errorf("port %d: the hairpin probe is %s, want %s", tt.port, pr.Kind, tt.kind)
				}
			}
		}
		if len(hp) == 0 || tt.kind != "http" {
			continue
		}
		steps := make([]scenario.StepResult, len(c.Steps))
		for i, k := range c.Steps {
			if k == hp[0] {
				steps[i].Seen = scenario.Observation{Result: "ok", ServerName: "router"}
			}
		}
		var got []Outcome
		for _, o := range c.Outcomes(steps) {
			if o.Probe.Path == c.Probes[hp[0]].Path && o.Probe.Phase == c.Probes[hp[0]].Phase {
				got = append(got, o)
			}
		}
		// The forward is bound to the WAN with no hairpin: its LAN path
		// is a hairpin gap (chk54: in the lab too), not counted; counted, it is broken.
		if len(got) != 1 || got[0].Result != RouterPage || !got[0].Probe.Gap || len(Broken(got, got[0].Probe.Phase)) != 0 {
			t.Fatalf("outcomes %+v", got)
		}
		got[0].Probe.Gap = false
		if len(Broken(got, got[0].Probe.Phase)) != 1 {
			t.Errorf("outcomes %+v", got)
		}
	}
}
