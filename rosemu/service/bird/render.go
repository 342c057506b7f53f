package bird

import (
	"fmt"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/routefilter"
)

// Render writes BIRD 2's configuration for cfg. Each OSPF instance is an
// OSPFv2 protocol with its own router id; the routes it redistributes are
// a static protocol of unreachable routes that only that instance exports
// (the router's forwarding for them is rosemu's own). Each BGP session is
// a BGP protocol announcing the prefixes the engine resolved. The kernel
// protocol installs what OSPF and BGP learnt, and nothing else, in the
// main table with RouterOS's distance as the metric (OSPF 110, eBGP 20,
// iBGP 200, or what a filter's "set distance" gave), so that a static route (distance 1, metric 1) to the same
// prefix wins as it does on RouterOS; BIRD's own preferences are set in
// the same order (eBGP 155 over OSPF 150 over iBGP 100).
func Render(cfg config.RoutingConfig) string {
	var b strings.Builder
	b.WriteString("# Written by rosemu from /routing ospf and bgp: do not edit.\n")
	b.WriteString("log stderr { info, remote, warning, error, auth, fatal, bug };\n")
	switch {
	case len(cfg.OSPF) > 0:
		fmt.Fprintf(&b, "router id %s;\n", cfg.OSPF[0].RouterID)
	case len(cfg.BGP) > 0:
		fmt.Fprintf(&b, "router id %s;\n", cfg.BGP[0].RouterID)
	}
	// The attribute and functions routing filters' "set distance" use,
	// before any chain's function.
	b.WriteString(routefilter.Prelude)
	b.WriteString("protocol device { scan time 2; }\n")
	// The connected networks, so that OSPF's routes to them (the stub
	// networks of the router's own interfaces) are not the best and
	// never reach the kernel: a connected route is ahead of an OSPF one
	// on RouterOS too. Preference 160 keeps them ahead of OSPF (150) and
	// eBGP (155) and behind the static routes an instance redistributes
	// (200), which must be the best to be announced.
	b.WriteString("protocol direct rosemu_connected { ipv4 { preference 160; }; interface \"*\"; }\n")
	b.WriteString("protocol kernel rosemu_kernel {\n")
	b.WriteString("\tipv4 {\n\t\timport none;\n\t\texport filter {\n")
	// ros_dist is the protocol's distance, or the one a filter's "set
	// distance" gave the route. The realm tells OSPF's routes (1) from
	// BGP's (2) when rosemu reads them back, as the metric no longer does.
	// A route a filter gave distance 255 is never used on RouterOS
	// (config's unusableDistance): it stays out of the kernel.
	b.WriteString("\t\t\tif ros_dist() = 255 then reject;\n")
	b.WriteString("\t\t\tif source ~ [ RTS_OSPF, RTS_OSPF_IA, RTS_OSPF_EXT1, RTS_OSPF_EXT2 ] then { krt_metric = ros_dist(); krt_realm = 1; accept; }\n")
	b.WriteString("\t\t\tif source = RTS_BGP then { krt_metric = ros_dist(); krt_realm = 2; accept; }\n")
	b.WriteString("\t\t\treject;\n\t\t};\n\t};\n")
	// metric 0 lets each route carry its own krt_metric.
	b.WriteString("\tmetric 0;\n}\n")
	renderOSPF(&b, cfg.OSPF)
	renderBGP(&b, cfg.BGP)
	return b.String()
}

