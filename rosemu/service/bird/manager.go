// Package ospf is rosemu's OSPF (/routing ospf of RouterOS 7): BIRD 2
// runs in the router's namespace with a configuration rendered from the
// engine's (Render), forms adjacencies with the lab's routers, announces
// the router's networks and installs the routes it learns in the main
// table. The manager starts BIRD when the first instance appears,
// reconfigures it on every change, stops it when the last goes, and
// reports the neighbors and the installed routes back to the engine
// (/routing ospf neighbor, /ip route's o routes) once a second.
package bird

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// rtprotBIRD is the kernel's route protocol number of BIRD's routes
// (rtnetlink's RTPROT_BIRD).
const rtprotBIRD = 12

// Sink receives what the service sees; config.Router.SetRoutingState.
type Sink func(config.RoutingState) error

// Manager runs BIRD for the router's OSPF and BGP. Hand it to
// config.Options.Routing,
// set Sink, and call Run.
type Manager struct {
	Log  *slog.Logger
	Sink Sink
	// Dir holds bird.conf and the control socket.
	Dir string
	// Bird and Birdc are the programs ("bird", "birdc" on the PATH when
	// empty).
	Bird, Birdc string
	// Poll is how often neighbors and routes are read (1 s when zero).
	Poll time.Duration

	mu   sync.Mutex
	want config.RoutingConfig
	bell doorbell.Bell
}

// New returns a manager that keeps its files in dir.
func New(log *slog.Logger, dir string) *Manager { return &Manager{Log: log, Dir: dir} }

// Update implements config.RoutingService without blocking.
func (m *Manager) Update(cfg config.RoutingConfig) {
	m.mu.Lock()
	m.want = cfg
	m.mu.Unlock()
	m.bell.Ring()
}

