package runner

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// A shared lab of labs/ carries the hosts of every scenario that runs on
// it (the hairpin lab's dns, client2, peer), and each host a run starts
// costs about 0.1 to 0.15 CPU-s of the container engine and the container
// to start and remove (docs/benchmarks.md, "CPU per lab"), on a machine
// whose scenario suite is bound by CPU. So a run leaves out the hosts its
// scenario has no use for. A host stays when:
//   - a step names it (from, to, server, server_saw, answer, client, a
//     netem node), by name, as name.public or by one of its addresses;
//   - one of its addresses is written in the router's configuration (the
//     lab's base, the scenario's .rsc, a configure step): the ISP that is
//     the default gateway, a port forward's server, a DNS server, a
//     tunnel's far end;
//   - it plays a part the router meets without a step asking: an ISP, a
//     CPE, a tunnel, OSPF, BGP or VRRP peer, a forwarding node, a host
//     that leases, dials or autoconfigures its address from the router;
//   - a host that stays names one of its addresses (a gateway, a route,
//     a flag such as the DNS server an ISP hands out), so the path to a
//     host that stays is whole;
//   - it is the first host of a router port's network that no host that
//     stays is on, so that no port of the router is left alone on its
//     segment (a lone port is one the run waits on differently: alone).
//
// Only a lab of labs/ is trimmed: a lab written beside a case or inline
// (chrlab check's labs too) is that case's own, and a lab left running for
// a person to explore (KEEP=1, chrlab up) keeps every host.

// trimHosts returns spec without the hosts the scenario has no use for,
// and their names; spec itself is not changed. texts are the router's
// configuration texts of the run.
func trimHosts(spec *lab.Spec, s *scenario.Scenario, texts []string) (*lab.Spec, []string) {
	keep := map[string]bool{}
	named := stepNames(s.Steps, nil)
	config := strings.Join(texts, "\n")
	for _, n := range spec.Nodes {
		if namesNode(named, n) || mentionsNode(config, n) || playsPart(n) {
			keep[n.Name] = true
		}
	}
	// What a kept host names (its gateway, routes, flags) stays too, until
	// nothing more is added. Each host's text is made once, not on every
	// pass.
	text := map[string]string{}
	for _, k := range spec.Nodes {
		if b, err := json.Marshal(k); err == nil {
			text[k.Name] = string(b)
		}
	}
	for grew := true; grew; {
		grew = false
		for _, k := range spec.Nodes {
			b, ok := text[k.Name]
			if !keep[k.Name] || !ok {
				continue
			}
			for _, n := range spec.Nodes {
				if !keep[n.Name] && mentionsNode(b, n) {
					keep[n.Name], grew = true, true
				}
			}
		}
	}
	for _, p := range spec.Router.Ports {
		var first string
		held := false
		for _, n := range spec.Nodes {
			if !onNetwork(spec, n, p.Network) {
				continue
			}
			if first == "" {
				first = n.Name
			}
			held = held || keep[n.Name]
		}
		if !held && first != "" {
			keep[first] = true
		}
	}
	var left []string
	out := *spec
	out.Nodes = nil
	for _, n := range spec.Nodes {
		if keep[n.Name] {
			out.Nodes = append(out.Nodes, n)
		} else {
			left = append(left, n.Name)
		}
	}
	if len(left) == 0 {
		return spec, nil
	}
	return &out, left
}

// stepNames collects what the steps (and the actions they take during a
// flow) name: nodes, name.public and literal addresses.
func stepNames(steps []scenario.Step, out []string) []string {
	for _, st := range steps {
		host := st.To
		if st.Probe != scenario.Ping {
			if h, _, err := scenario.SplitTarget(st.To); err == nil {
				host = h
			}
		}
		out = append(out, st.From, host, st.Expect.Server, st.Expect.ServerSaw, st.Expect.Answer, st.Client, st.Node)
		out = stepNames(st.During, out)
	}
	return out
}

// namesNode reports whether a name the steps use is n: its name, its name
// with a suffix (peer.public) or one of its addresses.
func namesNode(names []string, n lab.Node) bool {
	for _, v := range names {
		if v == "" {
			continue
		}
		if v == n.Name || strings.HasPrefix(v, n.Name+".") {
			return true
		}
		if a, err := netip.ParseAddr(v); err == nil && slices.Contains(nodeAddrList(n), a) {
			return true
		}
	}
	return false
}

// mentionsNode reports whether text holds one of n's addresses as a whole
// address: 192.168.88.10 in to-addresses=192.168.88.10 or
// 192.168.88.10/32, not in 192.168.88.100.
func mentionsNode(text string, n lab.Node) bool {
	for _, a := range nodeAddrList(n) {
		s := a.String()
		for i := 0; ; {
			j := strings.Index(text[i:], s)
			if j < 0 {
				break
			}
			j += i
			end := j + len(s)
			if (j == 0 || !addrChar(a, text[j-1])) && (end == len(text) || !addrChar(a, text[end])) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

// addrChar reports whether c can continue an address like a written in
// text: a digit or a dot, and for IPv6 a hex digit or a colon too (an IPv4
// address followed by :port is still that address).
func addrChar(a netip.Addr, c byte) bool {
	if c >= '0' && c <= '9' || c == '.' {
		return true
	}
	return a.Is6() && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
}

func nodeAddrList(n lab.Node) []netip.Addr {
	var out []netip.Addr
	for _, in := range n.Interfaces {
		for _, a := range []netip.Addr{in.Address, in.Address6} {
			if a.IsValid() {
				out = append(out, a)
			}
		}
	}
	return out
}

// playsPart reports whether the router meets n without a step naming it.
func playsPart(n lab.Node) bool {
	if n.ISP != nil || n.CPE != nil || n.WireGuard != nil || n.OSPF != nil || n.BGP != nil || n.VRRP != nil || n.Forward {
		return true
	}
	for _, in := range n.Interfaces {
		if in.DHCP || in.PPPoE != nil || in.SLAAC {
			return true
		}
	}
	return false
}

func onNetwork(spec *lab.Spec, n lab.Node, network string) bool {
	for _, in := range n.Interfaces {
		if in.Network == network || spec.WireNetwork(in.Network) == network {
			return true
		}
	}
	return false
}

// sharedLab reports whether the scenario runs on a lab of labs/, named
// rather than written beside it or inline.
func sharedLab(s *scenario.Scenario) bool {
	return len(s.LabYAML) == 0 && s.Lab != "" && !strings.HasSuffix(s.Lab, ".yaml")
}

// routerTexts are the router's configuration texts of a run and the
// emulator's flags, where an address of a host the router needs is
// written.
func routerTexts(spec *lab.Spec, base []byte, s *scenario.Scenario) []string {
	texts := []string{string(base), string(s.RSC), strings.Join(spec.Router.Emulator, " ")}
	var steps func([]scenario.Step)
	steps = func(sts []scenario.Step) {
		for _, st := range sts {
			texts = append(texts, st.RSC)
			steps(st.During)
		}
	}
	steps(s.Steps)
	return texts
}