// renderOSPF writes the OSPF instances and their redistributed routes.
func renderOSPF(b *strings.Builder, instances []config.OSPFInstance) {
	for i, in := range instances {
		proto := ProtoName(i)
		ext := proto + "_ext"
		if len(in.External) > 0 {
			// Each route carries its external type and metric: BIRD
			// announces a route with ospf_metric1 as type 1, with
			// ospf_metric2 as type 2.
			fmt.Fprintf(b, "protocol static %s {\n\tipv4;\n", ext)
			for _, e := range in.External {
				fmt.Fprintf(b, "\troute %s unreachable { ospf_metric%d = %d; };\n", e.Prefix, max(min(e.Type, 2), 1), e.Metric)
			}
			b.WriteString("}\n")
		}
		// The instance's routing filter chains: in-filter-chain on what
		// it installs, out-filter-chain on the externals it announces.
		imp, exp := "import all;", "export none;"
		if len(in.External) > 0 {
			exp = fmt.Sprintf("export where proto = \"%s\";", ext)
		}
		if f := in.Import; f != nil {
			if code, fn, err := routefilter.BIRD(f.Chains, f.Lists, f.Entry, proto+"_in", 0); err == nil {
				b.WriteString(code)
				imp = fmt.Sprintf("import filter { case %s() { 1: accept; } reject; };", fn)
			}
		}
		if f := in.Export; f != nil && len(in.External) > 0 {
			if code, fn, err := routefilter.BIRD(f.Chains, f.Lists, f.Entry, proto+"_out", 0); err == nil {
				b.WriteString(code)
				exp = fmt.Sprintf("export filter { if proto != \"%s\" then reject; case %s() { 1: accept; } reject; };", ext, fn)
			}
		}
		fmt.Fprintf(b, "# /routing ospf instance %s\n", quote(in.Name))
		fmt.Fprintf(b, "protocol ospf v2 %s {\n", proto)
		fmt.Fprintf(b, "\trouter id %s;\n", in.RouterID)
		b.WriteString("\tecmp yes;\n")
		fmt.Fprintf(b, "\tipv4 { %s %s };\n", imp, exp)
		for _, a := range in.Areas {
			fmt.Fprintf(b, "\tarea %s {\n", a.ID)
			switch a.Type {
			case "stub":
				b.WriteString("\t\tstub yes;\n")
				fmt.Fprintf(b, "\t\tsummary %s;\n", yesNo(!a.NoSummaries))
				fmt.Fprintf(b, "\t\tdefault cost %d;\n", min(max(a.DefaultCost, 1), 16777214))
			case "nssa":
				b.WriteString("\t\tnssa;\n")
				fmt.Fprintf(b, "\t\tsummary %s;\n", yesNo(!a.NoSummaries))
				fmt.Fprintf(b, "\t\tdefault cost %d;\n", min(max(a.DefaultCost, 1), 16777214))
			}
			for _, ifc := range a.Interfaces {
				writeIface(b, ifc)
			}
			b.WriteString("\t};\n")
		}
		b.WriteString("}\n")
	}
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

// renderBGP writes the BGP sessions. What a session originates is a
// static protocol of unreachable routes with preference 1: where the
// router has a better route to the prefix (a connected network, an OSPF
// route) BIRD announces that one, otherwise this stand-in, with the
// router as next hop; it never reaches the kernel.
func renderBGP(b *strings.Builder, peers []config.BGPPeer) {
	for i, p := range peers {
		proto := BGPProtoName(i, p.IBGP())
		nets := fmt.Sprintf("ros_bgp%d_net", i)
		if len(p.Announce) > 0 {
			fmt.Fprintf(b, "protocol static %s {\n\tipv4 { preference 1; };\n", nets)
			for _, a := range p.Announce {
				fmt.Fprintf(b, "\troute %s unreachable;\n", a)
			}
			b.WriteString("}\n")
		}
		var export []string
		if len(p.Announce) > 0 {
			var set []string
			for _, a := range p.Announce {
				set = append(set, a.String())
			}
			export = append(export, fmt.Sprintf("net ~ [ %s ]", strings.Join(set, ", ")))
		}
		if p.RedistOSPF {
			export = append(export, "source ~ [ RTS_OSPF, RTS_OSPF_IA, RTS_OSPF_EXT1, RTS_OSPF_EXT2 ]")
		}
		// The session's routing filter chains, as BIRD functions
		// (rosemu/routefilter); a chain that does not translate was left
		// out by the engine.
		importFn, exportFn := "", ""
		if f := p.Import; f != nil {
			if code, fn, err := routefilter.BIRD(f.Chains, f.Lists, f.Entry, fmt.Sprintf("ros_bgp%d_in", i), p.LocalAS); err == nil {
				b.WriteString(code)
				importFn = fn
			}
		}
		if f := p.Export; f != nil {
			if code, fn, err := routefilter.BIRD(f.Chains, f.Lists, f.Entry, fmt.Sprintf("ros_bgp%d_out", i), p.LocalAS); err == nil {
				b.WriteString(code)
				exportFn = fn
			}
		}
		fmt.Fprintf(b, "# /routing bgp %s\n", quote(p.Name))
		fmt.Fprintf(b, "protocol bgp %s {\n", proto)
		fmt.Fprintf(b, "\trouter id %s;\n", p.RouterID)
		if p.Local.IsValid() {
			fmt.Fprintf(b, "\tlocal %s as %d;\n", p.Local, p.LocalAS)
		} else {
			fmt.Fprintf(b, "\tlocal as %d;\n", p.LocalAS)
		}
		fmt.Fprintf(b, "\tneighbor %s as %d;\n", p.Remote, p.RemoteAS)
		if p.Multihop {
			b.WriteString("\tmultihop;\n")
		}
		if p.Passive {
			b.WriteString("\tpassive on;\n")
		}
		if p.Password != "" {
			fmt.Fprintf(b, "\tpassword %s;\n", birdString(p.Password, 80))
		}
		hold := max(secs(p.Hold), 3)
		fmt.Fprintf(b, "\thold time %d;\n\tkeepalive time %d;\n", hold, min(max(secs(p.Keepalive), 1), hold))
		// Quick retries: RouterOS reconnects within seconds of a
		// refused or dropped session. [verify] its timers.
		b.WriteString("\tconnect retry time 5;\n\terror wait time 5, 30;\n")
		b.WriteString("\tipv4 {\n")
		if importFn != "" {
			// RouterOS 7 rejects what no rule of the chain accepts.
			fmt.Fprintf(b, "\t\timport filter { case %s() { 1: accept; } reject; };\n", importFn)
		} else {
			b.WriteString("\t\timport all;\n")
		}
		if !p.IBGP() {
			b.WriteString("\t\tpreference 155;\n")
		}
		if len(export) > 0 && exportFn != "" {
			fmt.Fprintf(b, "\t\texport filter { if !(%s) then reject; case %s() { 1: accept; } reject; };\n", strings.Join(export, " || "), exportFn)
		} else if len(export) > 0 {
			fmt.Fprintf(b, "\t\texport where %s;\n", strings.Join(export, " || "))
		} else {
			b.WriteString("\t\texport none;\n")
		}
		if p.NextHopSelf {
			b.WriteString("\t\tnext hop self;\n")
		}
		b.WriteString("\t};\n}\n")
	}
}

// BGPProtoName is BIRD's name of the i-th session; the kernel protocol
// tells iBGP's routes by it.
func BGPProtoName(i int, ibgp bool) string {
	if ibgp {
		return fmt.Sprintf("ros_ibgp%d", i)
	}
	return fmt.Sprintf("ros_ebgp%d", i)
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
