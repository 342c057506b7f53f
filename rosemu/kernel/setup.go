package kernel

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// Port names one RouterOS ethernet port and the subnet of the network it is
// wired to; Setup finds the interface by that subnet.
type Port struct {
	Name   string       // RouterOS name, e.g. "ether1"
	Subnet netip.Prefix // the Docker network's subnet, e.g. 203.0.113.0/24
}

// SetupOptions says which interfaces the router has and where they live.
// The zero value of each optional field picks the container default.
type SetupOptions struct {
	// Ports in RouterOS order. Docker names interfaces eth0, eth1, ... in an
	// order it does not promise, so each is found by the subnet of the
	// address Docker gave it, never by its name.
	Ports []Port
	// Mgmt is the management network's subnet. The interface with an address
	// in it moves to the MgmtNetns namespace with its addresses, so API and
	// SSH traffic can never mix with lab traffic. Zero: no management move.
	Mgmt netip.Prefix
	// MgmtLink names the management interface instead (the vm guest's
	// NIC, which has no address until the router's configuration gives it
	// one, as on CHR); it moves to MgmtNetns as Mgmt's does.
	MgmtLink string
	// MgmtNetns names the management namespace (/run/netns/<name>);
	// default "mgmt".
	MgmtNetns string
	// Netns names the namespace (/run/netns/<name>) that holds the router's
	// interfaces; empty means the namespace of this process, as in the
	// rosemu container. Tests use it to drive a router namespace.
	Netns string
	// Nft is the nft binary; default "nft" from PATH.
	Nft string
}

// Dataplane is the router's Linux data plane: the namespace that carries
// lab traffic, its nftables table, addresses and routes, and the separate
// management namespace.
type Dataplane struct {
	mu sync.Mutex
	ns netns.NsHandle
	nl *netlink.Handle
	// helpers are the service ports whose helper the kernel has
	// (helpers.go), found at Setup.
	helpers map[string]bool
	// appliedBr is the bridge table (bridgefw.go) last loaded, "" when
	// there is none.
	appliedBr string
	// appliedARP is the arp table of arp=reply-only last loaded, "" when
	// none is (neigh.go).
	appliedARP string
	// pubResp answer ARP for the published addresses Linux does not
	// answer, by kernel link name (pubarp.go).
	pubResp map[string]*pubResponder
	// appliedEgress is the IPsec egress table last loaded (ipsec.go),
	// "" when none is.
	appliedEgress string
	// appliedCT is the connection tracking table loaded (cttimeout.go).
	appliedCT string
	// vrrpParents are the links that carry a virtual router and so
	// answer ARP only for their own addresses (vrrp.go).
	vrrpParents map[string]bool
	// sinks are the TUN links the dataplane holds open itself
	// (TunLink.Sink), by interface name.
	sinks map[string]*os.File
	// vxlans are the settings each vxlan link was made with
	// (VXLAN.key), by interface name.
	vxlans map[string]string
	// logGroup is the NFLOG group rosemu reads the firewall's log from,
	// 0 while nothing listens (fwlog.go).
	logGroup uint16
	mgmtNs   netns.NsHandle // netns.None() when there is no management namespace
	nft      string
	ports    []Port
	applied  string // the ruleset text last loaded by Apply, "" before
	// untracks: a ruleset Apply loaded untracks packets (a raw notrack
	// rule, connection tracking enabled=no, EoIP's GRE): mayUntrack.
	untracks bool
	inactive []Route // routes of the last Apply whose gateway is unreachable
	// installed maps the routeKey of each route of the last Apply the
	// kernel took to the routes it stands for (linkDownRoutes).
	installed map[string][]Route
	last      *State // the state of the last successful Apply
	// counterBase holds the kernel's counts at the last reset-counters,
	// per rule id; what RouterOS shows is the kernel's count minus it.
	counterBase map[string]Counter
	// queueBase holds the queues' counts at their last reset-counters;
	// queueSamples the sampler's last two readings of them, older first,
	// for the rate; queueGen counts the rebuilds of the queues, so that a
	// reading of classes since replaced is not kept; queueReadings counts
	// the readings commands took, which a test checks (queuestats.go).
	queueBase     map[string]QueueStat
	queueSamples  [2]*queueSample
	queueGen      uint64
	queueReadings uint64
	// queueSampler reads the queues' counters while there are queues,
	// nil otherwise; queueSamplerWG waits for its goroutine.
	queueSampler   chan struct{}
	queueSamplerWG sync.WaitGroup
	// queueKick asks the running sampler for a reading now: after a
	// rebuild, whose new classes have no reading yet.
	queueKick chan struct{}
	// gw checks the gateways of routes with check-gateway; nil until a
	// route asks. last is the state of the last Apply, which the checker
	// applies again when a gateway goes down or comes back.
	gw    *gwChecker
	gwCfg GatewayCheck
	// queuesKey is what syncQueues last built (queues.go).
	queuesKey string
	// bursts are the burst controllers of the classes syncQueues built;
	// burstWG waits for their goroutines (burst.go).
	bursts  []*burstCtl
	burstWG sync.WaitGroup
	// rates measures the connections for connection-rate while the
	// loaded ruleset has a rule with it, nil otherwise; ratesWG waits for
	// its goroutine (connrate.go).
	rates   *rateSampler
	ratesWG sync.WaitGroup
	// onConnRate hears of the sampler's failures (OnConnRate).
	onConnRate func(ConnRateFault)
	// rateEvery is the sampler's second: 0 for rateInterval; a test
	// shortens it.
	rateEvery time.Duration
	// ipSettingsKey is the /ip settings syncIPSettings last wrote, with
	// the interfaces then (ipsettings.go).
	ipSettingsKey string
	warnings      []string
	// capacity is the emulated max-entries (capacity.go); 0 when the
	// kernel's own nf_conntrack_max is the table's limit.
	capacity int
	// linkStop ends the link watcher (linkwatch.go); onCarrier hears
	// of each link that starts or stops running.
	linkStop  chan struct{}
	linkDone  chan struct{} // closed when the link watcher has ended
	onCarrier func(link string, running bool)
	// IPv6 (ipv6_apply.go): the links whose IPv6 is on, the addresses
	// Apply added (link-local ones among them are the configuration's,
	// not the link's own), the routes left inactive, and the ruleset
	// text of table ip6 last loaded.
	// portStates are the ports' states syncPorts last set (absent: up,
	// ARP on, as Setup leaves them).
	portStates map[string]PortState
	v6Links    map[string]bool
	added6     map[string]bool
	inactive6  []Route
	applied6   string
}

