package check

import (
	"strings"
	"testing"
)

// A redirect of the LAN's DNS to the router while the router answers no
// other host: the finding, the fix (allow-remote-requests=yes), the LAN
// probe before and after, and the open-resolver probe of the fixed phase.
func TestRedirectNoResolver(t *testing.T) {
	text := strings.Replace(noDestination,
		`add action=dst-nat chain=dstnat comment=nas dst-port=80 protocol=tcp to-addresses=192.168.88.10`,
		`add action=redirect chain=dstnat comment="force DNS" dst-port=53 in-interface-list=LAN protocol=udp to-ports=53`, 1)
	p := importText(t, text)
	found, _ := p.Diagnose()
	got := withCause(found, RedirectNoResolver)
	if len(got) != 1 || got[0].Path != "lan-dns:bridge" || got[0].Line != 18 {
		t.Fatalf("findings: %+v", got)
	}
	fx := p.Propose(found)
	if all := strings.Join(fx.Lines, "\n"); !strings.Contains(all, "/ip dns set allow-remote-requests=yes") {
		t.Errorf("fix lines:\n%s", all)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	var lan, wan []string
	for _, pr := range c.Probes {
		switch pr.Path {
		case "lan-dns:bridge":
			lan = append(lan, pr.Phase)
		case "service:dns@wan":
			wan = append(wan, pr.Phase)
		}
	}
	if strings.Join(lan, ",") != "before,fixed" || strings.Join(wan, ",") != "fixed" {
		t.Errorf("LAN DNS probes %v, WAN DNS probes %v", lan, wan)
	}
	outs := []Outcome{{Probe: Probe{Forward: -1, Path: "lan-dns:bridge", Phase: "before", Kind: "dns", To: "dns:53"}, Result: "refused"}}
	if !hijacked(outs, "before") || len(ServiceWarnings(outs, "before")) != 1 {
		t.Error("an unanswered LAN query is not reported")
	}
	outs[0].Result = "nxdomain"
	if hijacked(outs, "before") || len(ServiceWarnings(outs, "before")) != 0 {
		t.Error("an answered LAN query is reported")
	}

	// With the resolver on, the redirect is no finding.
	p = importText(t, strings.Replace(text, "/ip firewall nat\n", "/ip dns\nset allow-remote-requests=yes\n/ip firewall nat\n", 1))
	if found, _ := p.Diagnose(); len(withCause(found, RedirectNoResolver)) != 0 {
		t.Errorf("resolver on: %+v", withCause(found, RedirectNoResolver))
	}
}
