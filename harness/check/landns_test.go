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
	c := resolverFixCase(t, p, found)
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

// TestDHCPResolverOff (forum51 D1): the LAN's DHCP network hands out the
// router as DNS server while allow-remote-requests is left at no: a
// finding on the network's line, the fix turns the resolver on, and the
// LAN's client asks the router's address before and after. Before, "no
// problem found". Controls: the resolver on; a network handing out another
// server; one handing out none (the clients then get the router's
// upstream servers, DNS page).
func TestDHCPResolverOff(t *testing.T) {
	p := importText(t, notWANList)
	found, _ := p.Diagnose()
	got := withCause(found, DHCPResolverOff)
	if len(got) != 1 || got[0].Path != "lan-dns:bridge" || got[0].Line != 22 || !strings.Contains(got[0].Detail, "hands out 192.168.88.1") {
		t.Fatalf("findings: %+v", found)
	}
	c := resolverFixCase(t, p, found)
	var lan []string
	for _, pr := range c.Probes {
		if pr.Path == "lan-dns:bridge" {
			lan = append(lan, pr.Phase+" "+pr.To)
		}
	}
	if strings.Join(lan, ",") != "before 192.168.88.1:53,fixed 192.168.88.1:53" {
		t.Errorf("LAN DNS probes %v", lan)
	}

	for name, text := range map[string]string{
		"resolver on":  notWANList + "/ip dns\nset allow-remote-requests=yes\n",
		"other server": strings.Replace(notWANList, "dns-server=192.168.88.1", "dns-server=9.9.9.9", 1),
		"no server":    strings.Replace(notWANList, "dns-server=192.168.88.1 ", "", 1),
	} {
		if found, _ := importText(t, text).Diagnose(); len(withCause(found, DHCPResolverOff)) != 0 {
			t.Errorf("%s: %+v", name, withCause(found, DHCPResolverOff))
		}
	}
}

// TestDHCPResolverOffWANGuard (forum51 D2): the same export without its
// input drop on the WAN. Turning the resolver on for the LAN would answer
// the internet as well, so the fix drops UDP and TCP 53 from the WAN; with
// the WAN drop in place (the control) it adds none.
func TestDHCPResolverOffWANGuard(t *testing.T) {
	open := strings.Replace(notWANList, "add action=drop chain=input in-interface-list=WAN\n", "", 1)
	p := importText(t, open)
	found, _ := p.Diagnose()
	all := strings.Join(p.Propose(found).Lines, "\n")
	for _, proto := range []string{"udp", "tcp"} {
		want := `/ip firewall filter add chain=input action=drop in-interface=ether1 protocol=` + proto + ` dst-port=53 comment="no DNS from the WAN"`
		if !strings.Contains(all, want) {
			t.Errorf("fix lines:\n%s\nwant %s", all, want)
		}
	}
	p = importText(t, notWANList)
	found, _ = p.Diagnose()
	if all := strings.Join(p.Propose(found).Lines, "\n"); strings.Contains(all, "dst-port=53") {
		t.Errorf("a WAN drop in place: fix lines:\n%s", all)
	}
}

// resolverFixCase checks that the fix of found turns the router's resolver
// on, and returns the lab case that proves it.
func resolverFixCase(t *testing.T, p *Plan, found []Finding) *Case {
	t.Helper()
	fx := p.Propose(found)
	if all := strings.Join(fx.Lines, "\n"); !strings.Contains(all, "/ip dns set allow-remote-requests=yes") {
		t.Errorf("fix lines:\n%s", all)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