func (m *Manager) bird() string  { return orDefault(m.Bird, "bird") }
func (m *Manager) birdc() string { return orDefault(m.Birdc, "birdc") }
func (m *Manager) conf() string  { return filepath.Join(m.Dir, "bird.conf") }
func (m *Manager) sock() string  { return filepath.Join(m.Dir, "bird.ctl") }

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Run keeps BIRD at the wanted configuration until ctx ends, then stops
// it (its kernel routes go with it).
func (m *Manager) Run(ctx context.Context) {
	var proc *exec.Cmd
	var exited chan error
	var applied config.RoutingConfig
	var last config.RoutingState
	report := func(s config.RoutingState) {
		if reflect.DeepEqual(s, last) || m.Sink == nil {
			return
		}
		last = s
		if err := m.Sink(s); err != nil {
			m.Log.Warn("routing: report state", "err", err)
		}
	}
	stop := func() {
		if proc == nil {
			return
		}
		_ = proc.Process.Signal(unix.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = proc.Process.Kill()
			<-exited
		}
		proc, exited = nil, nil
		// BIRD removes its routes on a clean stop; a killed one may
		// leave some behind.
		flushRoutes()
		report(config.RoutingState{})
	}
	defer stop()
	poll := m.Poll
	if poll <= 0 {
		poll = time.Second
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	first := true
	var retry time.Time // a failed start is tried again from then on
	// full holds the OSPF neighbors Full at the last reading; until
	// watch, after one became Full, a Full neighbor that BIRD's routing
	// calculation left unreachable has it calculate again, at most once
	// every recalcEvery.
	var full map[string]bool
	var watch, nextRecalc time.Time
	for {
		m.mu.Lock()
		want := m.want
		m.mu.Unlock()
		if (first || !reflect.DeepEqual(want, applied)) && !time.Now().Before(retry) {
			first = false
			applied = want
			switch {
			case want.Empty():
				stop()
			case proc == nil:
				var err error
				proc, exited, err = m.start(ctx, want)
				if err != nil {
					m.Log.Error("routing: start BIRD; trying again in 10 s", "err", err)
					first, retry = true, time.Now().Add(10*time.Second)
				}
			default:
				if err := m.reconfigure(ctx, want); err != nil {
					m.Log.Error("routing: reconfigure BIRD", "err", err)
				}
			}
		}
		if proc == nil {
			full = nil
		} else {
			s, err := m.read(ctx, applied)
			if err != nil {
				m.Log.Debug("routing: read state", "err", err)
			} else {
				cur := fullNeighbors(s.Neighbors)
				now := time.Now()
				if enteredFull(full, cur) {
					watch, nextRecalc = now.Add(recalcWatch), now
				}
				full = cur
				if now.Before(watch) && !now.Before(nextRecalc) && m.unreachableFull(ctx, applied, s.Neighbors) {
					nextRecalc = now.Add(recalcEvery)
					if err := m.recalculate(ctx); err != nil {
						m.Log.Warn("routing: recalculate OSPF routes", "err", err)
					}
				}
				report(s)
			}
		}
		select {
		case <-ctx.Done():
			return
		case err := <-exited:
			m.Log.Error("routing: BIRD exited", "err", err)
			proc, exited = nil, nil
			flushRoutes()
			report(config.RoutingState{})
			first = true // start it again at the next wake-up
			applied = config.RoutingConfig{}
			select {
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
			}
		case <-m.bell.C():
		case <-tick.C:
		}
	}
}

// start writes the configuration, checks it and starts BIRD in the
// foreground, waiting until its control socket answers.
func (m *Manager) start(ctx context.Context, cfg config.RoutingConfig) (*exec.Cmd, chan error, error) {
	if err := m.write(ctx, cfg); err != nil {
		return nil, nil, err
	}
	_ = os.Remove(m.sock())
	cmd := exec.Command(m.bird(), "-f", "-c", m.conf(), "-s", m.sock())
	cmd.Stdout = logWriter(m.Log)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for i := 0; i < 100; i++ {
		if _, err := m.ctl(ctx, "show", "status"); err == nil {
			m.Log.Info("routing: BIRD started", "ospf", len(cfg.OSPF), "bgp", len(cfg.BGP))
			return cmd, exited, nil
		}
		select {
		case err := <-exited:
			return nil, nil, fmt.Errorf("BIRD exited at start: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	_ = cmd.Process.Kill()
	<-exited
	return nil, nil, errors.New("BIRD's control socket did not answer within 5 s")
}

// reconfigure writes the configuration and has BIRD take it; BIRD keeps
// the adjacencies of what did not change.
func (m *Manager) reconfigure(ctx context.Context, cfg config.RoutingConfig) error {
	if err := m.write(ctx, cfg); err != nil {
		return err
	}
	return m.configure(ctx)
}

// recalcWatch is how long after a neighbor becomes Full the manager
// checks that BIRD's routing calculation reached it; recalcEvery how
// often it has BIRD calculate again meanwhile. MinLSInterval (5 s) bounds
// how long BIRD holds back a router-LSA.
const (
	recalcWatch = 30 * time.Second
	recalcEvery = 3 * time.Second
)

// recalculate has BIRD calculate its OSPF routes again, by a configure of
// the configuration it runs (ospf_reconfigure schedules the calculation).
// BIRD 2.0.12 calculates them when an LSA changes, not when a neighbor
// becomes Full: a template disabled within MinLSInterval (5 s) of the
// router-LSA's last origination and enabled again before the held-back
// LSA went out left the LSA database as it was once the adjacency was
// back, and the last calculation, made before it was, had found no next
// hop to the neighbor ("Cannot find next hop for LSA"): the routes through
// it never came back (f68 D4). A calculation at the moment the neighbor
// shows Full can come too early as well (in 1 lab run of 4 it still found
// no next hop; one some seconds later did), hence the watch.
func (m *Manager) recalculate(ctx context.Context) error { return m.configure(ctx) }

// unreachableFull reports whether BIRD's last routing calculation left a
// Full neighbor's router unreachable (`show ospf state all`).
func (m *Manager) unreachableFull(ctx context.Context, cfg config.RoutingConfig, ns []config.OSPFNeighbor) bool {
	for i, in := range cfg.OSPF {
		var want []netip.Addr
		for _, n := range ns {
			if n.Instance == in.Name && n.State == "Full" {
				want = append(want, n.RouterID)
			}
		}
		if len(want) == 0 {
			continue
		}
		out, err := m.ctl(ctx, "show", "ospf", "state", "all", ProtoName(i))
		if err != nil {
			m.Log.Debug("routing: read OSPF state", "err", err)
			continue
		}
		unreachable := ParseUnreachable(out)
		for _, id := range want {
			if unreachable[id] {
				return true
			}
		}
	}
	return false
}

// ParseUnreachable reads `birdc show ospf state all` into the routers it
// shows unreachable:
//
//	router 10.255.255.1
//		unreachable
func ParseUnreachable(out string) map[netip.Addr]bool {
	got := map[netip.Addr]bool{}
	var router netip.Addr
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "router" && !strings.HasPrefix(sc.Text(), "\t\t"):
			router, _ = netip.ParseAddr(f[1])
		case len(f) == 1 && f[0] == "unreachable" && router.IsValid():
			got[router] = true
		}
	}
	return got
}

// configure has BIRD read bird.conf again.
func (m *Manager) configure(ctx context.Context) error {
	out, err := m.ctl(ctx, "configure")
	if err != nil {
		return err
	}
	if !strings.Contains(out, "Reconfigured") && !strings.Contains(out, "Reconfiguration in progress") {
		return fmt.Errorf("birdc configure: %s", strings.TrimSpace(out))
	}
	return nil
}

// fullNeighbors names the OSPF neighbors in state Full, by instance,
// interface and router ID.
func fullNeighbors(ns []config.OSPFNeighbor) map[string]bool {
	out := map[string]bool{}
	for _, n := range ns {
		if n.State == "Full" {
			out[n.Instance+"\x00"+n.Interface+"\x00"+n.RouterID.String()] = true
		}
	}
	return out
}

// enteredFull reports whether a neighbor of cur was not Full in before.
func enteredFull(before, cur map[string]bool) bool {
	for k := range cur {
		if !before[k] {
			return true
		}
	}
	return false
}

// write renders cfg to bird.conf after BIRD has parsed it (bird -p): a
// configuration BIRD refuses is never left for it to read.
func (m *Manager) write(ctx context.Context, cfg config.RoutingConfig) error {
	if err := os.MkdirAll(m.Dir, 0o700); err != nil {
		return err
	}
	tmp := m.conf() + ".new"
	if err := os.WriteFile(tmp, []byte(Render(cfg)), 0o600); err != nil {
		return err
	}
	if err := CheckFile(ctx, m.bird(), tmp); err != nil {
		return fmt.Errorf("the rendered configuration: %w", err)
	}
	return os.Rename(tmp, m.conf())
}

// CheckFile has BIRD (the program bin, "bird" when empty) parse the
// configuration at path without running it (bird -p).
func CheckFile(ctx context.Context, bin, path string) error {
	if out, err := exec.CommandContext(ctx, orDefault(bin, "bird"), "-p", "-c", path).CombinedOutput(); err != nil {
		return fmt.Errorf("BIRD refuses it: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Check is CheckFile for configuration text (tests, a lab node's).
func Check(ctx context.Context, conf string) error {
	dir, err := os.MkdirTemp("", "bird-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "bird.conf")
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		return err
	}
	return CheckFile(ctx, "", p)
}

// ctl runs one birdc command.
func (m *Manager) ctl(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, m.birdc(), append([]string{"-s", m.sock()}, args...)...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("birdc %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// read gathers the OSPF neighbors of every instance, the BGP sessions
// and the routes BIRD installed.
func (m *Manager) read(ctx context.Context, cfg config.RoutingConfig) (config.RoutingState, error) {
	var s config.RoutingState
	for i, in := range cfg.OSPF {
		out, err := m.ctl(ctx, "show", "ospf", "neighbors", ProtoName(i))
		if err != nil {
			return s, err
		}
		areaOf := map[string]string{}
		for _, a := range in.Areas {
			for _, ifc := range a.Interfaces {
				areaOf[ifc.Link] = a.Name
			}
		}
		for _, n := range ParseNeighbors(out) {
			n.Instance, n.Area = in.Name, areaOf[n.Interface]
			s.Neighbors = append(s.Neighbors, n)
		}
	}
	if len(cfg.BGP) > 0 {
		out, err := m.ctl(ctx, "show", "protocols")
		if err != nil {
			return s, err
		}
		states := ParseProtocols(out)
		for i, p := range cfg.BGP {
			role := "ebgp"
			if p.IBGP() {
				role = "ibgp"
			}
			s.Sessions = append(s.Sessions, config.BGPSession{Name: p.Name, Remote: p.Remote, RemoteAS: p.RemoteAS, Role: role,
				State: orDefault(states[BGPProtoName(i, p.IBGP())], "idle")})
		}
	}
	routes, err := kernelRoutes()
	if err != nil {
		return s, err
	}
	if dup := duplicated(routes); len(dup) > 0 {
		// Ask BIRD which metric it exports now, and delete only the
		// others: deleting every route of the prefix and then
		// "reload out" (which BIRD only queues) left the prefix out of
		// the next read, and without a route until BIRD re-exported it.
		reread := func() (map[netip.Prefix]int, error) {
			out, err := m.ctl(ctx, "show", "route", "export", "rosemu_kernel", "all")
			if err != nil {
				return nil, err
			}
			return ParseExportMetrics(out), nil
		}
		before, err := reread()
		if err != nil {
			return s, err
		}
		// BIRD may re-export between this read and dropStale's route
		// listing (review44 finding 8): dropStale reads the export
		// again after listing and keeps every route either read names.
		if dropStale(&netlink.Handle{}, dup, before, reread) {
			if routes, err = kernelRoutes(); err != nil {
				return s, err
			}
		}
	}
	s.Routes = routes
	return s, nil
}

// duplicated lists the prefixes with more than one BIRD kernel route.
// rosemu's BIRD installs one route per prefix (ECMP is one route of
// several hops), but BIRD (2.0.12) replaces a route in place: when a
// filter change ("set distance") moves its metric, the route at the old
// metric stays behind, and would win over the new one and the static
// routes between them.
func duplicated(routes []config.DynRoute) map[netip.Prefix]bool {
	n := map[netip.Prefix]int{}
	for _, r := range routes {
		n[r.Dst]++
	}
	dup := map[netip.Prefix]bool{}
	for p, c := range n {
		if c > 1 {
			dup[p] = true
		}
	}
	return dup
}

// dropStale deletes, through h, the BIRD kernel routes of the duplicated
// prefixes whose metric is not the one BIRD exports for the prefix, and
// says whether it deleted any. before is the export read before the
// routes are listed; reread reads it again after the listing. A route
// whose metric either read names stays: BIRD may have re-exported in
// between, and the route listed at the newer metric is then the current
// one (deleting it would leave the stale route as the prefix's only
// route, which is never cleaned). A route both reads agree is stale
// goes; a left-over duplicate is cleaned at the next read. The exported
// route stays in place, so no read sees the prefix gone. A prefix BIRD
// exports in neither read has no current route: all of its routes go.
// If the second read fails, nothing is deleted.
func dropStale(h *netlink.Handle, dup map[netip.Prefix]bool, before map[netip.Prefix]int, reread func() (map[netip.Prefix]int, error)) bool {
	rs, err := h.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: unix.RT_TABLE_MAIN, Protocol: rtprotBIRD},
		netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
	if err != nil {
		return false
	}
	after, err := reread()
	if err != nil {
		return false
	}
	dropped := false
	for i, r := range rs {
		dst := netip.MustParsePrefix("0.0.0.0/0")
		if r.Dst != nil {
			ones, _ := r.Dst.Mask.Size()
			a, _ := netip.AddrFromSlice(r.Dst.IP.To4())
			dst = netip.PrefixFrom(a, ones)
		}
		if !dup[dst] {
			continue
		}
		if m, ok := before[dst]; ok && m == r.Priority {
			continue
		}
		if m, ok := after[dst]; ok && m == r.Priority {
			continue
		}
		if h.RouteDel(&rs[i]) == nil {
			dropped = true
		}
	}
	return dropped
}

// ParseExportMetrics reads `birdc show route export rosemu_kernel all`
// into the kernel metric BIRD exports for each prefix:
//
//	10.77.0.0/24         unicast [ros_ebgp0 12:02:26.621] * (100) [AS65002i]
//		via 10.1.0.2 on ether1
//		Type: BGP univ
//		Kernel.metric: 150
//
// A route without a Kernel.metric line has metric 0 (the protocol's
// "metric 0").
func ParseExportMetrics(out string) map[netip.Prefix]int {
	m := map[netip.Prefix]int{}
	var cur netip.Prefix
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			if p, err := netip.ParsePrefix(f[0]); err == nil {
				cur = p.Masked()
				if _, ok := m[cur]; !ok {
					m[cur] = 0
				}
			} else {
				cur = netip.Prefix{}
			}
			continue
		}
		if cur.IsValid() && len(f) == 2 && f[0] == "Kernel.metric:" {
			if v, err := strconv.Atoi(f[1]); err == nil {
				m[cur] = v
			}
		}
	}
	return m
}

// ParseProtocols reads `birdc show protocols` into each BGP protocol's
// session state, lower case as RouterOS writes it (established, active,
// connect, idle, opensent, openconfirm):
//
//	Name       Proto      Table      State  Since         Info
//	ros_ebgp0  BGP        ---        up     23:50:01.123  Established
func ParseProtocols(out string) map[string]string {
	states := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 || f[1] != "BGP" {
			continue
		}
		state := "idle"
		if len(f) >= 6 {
			state = strings.ToLower(f[5])
		}
		states[f[0]] = state
	}
	return states
}

// ParseNeighbors reads `birdc show ospf neighbors`:
//
//	Router ID   	Pri	     State     	DTime	Interface  Router IP
//	10.255.0.2	  1	Full/DR     	34.185	ether3     10.255.0.2
func ParseNeighbors(out string) []config.OSPFNeighbor {
	var ns []config.OSPFNeighbor
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 6 {
			continue
		}
		id, err1 := netip.ParseAddr(f[0])
		addr, err2 := netip.ParseAddr(f[5])
		if err1 != nil || err2 != nil {
			continue
		}
		state, role, _ := strings.Cut(f[2], "/")
		n := config.OSPFNeighbor{RouterID: id, Address: addr, Interface: f[4], State: state}
		fmt.Sscan(f[1], &n.Priority)
		switch role {
		case "DR":
			n.DR = id.String()
		case "BDR":
			n.BDR = id.String()
		}
		ns = append(ns, n)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].RouterID.Less(ns[j].RouterID) })
	return ns
}

