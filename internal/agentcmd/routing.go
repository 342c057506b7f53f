package agentcmd

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/vishvananda/netlink"
)

// A node's dynamic routing (a lab node's ospf: and bgp: in docs/labs.md):
// BIRD 2 runs OSPFv2 on the node's interfaces in the named lab networks
// and/or a BGP session with the router, and announces the node's own
// networks, so that the router under test has a neighbor to learn routes
// from, and the node learns the router's networks back (its replies
// follow them, it has no default route of its own).

type routingFlags struct {
	networks, announce prefixList
	area, routerID     string
	typ                string
	hello, dead        time.Duration
	bgpAS, bgpPeerAS   uint
	bgpPeer            string
}

// prefixList is a repeatable IPv4 prefix flag.
type prefixList []netip.Prefix

func (l *prefixList) String() string { return fmt.Sprint(*l) }

func (l *prefixList) Set(v string) error {
	for s := range strings.SplitSeq(v, ",") {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil || !p.Addr().Is4() {
			return fmt.Errorf("want an IPv4 prefix such as 10.77.0.0/24, got %q", s)
		}
		*l = append(*l, p.Masked())
	}
	return nil
}

func (f *routingFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.announce, "announce", "a `prefix` the node has and announces by OSPF and BGP; its first address is the node's, on its loopback (repeat)")
	fs.StringVar(&f.routerID, "router-id", "", "the OSPF and BGP router `id` (default: the node's first lab address)")
	fs.Var(&f.networks, "ospf-network", "ospf: run OSPF on the interface with an address in this lab `prefix` (repeat; enables OSPF)")
	fs.StringVar(&f.area, "ospf-area", "0.0.0.0", "ospf: the area `id`")
	fs.StringVar(&f.typ, "ospf-type", "broadcast", "ospf: the network `type` of its interfaces: broadcast or ptp")
	fs.DurationVar(&f.hello, "ospf-hello", 10*time.Second, "ospf: the hello `interval`")
	fs.DurationVar(&f.dead, "ospf-dead", 40*time.Second, "ospf: the dead `interval`")
	fs.UintVar(&f.bgpAS, "bgp-as", 0, "bgp: the node's `AS` (enables BGP)")
	fs.StringVar(&f.bgpPeer, "bgp-neighbor", "", "bgp: the router's `address` to open the session with")
	fs.UintVar(&f.bgpPeerAS, "bgp-neighbor-as", 0, "bgp: the router's `AS`")
}

// check validates the flags; on is false when neither OSPF nor BGP is
// asked for.
func (f *routingFlags) check() (on bool, err error) {
	ospf, bgp := len(f.networks) > 0, f.bgpAS != 0
	if !ospf && !bgp {
		if len(f.announce) > 0 || f.routerID != "" || f.bgpPeer != "" || f.bgpPeerAS != 0 {
			return false, errors.New("--announce, --router-id or --bgp-* flags without --ospf-network or --bgp-as")
		}
		return false, nil
	}
	if f.routerID != "" {
		if a, err := netip.ParseAddr(f.routerID); err != nil || !a.Is4() {
			return false, fmt.Errorf("--router-id %q is not an IPv4 address", f.routerID)
		}
	}
	if ospf {
		if a, err := netip.ParseAddr(f.area); err != nil || !a.Is4() {
			return false, fmt.Errorf("--ospf-area %q is not an area id such as 0.0.0.0", f.area)
		}
		if f.typ != "broadcast" && f.typ != "ptp" {
			return false, fmt.Errorf("--ospf-type %q: want broadcast or ptp", f.typ)
		}
		if f.hello < time.Second || f.dead <= f.hello {
			return false, fmt.Errorf("--ospf-hello %s, --ospf-dead %s: want whole seconds, the dead interval longer than the hello", f.hello, f.dead)
		}
	}
	if bgp {
		if a, err := netip.ParseAddr(f.bgpPeer); err != nil || !a.Is4() {
			return false, fmt.Errorf("--bgp-neighbor %q is not an IPv4 address", f.bgpPeer)
		}
		if f.bgpAS > 1<<32-1 || f.bgpPeerAS == 0 || f.bgpPeerAS > 1<<32-1 {
			return false, fmt.Errorf("--bgp-as %d, --bgp-neighbor-as %d: want AS numbers from 1 to 4294967295", f.bgpAS, f.bgpPeerAS)
		}
	}
	return true, nil
}