// Setup prepares the router's namespace: it renames the port interfaces to
// their RouterOS names, removes Docker's addresses and routes from them (the
// RouterOS configuration brings its own), moves the management interface
// into its own namespace, and sets the sysctls a router needs.
//
// IPv4 forwarding must be on. Setup turns it on where /proc/sys is writable;
// in a Docker container /proc/sys is read-only, so the container must be
// started with the sysctl net.ipv4.ip_forward=1, and Setup fails otherwise.
// Other sysctls are best effort; Warnings lists those that could not be set.
func Setup(opts SetupOptions) (*Dataplane, error) {
	d := &Dataplane{mgmtNs: netns.None(), nft: opts.Nft, ports: opts.Ports}
	if d.nft == "" {
		d.nft = "nft"
	}
	var err error
	if opts.Netns != "" {
		d.ns, err = netns.GetFromName(opts.Netns)
	} else {
		d.ns, err = netns.GetFromPath("/proc/self/ns/net")
	}
	if err != nil {
		return nil, fmt.Errorf("open router network namespace %q: %w", opts.Netns, err)
	}
	d.nl, err = netlink.NewHandleAt(d.ns)
	if err != nil {
		d.ns.Close()
		return nil, fmt.Errorf("open netlink in router namespace %q: %w", opts.Netns, err)
	}
	if err := d.setup(opts); err != nil {
		d.Close()
		return nil, err
	}
	d.helpers = d.probeHelpers()
	d.linkStop = make(chan struct{})
	if err := d.watchLinks(d.linkStop); err != nil {
		d.warnings = append(d.warnings, err.Error())
	}
	return d, nil
}