// kernelRoutes are the IPv4 routes BIRD installed in the main table; the
// metric is RouterOS's distance, the realm tells OSPF's from BGP's.
func kernelRoutes() ([]config.DynRoute, error) {
	rs, err := netlink.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: unix.RT_TABLE_MAIN, Protocol: rtprotBIRD},
		netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
	if err != nil {
		return nil, err
	}
	var out []config.DynRoute
	for _, r := range rs {
		dst := netip.MustParsePrefix("0.0.0.0/0")
		if r.Dst != nil {
			ones, _ := r.Dst.Mask.Size()
			a, _ := netip.AddrFromSlice(r.Dst.IP.To4())
			dst = netip.PrefixFrom(a, ones)
		}
		or := config.DynRoute{Dst: dst, Proto: "bgp", Distance: r.Priority}
		// Realm 1 is OSPF's (Render's kernel export); a route of a BIRD
		// from before the realm has none, and its metric says 110.
		if r.Realm == 1 || (r.Realm == 0 && r.Priority == 110) {
			or.Proto = "ospf"
		}
		hop := func(gw []byte, link int) {
			if a, ok := netip.AddrFromSlice(gw); ok && len(gw) > 0 {
				or.Gateways = append(or.Gateways, a.Unmap())
			}
			if or.Link == "" {
				if l, err := netlink.LinkByIndex(link); err == nil {
					or.Link = l.Attrs().Name
				}
			}
		}
		if len(r.MultiPath) > 0 {
			for _, nh := range r.MultiPath {
				hop(nh.Gw, nh.LinkIndex)
			}
		} else {
			hop(r.Gw, r.LinkIndex)
		}
		out = append(out, or)
	}
	return out, nil
}

// flushRoutes removes BIRD's routes left behind by a BIRD that did not
// stop cleanly.
func flushRoutes() {
	rs, err := netlink.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: unix.RT_TABLE_MAIN, Protocol: rtprotBIRD},
		netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
	if err != nil {
		return
	}
	for i := range rs {
		_ = netlink.RouteDel(&rs[i])
	}
}

// logWriter sends BIRD's output to the log, a line at a time.
func logWriter(log *slog.Logger) *lineLog { return &lineLog{log: log} }

type lineLog struct {
	mu   sync.Mutex
	log  *slog.Logger
	part []byte
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.part = append(l.part, p...)
	for {
		i := strings.IndexByte(string(l.part), '\n')
		if i < 0 {
			break
		}
		l.log.Info("bird: " + string(l.part[:i]))
		l.part = l.part[i+1:]
	}
	return len(p), nil
}
