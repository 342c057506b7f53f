package check

import (
	"strings"
	"testing"
)

// noRouteOpenInput is realcheck26's m7: a static WAN without a default
// route and an input chain that accepts everything.
const noRouteOpenInput = `# 2026-09-10 08:12:44 by RouterOS 7.19.2
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=196.201.10.22/30 interface=ether1 network=196.201.10.20
add address=10.50.0.1/24 interface=ether2 network=10.50.0.0
/ip dns
set allow-remote-requests=yes servers=1.1.1.1
/ip firewall filter
add action=accept chain=input comment="temp allow all - remove later"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

// TestLabWarnsOfServicesTheFixOpens (realcheck26 D5): the lab found
// WinBox, SSH and WebFig filtered and DNS silent as the export has it, and
// open (DNS answering) with the fix, which gives the router its default
// route back: the lab's warnings say so, as check --offline does. Control:
// a service already open before the fix is warned of once, as the export
// has it, not again for the fix; one still filtered with the fix gives no
// warning.
func TestLabWarnsOfServicesTheFixOpens(t *testing.T) {
	p := importText(t, noRouteOpenInput)
	svc := func(phase, path, kind, to, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: path, Phase: phase, Kind: kind, To: to}, Result: result}
	}
	outs := []Outcome{
		svc("before", "service:winbox@wan", "port", "router.wan:8291", "filtered"),
		svc("before", "service:ssh@wan", "port", "router.wan:22", "filtered"),
		svc("before", "service:www@wan", "port", "router.wan:80", "open"),
		svc("before", "service:dns@wan", "dns", "router.wan:53", "timeout"),
		svc("fixed", "service:winbox@wan", "port", "router.wan:8291", "open"),
		svc("fixed", "service:ssh@wan", "port", "router.wan:22", "filtered"),
		svc("fixed", "service:www@wan", "port", "router.wan:80", "open"),
		svc("fixed", "service:dns@wan", "dns", "router.wan:53", "nxdomain"),
	}
	w := strings.Join(p.LabServiceWarnings(outs, ""), "\n")
	for _, want := range []string{
		"the router's WinBox (8291) is open to the internet once the fix is applied (router.wan:8291 answered the peer in the lab with the fix)",
		"the router's DNS (53) answers queries from the internet once the fix is applied (router.wan:53 answered the peer with nxdomain in the lab with the fix): an open resolver",
		"the router's WebFig (80) is open to the internet (router.wan:80 answered from the peer)",
	} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if strings.Contains(w, "SSH") || strings.Count(w, "WebFig") != 1 {
		t.Errorf("warnings:\n%s", w)
	}
}