func (d *Dataplane) setup(opts SetupOptions) error {
	if lo, err := d.nl.LinkByName("lo"); err == nil {
		if err := d.nl.LinkSetUp(lo); err != nil {
			return fmt.Errorf("set lo up in router namespace: %w", err)
		}
	}
	links, err := d.nl.LinkList()
	if err != nil {
		return fmt.Errorf("list router interfaces: %w", err)
	}
	found := make([]netlink.Link, len(opts.Ports))
	var mgmt netlink.Link
	var seen []string
	for _, l := range links {
		attrs := l.Attrs()
		if attrs.Name == "lo" {
			continue
		}
		addrs, err := d.nl.AddrList(l, netlink.FAMILY_V4)
		if err != nil {
			return fmt.Errorf("list addresses of interface %s: %w", attrs.Name, err)
		}
		var ips []netip.Addr
		for _, a := range addrs {
			if ip, ok := netip.AddrFromSlice(a.IP.To4()); ok {
				ips = append(ips, ip)
			}
		}
		seen = append(seen, fmt.Sprintf("%s%v", attrs.Name, ips))
		matched := false
		for i, p := range opts.Ports {
			// A link that already has the port's name is that port: Setup
			// ran before (a daemon restart) and removed Docker's address.
			if attrs.Name == p.Name || anyIn(ips, p.Subnet) {
				if found[i] != nil {
					return fmt.Errorf("match port %s (subnet %s): both %s and %s match", p.Name, p.Subnet, found[i].Attrs().Name, attrs.Name)
				}
				found[i], matched = l, true
			}
		}
		if !matched && (opts.Mgmt.IsValid() && anyIn(ips, opts.Mgmt) || opts.MgmtLink != "" && attrs.Name == opts.MgmtLink) {
			mgmt = l
		}
	}
	for i, p := range opts.Ports {
		if found[i] == nil {
			return fmt.Errorf("match port %s: no interface has an address in %s (interfaces: %s)", p.Name, p.Subnet, strings.Join(seen, ", "))
		}
	}
	if opts.MgmtLink != "" && mgmt == nil {
		return fmt.Errorf("match management interface: no interface is called %s (interfaces: %s)", opts.MgmtLink, strings.Join(seen, ", "))
	}
	if opts.Mgmt.IsValid() && mgmt == nil {
		return fmt.Errorf("match management interface: no interface has an address in %s (interfaces: %s)", opts.Mgmt, strings.Join(seen, ", "))
	}
	for i, p := range opts.Ports {
		if err := d.takePort(found[i], p.Name); err != nil {
			return err
		}
	}
	if mgmt != nil {
		name := opts.MgmtNetns
		if name == "" {
			name = "mgmt"
		}
		if err := d.moveMgmt(mgmt, name); err != nil {
			return err
		}
	}
	return d.sysctls()
}

