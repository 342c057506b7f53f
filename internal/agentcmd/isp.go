package agentcmd

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/vishvananda/netlink"
)

// The ISP and CPE behaviours of a lab node: what a real access network does to the packets of its
// customer, written as one nftables table in the node's namespace. The lab file says which (an
// ISP kind, a CPE with its port forwards); harness/lab turns that into these flags.
//
//	--route DST=VIA             a static route (a node that routes to a network behind another)
//	--antispoof NET=ALLOW,...   drop packets arriving from network NET whose source is not in ALLOW
//	--snat INSIDE=PUBLIC        translate sources in INSIDE leaving by another network to PUBLIC
//	--block-inbound INSIDE      drop new connections from elsewhere towards INSIDE (not forwarded)
//	--port-forward PROTO:PUBLIC:PORT=TO:PORT  forward a port of a public address inwards

type routeFlag struct {
	dst netip.Prefix
	via netip.Addr
}

type portForward struct {
	proto  string // tcp or udp
	public netip.AddrPort
	to     netip.AddrPort
}

// accessFlags are the raw flags; accessRules the checked rules.
type accessFlags struct {
	routes    []routeFlag
	antispoof map[netip.Prefix][]netip.Prefix
	snat      map[netip.Prefix]netip.Addr
	block     []netip.Prefix
	forwards  []portForward
}

func (a *accessFlags) register(fs *flag.FlagSet) {
	fs.Func("route", "a static route `DST=VIA` (repeat)", func(v string) error {
		d, via, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("%q is not DST=VIA", v)
		}
		dst, err := netip.ParsePrefix(d)
		if err != nil {
			return err
		}
		gw, err := netip.ParseAddr(via)
		if err != nil {
			return err
		}
		a.routes = append(a.routes, routeFlag{dst: dst.Masked(), via: gw})
		return nil
	})
	fs.Func("antispoof", "`NET=ALLOW[,ALLOW]`: drop packets arriving from lab network NET with a source outside ALLOW (repeat)", func(v string) error {
		n, allow, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("%q is not NET=ALLOW,...", v)
		}
		nw, err := netip.ParsePrefix(n)
		if err != nil {
			return err
		}
		var list []netip.Prefix
		for s := range strings.SplitSeq(allow, ",") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return err
			}
			list = append(list, p.Masked())
		}
		if a.antispoof == nil {
			a.antispoof = map[netip.Prefix][]netip.Prefix{}
		}
		a.antispoof[nw.Masked()] = append(a.antispoof[nw.Masked()], list...)
		return nil
	})
	fs.Func("snat", "`INSIDE=PUBLIC`: sources in INSIDE leaving by another interface become PUBLIC (repeat)", func(v string) error {
		in, pub, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("%q is not INSIDE=PUBLIC", v)
		}
		p, err := netip.ParsePrefix(in)
		if err != nil {
			return err
		}
		addr, err := netip.ParseAddr(pub)
		if err != nil {
			return err
		}
		if a.snat == nil {
			a.snat = map[netip.Prefix]netip.Addr{}
		}
		a.snat[p.Masked()] = addr
		return nil
	})
	fs.Func("block-inbound", "drop new connections from elsewhere towards this `prefix` unless a port forward made them (repeat)", func(v string) error {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return err
		}
		a.block = append(a.block, p.Masked())
		return nil
	})
	fs.Func("port-forward", "`PROTO:PUBLIC:PORT=TO:PORT`: forward a port of a public address inwards (repeat)", func(v string) error {
		f, err := parsePortForward(v)
		if err != nil {
			return err
		}
		a.forwards = append(a.forwards, f)
		return nil
	})
}

func parsePortForward(v string) (portForward, error) {
	l, r, ok := strings.Cut(v, "=")
	proto, pub, ok2 := strings.Cut(l, ":")
	if !ok || !ok2 || (proto != "tcp" && proto != "udp") {
		return portForward{}, fmt.Errorf("%q is not tcp|udp:PUBLIC:PORT=TO:PORT", v)
	}
	public, err := netip.ParseAddrPort(pub)
	if err != nil {
		return portForward{}, fmt.Errorf("port forward %q: %w", v, err)
	}
	to, err := netip.ParseAddrPort(r)
	if err != nil {
		return portForward{}, fmt.Errorf("port forward %q: %w", v, err)
	}
	return portForward{proto: proto, public: public, to: to}, nil
}

func (a *accessFlags) empty() bool {
	return len(a.routes) == 0 && len(a.antispoof) == 0 && len(a.snat) == 0 && len(a.block) == 0 && len(a.forwards) == 0
}

// ifaceIn returns the name of the interface holding an address inside nw.
func ifaceIn(h *netlink.Handle, nw netip.Prefix) (string, error) {
	links, err := h.LinkList()
	if err != nil {
		return "", fmt.Errorf("list interfaces to find the one on %s: %w", nw, err)
	}
	for _, l := range links {
		addrs, err := h.AddrList(l, netlink.FAMILY_V4)
		if err != nil {
			return "", fmt.Errorf("list addresses of %s: %w", l.Attrs().Name, err)
		}
		for _, ad := range addrs {
			if ip, ok := netip.AddrFromSlice(ad.IP.To4()); ok && nw.Contains(ip) {
				return l.Attrs().Name, nil
			}
		}
	}
	return "", fmt.Errorf("no interface of this node has an address in %s", nw)
}

