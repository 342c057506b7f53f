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
			rules = append(rules, fmt.Sprintf("\t\tct state new %s dport { %s } ct helper set %q\n", k.proto, strings.Join(ps, ", "), obj))
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
		fmt.Fprintf(b, "\tchain service_ports_%s {\n\t\ttype filter hook %s priority filter + 10; policy accept;\n", hook, hook)
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
