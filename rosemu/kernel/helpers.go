package kernel

import (
	"fmt"
	"slices"
	"strings"
)

// Connection-tracking helpers: RouterOS's /ip firewall service-port. A
// helper reads the payload of a protocol that carries addresses in it (an
// FTP server's PASV answer, a SIP call's SDP), expects the connection that
// the payload announces, and with NAT rewrites the addresses in it. The
// ip rosemu table assigns the Linux helper of each enabled service port to
// new connections to its ports, after destination NAT (so a forward of
// port 21 to a LAN server gets the FTP helper), in a prerouting chain of
// its own and for the router's own connections in output.

// Helper is one enabled service port.
type Helper struct {
	// Name is RouterOS's: ftp, tftp, irc, sip, h323, pptp.
	Name string
	// Ports are the service port's ports; none takes the kernel helper's
	// own (h323, pptp).
	Ports []uint16
}

// helperKind is one Linux helper behind a RouterOS service port.
type helperKind struct {
	typ, proto string
	ports      []uint16 // when the service port has none
}

// helperKinds maps RouterOS's service ports to Linux's helpers: SIP runs
// over UDP and TCP, H.323 is two helpers (RAS and Q.931).
var helperKinds = map[string][]helperKind{
	"ftp":  {{"ftp", "tcp", nil}},
	"tftp": {{"tftp", "udp", nil}},
	"irc":  {{"irc", "tcp", nil}},
	"sip":  {{"sip", "udp", nil}, {"sip", "tcp", nil}},
	"h323": {{"RAS", "udp", []uint16{1719}}, {"Q.931", "tcp", []uint16{1720}}},
	"pptp": {{"pptp", "tcp", []uint16{1723}}},
}

// helperMarks number the service ports in the helper bits of the ct mark
// (marks.go). The rule that gives a connection its helper sets them too,
// and the kernel copies a master's ct mark to the connection its helper
// expected (init_conntrack in nf_conntrack_core.c), so a related connection
// carries its master's service port.
var helperMarks = map[string]uint32{"ftp": 1, "tftp": 2, "irc": 3, "sip": 4, "h323": 5, "pptp": 6}

// connTypeMatch renders connection-type. RouterOS's matcher is Linux's
// xt_helper: it matches a connection that has a master (one a helper
// expected, ct status expected) whose helper is the named one, so an FTP
// data connection, never the control connection itself. nftables' ct
// helper reads a connection's own helper, which an expected connection
// lacks, so the master's is read from the helper bits it inherited. The
// negation matches everything else, which takes two disjoint lines: a
// connection nothing expected, and an expected one of another helper.
// quake3 has no service port and Linux no helper for it: no connection is
// related through it, so that match never holds (NeverMatches) and its
// negation always does.
//
//	connection-type=ftp  -> ct status expected ct mark & 0xff000000 == 0x1000000
//	connection-type=!ftp -> ct status & expected == 0
//	                        ct status expected ct mark & 0xff000000 != 0x1000000
func connTypeMatch(v string) ([][]string, error) {
	neg, name := negated(v)
	if name == "quake3" {
		if neg {
			return nil, nil
		}
		return nil, fmt.Errorf("quake3 has no connection-tracking helper")
	}
	n, ok := helperMarks[name]
	if !ok {
		return nil, fmt.Errorf("unknown connection type %q", name)
	}
	mark := fmt.Sprintf("ct mark & 0x%08x", uint32(helperMarkMask))
	if neg {
		return [][]string{{"ct status & expected == 0"}, {"ct status expected", fmt.Sprintf("%s != 0x%x", mark, n<<helperMarkShift)}}, nil
	}
	return [][]string{{"ct status expected", fmt.Sprintf("%s == 0x%x", mark, n<<helperMarkShift)}}, nil
}