func anyIn(ips []netip.Addr, p netip.Prefix) bool {
	for _, ip := range ips {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// takePort renames link to its RouterOS name, strips what Docker configured
// on it and brings it up.
func (d *Dataplane) takePort(l netlink.Link, name string) error {
	old := l.Attrs().Name
	if old != name {
		// The kernel renames only interfaces that are down.
		if err := d.nl.LinkSetDown(l); err != nil {
			return fmt.Errorf("set interface %s down to rename it to %s: %w", old, name, err)
		}
		if err := d.nl.LinkSetName(l, name); err != nil {
			return fmt.Errorf("rename interface %s to port %s: %w", old, name, err)
		}
	}
	routes, err := d.nl.RouteList(l, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list routes of port %s: %w", name, err)
	}
	for _, r := range routes {
		if r.Protocol == netlink.RouteProtocol(2) { // proto kernel: goes with its address
			continue
		}
		if err := d.nl.RouteDel(&r); err != nil && !isNotFound(err) {
			return fmt.Errorf("remove Docker's route %s from port %s: %w", r, name, err)
		}
	}
	addrs, err := d.nl.AddrList(l, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list addresses of port %s: %w", name, err)
	}
	for _, a := range addrs {
		if err := d.nl.AddrDel(l, &a); err != nil {
			return fmt.Errorf("remove Docker's address %s from port %s: %w", a.IPNet, name, err)
		}
	}
	if err := d.nl.LinkSetUp(l); err != nil {
		return fmt.Errorf("set port %s up: %w", name, err)
	}
	return nil
}

// moveMgmt moves the management interface into the named namespace and
// restores there the addresses and gateway routes it had: moving an
// interface between namespaces drops its configuration.
func (d *Dataplane) moveMgmt(l netlink.Link, nsName string) error {
	name := l.Attrs().Name
	addrs, err := d.nl.AddrList(l, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list addresses of management interface %s: %w", name, err)
	}
	routes, err := d.nl.RouteList(l, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list routes of management interface %s: %w", name, err)
	}
	d.mgmtNs, err = openOrCreateNamed(nsName)
	if err != nil {
		return err
	}
	if err := d.nl.LinkSetNsFd(l, int(d.mgmtNs)); err != nil {
		return fmt.Errorf("move management interface %s to namespace %s: %w", name, nsName, err)
	}
	mnl, err := netlink.NewHandleAt(d.mgmtNs)
	if err != nil {
		return fmt.Errorf("open netlink in management namespace %s: %w", nsName, err)
	}
	defer mnl.Close()
	if lo, err := mnl.LinkByName("lo"); err == nil {
		if err := mnl.LinkSetUp(lo); err != nil {
			return fmt.Errorf("set lo up in management namespace %s: %w", nsName, err)
		}
	}
	ml, err := mnl.LinkByName(name)
	if err != nil {
		return fmt.Errorf("find management interface %s in namespace %s: %w", name, nsName, err)
	}
	for _, a := range addrs {
		a := netlink.Addr{IPNet: a.IPNet, Broadcast: a.Broadcast}
		if err := mnl.AddrAdd(ml, &a); err != nil && !isExist(err) {
			return fmt.Errorf("restore address %s on management interface %s: %w", a.IPNet, name, err)
		}
	}
	if err := mnl.LinkSetUp(ml); err != nil {
		return fmt.Errorf("set management interface %s up: %w", name, err)
	}
	for _, r := range routes {
		if r.Gw == nil {
			continue // connected routes come back with the addresses
		}
		nr := netlink.Route{Dst: r.Dst, Gw: r.Gw, LinkIndex: ml.Attrs().Index, Priority: r.Priority}
		if err := mnl.RouteAdd(&nr); err != nil && !isExist(err) {
			return fmt.Errorf("restore route %s on management interface %s: %w", nr, name, err)
		}
	}
	return nil
}

// routerSysctls are set best effort: RouterOS does no reverse-path
// filtering by default (/ip settings rp-filter=no), and the router's ports
// carry no IPv6 that the configuration did not ask for.
func (d *Dataplane) routerSysctls() [][2]string {
	s := [][2]string{
		{"net.ipv4.conf.all.rp_filter", "0"},
		{"net.ipv4.conf.default.rp_filter", "0"},
		// connection-bytes reads the conntrack byte counters, which the
		// kernel keeps only with accounting on (RouterOS always counts).
		{"net.netfilter.nf_conntrack_acct", "1"},
		// A route through a port whose cable is out is inactive on
		// RouterOS, and the next best route takes its traffic (distance
		// failover). Linux keeps using such routes unless told to ignore
		// them. The kernel ORs "all" with each interface's own setting,
		// so one switch covers the ports and the bridges and VLANs made
		// later.
		{"net.ipv4.conf.all.ignore_routes_with_linkdown", "1"},
	}
	for _, p := range d.ports {
		s = append(s,
			[2]string{"net.ipv4.conf." + p.Name + ".rp_filter", "0"},
			[2]string{"net.ipv6.conf." + p.Name + ".disable_ipv6", "1"})
	}
	return s
}

func (d *Dataplane) sysctls() error {
	const fwd = "net.ipv4.ip_forward"
	if v, err := readSysctl(d.ns, fwd); err != nil || v != "1" {
		if werr := writeSysctl(d.ns, fwd, "1"); werr != nil {
			return fmt.Errorf("enable %s in the router namespace: %w (start the container with the sysctl %s=1)", fwd, werr, fwd)
		}
	}
	for _, kv := range d.routerSysctls() {
		if v, err := readSysctl(d.ns, kv[0]); err == nil && v == kv[1] {
			continue
		}
		if err := writeSysctl(d.ns, kv[0], kv[1]); err != nil {
			d.warnings = append(d.warnings, fmt.Sprintf("set %s=%s: %v", kv[0], kv[1], err))
		}
	}
	return nil
}

// Warnings lists the best-effort settings Setup could not apply.
func (d *Dataplane) Warnings() []string {
	return append([]string(nil), d.warnings...)
}

// Listen opens a listening socket inside the management namespace, for the
// API and SSH servers.
func (d *Dataplane) Listen(network, addr string) (net.Listener, error) {
	if !d.mgmtNs.IsOpen() {
		return nil, fmt.Errorf("listen on %s %s: no management namespace (SetupOptions.Mgmt was not set)", network, addr)
	}
	var l net.Listener
	err := inNetns(d.mgmtNs, func() error {
		var err error
		l, err = net.Listen(network, addr)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listen on %s %s in the management namespace: %w", network, addr, err)
	}
	return l, nil
}

// Close releases the namespace and netlink handles. The namespaces and the
// kernel state stay as they are.
func (d *Dataplane) Close() error {
	d.stopGatewayChecks()
	d.closeSinks(nil)
	// The burst controllers use d.nl, and the connection-rate sampler
	// d.ns: they end before those close.
	d.stopBursts()
	d.stopRates()
	d.stopQueueSampler()
	d.stopPubResponders()
	if d.linkStop != nil {
		close(d.linkStop)
		d.linkStop = nil
		// The watcher may be purging connections in the namespace: it
		// must be done with d.ns before the handle closes. Stopping the
		// subscription closes its socket, so it ends at once; the bound
		// only keeps a stuck netlink read from holding Close.
		select {
		case <-d.linkDone:
		case <-time.After(2 * time.Second):
		}
	}
	var errs []error
	if d.nl != nil {
		d.nl.Close()
	}
	if d.ns.IsOpen() {
		errs = append(errs, d.ns.Close())
	}
	if d.mgmtNs.IsOpen() {
		errs = append(errs, d.mgmtNs.Close())
	}
	return errors.Join(errs...)
}