// addRoutes adds the static routes.
func addRoutes(h *netlink.Handle, routes []routeFlag) error {
	for _, r := range routes {
		dst := &net.IPNet{IP: r.dst.Addr().AsSlice(), Mask: net.CIDRMask(r.dst.Bits(), r.dst.Addr().BitLen())}
		if err := h.RouteReplace(&netlink.Route{Dst: dst, Gw: r.via.AsSlice()}); err != nil {
			return fmt.Errorf("add route to %s via %s: %w", r.dst, r.via, err)
		}
	}
	return nil
}

// accessRuleset writes the nftables table for the flags; ifname maps each network of --antispoof
// and --snat to this node's interface on it.
func accessRuleset(a *accessFlags, ifname func(netip.Prefix) (string, error)) (string, error) {
	var b bytes.Buffer
	b.WriteString("table ip chrlab-access {\n")
	// Anti-spoofing runs before conntrack and routing (priority raw), as an access router's
	// ingress filter (BCP 38) does: a packet from the customer with a source the ISP did not give
	// it goes no further, not to the ISP itself either. DHCP's 0.0.0.0 is always allowed.
	b.WriteString("\tchain antispoof {\n\t\ttype filter hook prerouting priority raw; policy accept;\n")
	for _, nw := range sortedPrefixes(a.antispoof) {
		in, err := ifname(nw)
		if err != nil {
			return "", fmt.Errorf("set up anti-spoofing on %s: %w", nw, err)
		}
		allow := []string{"0.0.0.0"}
		for _, p := range a.antispoof[nw] {
			allow = append(allow, p.String())
		}
		fmt.Fprintf(&b, "\t\tiifname %q ip saddr != { %s } counter drop comment \"anti-spoofing: source not given to the customer on %s\"\n", in, strings.Join(allow, ", "), nw)
	}
	b.WriteString("\t}\n")
	b.WriteString("\tchain dstnat {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n")
	for _, f := range a.forwards {
		fmt.Fprintf(&b, "\t\tip daddr %s %s dport %d counter dnat to %s comment \"port forward\"\n", f.public.Addr(), f.proto, f.public.Port(), f.to)
	}
	b.WriteString("\t}\n")
	b.WriteString("\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n")
	if len(a.block) > 0 {
		b.WriteString("\t\tct state established,related accept\n\t\tct status dnat accept\n")
		for _, p := range a.block {
			fmt.Fprintf(&b, "\t\tip daddr %s ip saddr != %s counter drop comment \"nothing from outside gets in\"\n", p, p)
		}
	}
	b.WriteString("\t}\n")
	b.WriteString("\tchain srcnat {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n")
	for _, in := range sortedKeys(a.snat) {
		name, err := ifname(in)
		if err != nil {
			return "", fmt.Errorf("set up source NAT for %s: %w", in, err)
		}
		fmt.Fprintf(&b, "\t\tip saddr %s oifname != %q counter snat to %s comment \"shared public address\"\n", in, name, a.snat[in])
	}
	b.WriteString("\t}\n}\n")
	return b.String(), nil
}

func sortedPrefixes(m map[netip.Prefix][]netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func sortedKeys(m map[netip.Prefix]netip.Addr) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// setUpAccess adds the routes and loads the ruleset. nft runs under the supervisor, whose reaper
// would otherwise take its exit status.
func setUpAccess(sup *supervisor, a *accessFlags) error {
	if a.empty() {
		return nil
	}
	h, err := netlink.NewHandle()
	if err != nil {
		return fmt.Errorf("open netlink to set up the access rules: %w", err)
	}
	defer h.Close()
	if err := addRoutes(h, a.routes); err != nil {
		return err
	}
	if len(a.antispoof) == 0 && len(a.snat) == 0 && len(a.block) == 0 && len(a.forwards) == 0 {
		return nil
	}
	rules, err := accessRuleset(a, func(p netip.Prefix) (string, error) { return ifaceIn(h, p) })
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "labagent-access")
	if err != nil {
		return fmt.Errorf("make a folder for the access rules: %w", err)
	}
	defer os.RemoveAll(dir)
	rulesPath := filepath.Join(dir, "access.nft")
	if err := os.WriteFile(rulesPath, []byte(rules), 0o600); err != nil {
		return fmt.Errorf("write the access rules: %w", err)
	}
	if _, err := sup.run("nft", "-f", rulesPath); err != nil {
		return fmt.Errorf("load the access rules: %w\n%s", err, rules)
	}
	log.Printf("access rules loaded:\n%s", rules)
	return nil
}

// intList is a flag of comma-separated ports, repeatable: --port 12566 --port 80,8080.
type intList []int

func (l *intList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ",")
}

func (l *intList) Set(v string) error {
	ports, err := parsePorts(v)
	if err != nil {
		return err
	}
	*l = append(*l, ports...)
	return nil
}

// setAccessFlag sets one access flag by name, as the command line would.
func setAccessFlag(a *accessFlags, name, value string) error {
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	a.register(fs)
	return fs.Set(name, value)
}