// HelperNames are the service ports that have a Linux helper.
func HelperNames() []string {
	var out []string
	for n := range helperKinds {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// helperObject is the nft object name of a kind.
func helperObject(k helperKind) string {
	return "h_" + strings.ToLower(strings.ReplaceAll(k.typ, ".", "")) + "_" + k.proto
}

// newOnly opens the service-port chains, whose rules act only on a
// connection's first packets: a helper is set with "ct state new" (the
// kernel's helper object, too, leaves a confirmed entry alone). The timeout
// chains open with unconfirmedOnly instead (cttimeout.go). Every packet of
// every connection crosses these base chains, and without it each packet of
// an established flow was matched against all their rules (eight helper
// rules) to no effect. The accept ends this base chain
// only; the packet goes on to the hook's later chains. In a hairpin iperf3
// flow it took nft_do_chain from 1.7 to 2.5 % of the path's CPU samples to
// 1.2 to 1.6 %, and netfilter as a whole from 4.2 to 5.5 % to 3.0 to 4.0 %
// (docs/benchmarks.md, 2026-12-06).
const newOnly = "ct state != new accept"

// renderHelpers writes the helper objects and the chains that assign them;
// nothing when no helper is enabled.
func renderHelpers(b *strings.Builder, hs []Helper) {
	var objs, rules []string
	for _, h := range hs {
		for _, k := range helperKinds[h.Name] {
			ports := h.Ports
			if len(ports) == 0 {
				ports = k.ports
			}
			if len(ports) == 0 {
				continue
			}
			var ps []string
			for _, p := range ports {
				ps = append(ps, fmt.Sprint(p))
			}
			obj := helperObject(k)
			objs = append(objs, fmt.Sprintf("\tct helper %s {\n\t\ttype %q protocol %s\n\t\tl3proto ip\n\t}\n", obj, k.typ, k.proto))
			rules = append(rules, fmt.Sprintf("\t\tct state new %s dport { %s } ct helper set %q ct mark set ct mark | 0x%x\n", k.proto, strings.Join(ps, ", "), obj, helperMarks[h.Name]<<helperMarkShift))
		}
	}
	if len(objs) == 0 {
		return
	}
	b.WriteString("\n\t# RouterOS /ip firewall service-port: connection-tracking helpers\n")
	for _, o := range objs {
		b.WriteString(o)
	}
	for _, hook := range []string{"prerouting", "output"} {
		fmt.Fprintf(b, "\tchain service_ports_%s {\n\t\ttype filter hook %s priority filter + 10; policy accept;\n\t\t%s\n", hook, hook, newOnly)
		for _, r := range rules {
			b.WriteString(r)
		}
		b.WriteString("\t}\n")
	}
}

// probeHelpers finds which helpers the kernel has, loading each into a
// table of its own that goes at once: a helper module missing from the
// kernel would make the whole ruleset fail to load.
func (d *Dataplane) probeHelpers() map[string]bool {
	have := map[string]bool{}
	for name, kinds := range helperKinds {
		ok := true
		for _, k := range kinds {
			text := fmt.Sprintf("table ip rosemu_probe {\n\tct helper h {\n\t\ttype %q protocol %s\n\t\tl3proto ip\n\t}\n}\ndelete table ip rosemu_probe\n", k.typ, k.proto)
			if _, err := run(d.ns, text, d.nft, "-f", "-"); err != nil {
				ok = false
			}
		}
		have[name] = ok
		if !ok {
			d.warnings = append(d.warnings, fmt.Sprintf("the kernel has no %s connection-tracking helper: /ip firewall service-port %s is not enforced", name, name))
		}
	}
	_, _ = run(d.ns, "delete table ip rosemu_probe\n", d.nft, "-f", "-")
	return have
}

// availableHelpers keeps the helpers the kernel has.
func (d *Dataplane) availableHelpers(hs []Helper) []Helper {
	var out []Helper
	for _, h := range hs {
		if d.helpers[h.Name] {
			out = append(out, h)
		}
	}
	return out
}
