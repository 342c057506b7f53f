package kernel

import (
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
)

// check-gateway: RouterOS probes the gateway of a route with check-gateway
// every 10 seconds and takes the route out of use after two probes in a
// row went unanswered, until a probe is answered again. "ping" wants an
// ICMP echo reply, "arp" an answered ARP request (rosemu sends one each
// check, arp_probe.go).

// GatewayCheck tunes the gateway checker; tests and labs shorten it.
type GatewayCheck struct {
	Interval time.Duration // between probes; RouterOS: 10s
	Timeout  time.Duration // for one probe's answer
	Failures int           // unanswered probes in a row before a route goes down; RouterOS: 2
}

// DefaultGatewayCheck is RouterOS's timing.
var DefaultGatewayCheck = GatewayCheck{Interval: 10 * time.Second, Timeout: time.Second, Failures: 2}

// gwChecker holds the state of the checks; its fields are guarded by the
// Dataplane's mutex.
type gwChecker struct {
	cfg   GatewayCheck
	fails map[string]int
	down  map[string]bool
	stop  chan struct{}
	once  sync.Once
	// retime wakes the loop when cfg changed (a new /routing settings),
	// so that the next check follows the new interval at once.
	retime chan struct{}
}

// gatewayDown reports whether every gateway of the route failed its
// check, so that the route is out of use; the caller holds d.mu. An ECMP
// route (several gateways) stays while one of them answers: RouterOS keeps
// a route a candidate while it has "at least one reachable next-hop" (IP
// Routing page, https://help.mikrotik.com/docs/display/ROS/IP+Routing).
func (d *Dataplane) gatewayDown(ro Route) bool {
	if d.gw == nil || ro.CheckGateway == "" {
		return false
	}
	for _, g := range routeGateways(ro.Gateway) {
		if !d.hopDown(ro, g) {
			return false
		}
	}
	return true
}

// hopDown reports whether one gateway g of the route failed its check;
// the caller holds d.mu.
func (d *Dataplane) hopDown(ro Route, g string) bool {
	if d.gw == nil || ro.CheckGateway == "" {
		return false
	}
	gw, _ := routeGateway(g)
	return d.gw.down[ro.CheckGateway+" "+gw]
}

// SetGatewayCheck fixes the checker's timing whatever the configuration
// says (rosemu's --check-gateway-interval, tests); call it before the
// first Apply. Without it the timing is State.GatewayCheck.
func (d *Dataplane) SetGatewayCheck(c GatewayCheck) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gwCfg = c
}

// gatewayCheckFor is the timing the checker uses under st: the fixed one
// of SetGatewayCheck, else the configuration's (RouterOS 7's /routing
// settings check-gateway-ping-*), else RouterOS's default.
func (d *Dataplane) gatewayCheckFor(st *State) GatewayCheck {
	cfg := d.gwCfg
	if cfg.Interval == 0 && st != nil && st.GatewayCheck != nil {
		cfg = *st.GatewayCheck
	}
	if cfg.Interval == 0 {
		cfg = DefaultGatewayCheck
	}
	return cfg
}

// watchGateways starts the checker once some applied route asks for a
// check; the caller holds d.mu.
func (d *Dataplane) watchGateways(st *State) {
	d.last = st
	need := false
	for _, r := range st.Routes {
		need = need || r.CheckGateway != ""
	}
	cfg := d.gatewayCheckFor(st)
	if d.gw != nil {
		if d.gw.cfg != cfg {
			d.gw.cfg = cfg
			select {
			case d.gw.retime <- struct{}{}:
			default:
			}
		}
		return
	}
	if !need {
		return
	}
	d.gw = &gwChecker{cfg: cfg, fails: map[string]int{}, down: map[string]bool{}, stop: make(chan struct{}), retime: make(chan struct{}, 1)}
	go d.checkLoop(d.gw)
}

// stopGatewayChecks ends the checker; Close calls it.
func (d *Dataplane) stopGatewayChecks() {
	d.mu.Lock()
	g := d.gw
	d.mu.Unlock()
	if g != nil {
		g.once.Do(func() { close(g.stop) })
	}
}

func (d *Dataplane) checkLoop(g *gwChecker) {
	d.mu.Lock()
	cfg := g.cfg
	d.mu.Unlock()
	t := time.NewTicker(cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-g.retime:
			d.mu.Lock()
			cfg = g.cfg
			d.mu.Unlock()
			t.Reset(cfg.Interval)
			continue
		case <-t.C:
		}
		d.mu.Lock()
		cfg = g.cfg
		checks := map[string]bool{}
		if d.last != nil {
			for _, r := range d.last.Routes {
				if r.CheckGateway == "ping" || r.CheckGateway == "arp" {
					// Each gateway of an ECMP route is checked on
					// its own.
					for _, g := range routeGateways(r.Gateway) {
						gw, _ := routeGateway(g)
						if _, err := netip.ParseAddr(gw); err == nil {
							checks[r.CheckGateway+" "+gw] = true
						}
					}
				}
			}
		}
		d.mu.Unlock()
		keys := make([]string, 0, len(checks))
		for k := range checks {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		answered := map[string]bool{}
		for _, k := range keys {
			kind, gw, _ := strings.Cut(k, " ")
			answered[k] = d.probeGateway(kind, gw, cfg.Timeout)
		}
		d.mu.Lock()
		changed := false
		for _, k := range keys {
			if answered[k] {
				g.fails[k] = 0
				if g.down[k] {
					delete(g.down, k)
					changed = true
				}
				continue
			}
			g.fails[k]++
			if g.fails[k] >= cfg.Failures && !g.down[k] {
				g.down[k] = true
				changed = true
			}
		}
		// The state applied last, under the same lock: a newer state
		// the configuration applied meanwhile is the one that counts.
		if changed && d.last != nil {
			if err := d.applyLocked(d.last); err != nil {
				d.warnings = append(d.warnings, "re-apply after a gateway check: "+err.Error())
			}
		}
		d.mu.Unlock()
	}
}

// probeGateway checks gw once from the router's namespace. ping:
// answered when an ICMP echo reply comes back in time. arp: answered when
// an ARP request sent for it is answered in time (arpProbe).
func (d *Dataplane) probeGateway(kind, gw string, timeout time.Duration) bool {
	ip := net.ParseIP(gw).To4()
	if ip == nil {
		return false
	}
	if kind == "arp" {
		return d.arpProbe(ip, timeout)
	}
	replied := false
	_ = inNetns(d.ns, func() error {
		c, err := icmp.ListenPacket("ip4:icmp", "0.0.0.0")
		if err != nil {
			return err
		}
		defer c.Close()
		id := os.Getpid() & 0xffff
		msg := icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: id, Seq: 1, Data: []byte("rosemu check-gateway")}}
		b, err := msg.Marshal(nil)
		if err != nil {
			return err
		}
		if _, err := c.WriteTo(b, &net.IPAddr{IP: ip}); err != nil {
			return err
		}
		deadline := time.Now().Add(timeout)
		c.SetReadDeadline(deadline)
		buf := make([]byte, 1500)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return err
			}
			m, err := icmp.ParseMessage(1, buf[:n])
			if err != nil || m.Type != ipv4.ICMPTypeEchoReply {
				continue
			}
			if e, ok := m.Body.(*icmp.Echo); ok && e.ID == id && from.String() == ip.String() {
				replied = true
				return nil
			}
		}
	})
	return replied
}