// birdConf is the node's BIRD configuration.
func (f *routingFlags) birdConf(routerID netip.Addr) string {
	var b strings.Builder
	fmt.Fprintf(&b, "log stderr { info, remote, warning, error, auth, fatal, bug };\nrouter id %s;\n", routerID)
	b.WriteString("protocol device { scan time 2; }\n")
	b.WriteString("protocol direct { ipv4; interface \"*\"; }\n")
	b.WriteString("protocol kernel { ipv4 { import none; export where source ~ [ RTS_OSPF, RTS_OSPF_IA, RTS_OSPF_EXT1, RTS_OSPF_EXT2, RTS_BGP ]; }; }\n")
	export := "none"
	if len(f.announce) > 0 {
		b.WriteString("protocol static announce {\n\tipv4;\n")
		for _, p := range f.announce {
			fmt.Fprintf(&b, "\troute %s unreachable;\n", p)
		}
		b.WriteString("}\n")
		export = `where proto = "announce"`
	}
	if len(f.networks) > 0 {
		fmt.Fprintf(&b, "protocol ospf v2 lab {\n\tipv4 { import all; export %s; };\n\tarea %s {\n", export, f.area)
		for _, n := range f.networks {
			fmt.Fprintf(&b, "\t\tinterface %s { type %s; hello %d; dead %d; };\n", n, f.typ, int(f.hello/time.Second), int(f.dead/time.Second))
		}
		b.WriteString("\t};\n}\n")
	}
	if f.bgpAS != 0 {
		// Quick retries, so that a session the router's configuration
		// opens later comes up within seconds.
		fmt.Fprintf(&b, "protocol bgp lab_bgp {\n\tlocal as %d;\n\tneighbor %s as %d;\n\tconnect retry time 2;\n\terror wait time 2, 10;\n", f.bgpAS, f.bgpPeer, f.bgpPeerAS)
		fmt.Fprintf(&b, "\tipv4 { import all; export %s; };\n}\n", export)
	}
	return b.String()
}

// startRouting puts the announced networks' first addresses on the
// loopback and keeps BIRD running until stop.
func startRouting(f *routingFlags, firstAddr netip.Addr, sup *supervisor, stop <-chan struct{}, logf func(string, ...any)) error {
	if _, err := exec.LookPath("bird"); err != nil {
		return fmt.Errorf("routing: %w (the base image's bird2 package)", err)
	}
	id := firstAddr
	if f.routerID != "" {
		id = netip.MustParseAddr(f.routerID)
	}
	if !id.IsValid() {
		return errors.New("routing: no router id: set --router-id or give the node a lab address")
	}
	var local localFlags
	for _, p := range f.announce {
		local = append(local, p.Addr().Next())
	}
	if len(local) > 0 {
		if err := withNetlink("routing: announced addresses", func(h *netlink.Handle) error { return setLocal(h, local) }); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "labagent-bird-")
	if err != nil {
		return err
	}
	conf := filepath.Join(dir, "bird.conf")
	if err := os.WriteFile(conf, []byte(f.birdConf(id)), 0o600); err != nil {
		return err
	}
	// bird -p under the supervisor (its reaper would steal the status
	// exec's own wait expects).
	if _, err := sup.run("bird", "-p", "-c", conf); err != nil {
		return fmt.Errorf("routing: BIRD refuses its configuration: %w", err)
	}
	go sup.keep("bird", func() *exec.Cmd {
		cmd := exec.Command("bird", "-f", "-c", conf, "-s", filepath.Join(dir, "bird.ctl"))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		return cmd
	}, stop)
	logf("routing: BIRD with OSPF on %v (area %s), BGP AS %d to %s, router id %s, announcing %v", f.networks, f.area, f.bgpAS, f.bgpPeer, id, f.announce)
	return nil
}
