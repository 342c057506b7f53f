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

// A node's OSPF (a lab node's ospf: in docs/labs.md): BIRD 2 runs OSPFv2
// on the node's interfaces in the named lab networks and announces the
// node's stub networks, so that the router under test has a neighbor to
// form an adjacency with and routes to learn, and the node learns the
// router's networks back (its replies follow them, it has no default
// route of its own).

type ospfFlags struct {
	networks, announce prefixList
	area, routerID     string
	typ                string
	hello, dead        time.Duration
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

func (f *ospfFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.networks, "ospf-network", "ospf: run OSPF on the interface with an address in this lab `prefix` (repeat; enables OSPF)")
	fs.Var(&f.announce, "ospf-announce", "ospf: a stub `prefix` the node has and announces; its first address is the node's, on its loopback (repeat)")
	fs.StringVar(&f.area, "ospf-area", "0.0.0.0", "ospf: the area `id`")
	fs.StringVar(&f.routerID, "ospf-router-id", "", "ospf: the router `id` (default: the node's first lab address)")
	fs.StringVar(&f.typ, "ospf-type", "broadcast", "ospf: the network `type` of its interfaces: broadcast or ptp")
	fs.DurationVar(&f.hello, "ospf-hello", 10*time.Second, "ospf: the hello `interval`")
	fs.DurationVar(&f.dead, "ospf-dead", 40*time.Second, "ospf: the dead `interval`")
}

// check validates the flags; on is false when no --ospf-network is set.
func (f *ospfFlags) check() (on bool, err error) {
	if len(f.networks) == 0 {
		if len(f.announce) > 0 || f.routerID != "" {
			return false, errors.New("--ospf-* flags without --ospf-network")
		}
		return false, nil
	}
	if a, err := netip.ParseAddr(f.area); err != nil || !a.Is4() {
		return false, fmt.Errorf("--ospf-area %q is not an area id such as 0.0.0.0", f.area)
	}
	if f.routerID != "" {
		if a, err := netip.ParseAddr(f.routerID); err != nil || !a.Is4() {
			return false, fmt.Errorf("--ospf-router-id %q is not an IPv4 address", f.routerID)
		}
	}
	if f.typ != "broadcast" && f.typ != "ptp" {
		return false, fmt.Errorf("--ospf-type %q: want broadcast or ptp", f.typ)
	}
	if f.hello < time.Second || f.dead <= f.hello {
		return false, fmt.Errorf("--ospf-hello %s, --ospf-dead %s: want whole seconds, the dead interval longer than the hello", f.hello, f.dead)
	}
	return true, nil
}

// birdConf is the node's BIRD configuration.
func (f *ospfFlags) birdConf(routerID netip.Addr) string {
	var b strings.Builder
	fmt.Fprintf(&b, "log stderr { info, remote, warning, error, auth, fatal, bug };\nrouter id %s;\n", routerID)
	b.WriteString("protocol device { scan time 2; }\n")
	b.WriteString("protocol direct { ipv4; interface \"*\"; }\n")
	b.WriteString("protocol kernel { ipv4 { import none; export where source ~ [ RTS_OSPF, RTS_OSPF_IA, RTS_OSPF_EXT1, RTS_OSPF_EXT2 ]; }; }\n")
	export := "none"
	if len(f.announce) > 0 {
		b.WriteString("protocol static announce {\n\tipv4;\n")
		for _, p := range f.announce {
			fmt.Fprintf(&b, "\troute %s unreachable;\n", p)
		}
		b.WriteString("}\n")
		export = `where proto = "announce"`
	}
	fmt.Fprintf(&b, "protocol ospf v2 lab {\n\tipv4 { import all; export %s; };\n\tarea %s {\n", export, f.area)
	for _, n := range f.networks {
		fmt.Fprintf(&b, "\t\tinterface %s { type %s; hello %d; dead %d; };\n", n, f.typ, int(f.hello/time.Second), int(f.dead/time.Second))
	}
	b.WriteString("\t};\n}\n")
	return b.String()
}

// startOSPF puts the announced networks' first addresses on the loopback
// and keeps BIRD running until stop.
func startOSPF(f *ospfFlags, firstAddr netip.Addr, sup *supervisor, stop <-chan struct{}, logf func(string, ...any)) error {
	if _, err := exec.LookPath("bird"); err != nil {
		return fmt.Errorf("ospf: %w (the base image's bird2 package)", err)
	}
	id := firstAddr
	if f.routerID != "" {
		id = netip.MustParseAddr(f.routerID)
	}
	if !id.IsValid() {
		return errors.New("ospf: no router id: set --ospf-router-id or give the node a lab address")
	}
	var local localFlags
	for _, p := range f.announce {
		local = append(local, p.Addr().Next())
	}
	if len(local) > 0 {
		if err := withNetlink("ospf: announced addresses", func(h *netlink.Handle) error { return setLocal(h, local) }); err != nil {
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
	if out, err := exec.Command("bird", "-p", "-c", conf).CombinedOutput(); err != nil {
		return fmt.Errorf("ospf: BIRD refuses its configuration: %v: %s", err, out)
	}
	go sup.keep("bird (ospf)", func() *exec.Cmd {
		cmd := exec.Command("bird", "-f", "-c", conf, "-s", filepath.Join(dir, "bird.ctl"))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		return cmd
	}, stop)
	logf("ospf: BIRD in area %s on %v, router id %s, announcing %v", f.area, f.networks, id, f.announce)
	return nil
}
