package check

import (
	"context"
	"strings"
	"testing"
)

// bridgePorts is realcheck17's Kwinnie export cut down: no forward, the
// defconf bridge's address on the bridge, and two LAN addresses on ports
// of that bridge.
const bridgePorts = `# jan/02/1970 00:08:20 by RouterOS 6.42.7
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=ether3
add bridge=bridge interface=ether4
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=10.0.0.2/24 interface=ether3 network=10.0.0.0
add address=10.0.10.1/24 interface=ether4 network=10.0.10.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

// TestBridgePortWithoutForward: the LAN addresses on bridge ports are
// findings on the router even without a forward, each with its own fix
// line; each segment's own client probes its router address; a failed
// probe from a client whose gateway is such an address says so; and the
// verdict is not "no problem found" (realcheck17 D6: every LAN probe
// failed, all from the last segment's client, and the verdict was no
// problem found).
func TestBridgePortWithoutForward(t *testing.T) {
	p := importText(t, bridgePorts)
	p.Refusals(context.Background())
	found, _ := p.Diagnose()
	got := withCause(found, AddressOnBridgePort)
	if len(got) != 2 || got[0].Forward != -1 || got[0].Line != 16 || got[1].Line != 17 {
		t.Fatalf("findings %v", found)
	}
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	for _, l := range []string{
		"/ip address set [ find where address=10.0.0.2/24 interface=ether3 ] interface=bridge",
		"/ip address set [ find where address=10.0.10.1/24 interface=ether4 ] interface=bridge",
	} {
		if !strings.Contains(all, l) {
			t.Errorf("fix lacks %s:\n%s", l, all)
		}
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	caseLoads(t, c)
	// Each router address asked by its own segment's client.
	from := map[string]string{}
	for _, pr := range c.Probes {
		if pr.Phase == "before" && strings.HasPrefix(pr.Path, "service:www@") {
			from[pr.To] = pr.From
		}
	}
	if from["192.168.88.1:80"] != "client1" || from["10.0.0.2:80"] != "client2" || from["10.0.10.1:80"] != "client3" {
		t.Errorf("the router's page asked by %v", from)
	}
	probe := func(to, client, phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: phase, From: client, To: to, Kind: "http"}, Result: result, By: map[bool]string{true: "router"}[result == "ok"]}
	}
	outs := []Outcome{
		probe("192.168.88.1:80", "client1", "before", "ok"),
		probe("10.0.0.2:80", "client2", "before", "timeout"),
		probe("10.0.10.1:80", "client3", "before", "timeout"),
		probe("192.168.88.1:80", "client1", "fixed", "ok"),
		probe("10.0.0.2:80", "client2", "fixed", "ok"),
		probe("10.0.10.1:80", "client3", "fixed", "ok"),
	}
	if d := p.describe(c, outs[1]); !strings.Contains(d, "client2's gateway 10.0.0.2 is on ether3, a port of bridge bridge: invalid on RouterOS") {
		t.Errorf("cell %q", d)
	}
	if d := p.describe(c, outs[0]); strings.Contains(d, "gateway") {
		t.Errorf("cell of the valid address %q", d)
	}
	if w := p.pathWords(c, outs[1].Probe); w != "the router's www from LAN bridge (10.0.0.0/24)" {
		t.Errorf("path in words %q", w)
	}
	word, text, code := p.LabVerdict(found, fx, outs)
	if word != "broken" || code != 1 || strings.Contains(text, "no problem") || strings.Contains(text, "forward") ||
		!strings.Contains(text, "2 LAN address(es) of the router sit on a port of a bridge") || !strings.Contains(text, "the router answers them") {
		t.Errorf("verdict %s %d %q", word, code, text)
	}

	// Negative control: the addresses on the bridge itself (each
	// subnet there) are no finding, and the router answers.
	ok := importText(t, strings.NewReplacer("interface=ether3 network", "interface=bridge network", "interface=ether4 network", "interface=bridge network").Replace(bridgePorts))
	found, _ = ok.Diagnose()
	if f := withCause(found, AddressOnBridgePort); len(f) != 0 {
		t.Errorf("findings on the bridge: %v", f)
	}
}

// TestLANProbeFailsWithoutCause: a probe of the router from the LAN that
// nobody answered, with no finding and no rule that drops it, leaves no
// "no problem found" verdict; an input rule that drops it is its cause.
func TestLANProbeFailsWithoutCause(t *testing.T) {
	const export = `# by RouterOS 7.16.2
/ip address add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`
	down := []Outcome{{Probe: Probe{Forward: -1, Path: "service:www@ether2", Phase: "before", From: "client1", To: "192.168.88.1:80", Kind: "http"}, Result: "timeout"}}
	p := importText(t, export)
	found, _ := p.Diagnose()
	if _, text, _ := p.LabVerdict(found, p.Propose(found), down); !strings.HasPrefix(text, "1 probe(s) of the router from the LAN got no answer (timeout), and the diagnosis names no cause") {
		t.Errorf("verdict %q", text)
	}
	// The input chain drops WebFig from the LAN: a cause.
	q := importText(t, export+"/ip firewall filter add action=drop chain=input dst-port=80 protocol=tcp\n")
	found, _ = q.Diagnose()
	if _, text, _ := q.LabVerdict(found, q.Propose(found), down); !strings.HasPrefix(text, "no problem found") {
		t.Errorf("verdict with the drop %q", text)
	}
}
