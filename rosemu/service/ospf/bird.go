package ospf

import (
	"fmt"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// Render writes BIRD 2's configuration for cfg. Each RouterOS instance is
// an OSPFv2 protocol with its own router id; the routes it redistributes
// are a static protocol of unreachable routes that only that instance
// exports (the router's forwarding for them is rosemu's own); the kernel
// protocol installs what OSPF learnt, and nothing else, in the main table
// with metric 110, RouterOS's OSPF distance, so that a static route
// (distance 1, metric 1) to the same prefix wins as it does on RouterOS.
func Render(cfg config.OSPFConfig) string {
	var b strings.Builder
	b.WriteString("# Written by rosemu from /routing ospf: do not edit.\n")
	b.WriteString("log stderr { info, remote, warning, error, auth, fatal, bug };\n")
	if len(cfg.Instances) > 0 {
		fmt.Fprintf(&b, "router id %s;\n", cfg.Instances[0].RouterID)
	}
	b.WriteString("protocol device { scan time 2; }\n")
	// The connected networks, so that OSPF's routes to them (the stub
	// networks of the router's own interfaces) are not the best and
	// never reach the kernel: a connected route is ahead of an OSPF one
	// on RouterOS too. Preference 160 keeps them ahead of OSPF (150) and
	// behind the static routes an instance redistributes (200), which
	// must be the best to be announced.
	b.WriteString("protocol direct rosemu_connected { ipv4 { preference 160; }; interface \"*\"; }\n")
	b.WriteString("protocol kernel rosemu_kernel {\n")
	b.WriteString("\tipv4 { import none; export where source ~ [ RTS_OSPF, RTS_OSPF_IA, RTS_OSPF_EXT1, RTS_OSPF_EXT2 ]; };\n")
	b.WriteString("\tmetric 110;\n")
	b.WriteString("}\n")
	for i, in := range cfg.Instances {
		proto := ProtoName(i)
		ext := proto + "_ext"
		if len(in.External) > 0 {
			// Each route carries its external type and metric: BIRD
			// announces a route with ospf_metric1 as type 1, with
			// ospf_metric2 as type 2.
			fmt.Fprintf(&b, "protocol static %s {\n\tipv4;\n", ext)
			for _, e := range in.External {
				fmt.Fprintf(&b, "\troute %s unreachable { ospf_metric%d = %d; };\n", e.Prefix, max(min(e.Type, 2), 1), e.Metric)
			}
			b.WriteString("}\n")
		}
		fmt.Fprintf(&b, "# /routing ospf instance %s\n", quote(in.Name))
		fmt.Fprintf(&b, "protocol ospf v2 %s {\n", proto)
		fmt.Fprintf(&b, "\trouter id %s;\n", in.RouterID)
		b.WriteString("\tecmp yes;\n")
		if len(in.External) > 0 {
			fmt.Fprintf(&b, "\tipv4 { import all; export where proto = \"%s\"; };\n", ext)
		} else {
			b.WriteString("\tipv4 { import all; export none; };\n")
		}
		for _, a := range in.Areas {
			fmt.Fprintf(&b, "\tarea %s {\n", a.ID)
			switch a.Type {
			case "stub":
				b.WriteString("\t\tstub yes;\n")
				fmt.Fprintf(&b, "\t\tsummary %s;\n", yesNo(!a.NoSummaries))
				fmt.Fprintf(&b, "\t\tdefault cost %d;\n", min(max(a.DefaultCost, 1), 16777214))
			case "nssa":
				b.WriteString("\t\tnssa;\n")
				fmt.Fprintf(&b, "\t\tsummary %s;\n", yesNo(!a.NoSummaries))
				fmt.Fprintf(&b, "\t\tdefault cost %d;\n", min(max(a.DefaultCost, 1), 16777214))
			}
			for _, ifc := range a.Interfaces {
				writeIface(&b, ifc)
			}
			b.WriteString("\t};\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// writeIface writes one interface: the link by name, narrowed to the
// networks the template matched, so that an address outside them does
// not run OSPF (BIRD's OSPFv2 runs per address).
func writeIface(b *strings.Builder, o config.OSPFInterface) {
	var pats []string
	for _, n := range o.Networks {
		// Link names hold no quote or backslash (kernel.LinkName), and
		// BIRD's strings have no escapes: the name goes in as it is.
		pats = append(pats, fmt.Sprintf("\"%s\" %s", o.Link, n.Masked()))
	}
	fmt.Fprintf(b, "\t\t# %s\n", quote(o.Interface))
	fmt.Fprintf(b, "\t\tinterface %s {\n", strings.Join(pats, ", "))
	typ := map[string]string{"broadcast": "broadcast", "ptp": "ptp", "ptmp": "ptmp"}[o.Type]
	if typ == "" {
		typ = "broadcast"
	}
	fmt.Fprintf(b, "\t\t\ttype %s;\n", typ)
	fmt.Fprintf(b, "\t\t\tcost %d;\n", max(o.Cost, 1))
	fmt.Fprintf(b, "\t\t\tpriority %d;\n", o.Priority)
	fmt.Fprintf(b, "\t\t\thello %d;\n", secs(o.Hello))
	fmt.Fprintf(b, "\t\t\tdead %d;\n", secs(o.Dead))
	fmt.Fprintf(b, "\t\t\tretransmit %d;\n", secs(o.Retransmit))
	fmt.Fprintf(b, "\t\t\ttransmit delay %d;\n", secs(o.TransmitDelay))
	if o.Passive {
		b.WriteString("\t\t\tstub yes;\n")
	}
	switch o.Auth {
	case "simple":
		fmt.Fprintf(b, "\t\t\tauthentication simple;\n\t\t\tpassword %s;\n", birdString(o.AuthKey, 8))
	case "md5", "sha1", "sha256", "sha384", "sha512":
		alg := map[string]string{"md5": "keyed md5", "sha1": "hmac sha1", "sha256": "hmac sha256", "sha384": "hmac sha384", "sha512": "hmac sha512"}[o.Auth]
		fmt.Fprintf(b, "\t\t\tauthentication cryptographic;\n\t\t\tpassword %s { id %d; algorithm %s; };\n", birdString(o.AuthKey, 0), o.AuthID, alg)
	}
	b.WriteString("\t\t};\n")
}

// ProtoName is BIRD's name of the i-th instance: RouterOS's names may hold
// any character, BIRD's symbols may not.
func ProtoName(i int) string { return fmt.Sprintf("ros_ospf%d", i) }

// secs is a duration in whole seconds, at least 1 (BIRD's unit).
func secs(d time.Duration) int {
	return max(int((d+time.Second-1)/time.Second), 1)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// birdString is s as a BIRD string literal, cut to max bytes when max > 0
// (simple authentication carries 8). BIRD's strings have no escapes: a
// double quote cannot be written and becomes a single one, control
// characters become spaces (such a key then differs from the
// neighbor's).
func birdString(s string, max int) string {
	if max > 0 && len(s) > max {
		s = s[:max]
	}
	return `"` + strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s) + `"`
}

// quote makes a RouterOS name safe inside a BIRD comment line.
func quote(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
