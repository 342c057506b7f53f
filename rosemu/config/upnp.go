package config

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// UPnP's gateway (rosemu/service/upnp) reads its settings here and adds its
// port mappings as dynamic dst-nat rules of /ip firewall nat, as RouterOS
// does ("The protocol works by creating dynamic NAT entries",
// https://help.mikrotik.com/docs/display/ROS/UPnP): they print with D, are
// not exported or saved, and are rendered with the static rules.

// UPnPInterface is one enabled /ip upnp interfaces entry with the router's
// addresses on it.
type UPnPInterface struct {
	Name  string
	Addrs []netip.Prefix
	// Known: the configuration has an interface of this name (an entry
	// may name a removed interface or an interface list): only a known
	// one's link is waited for.
	Known bool
}

// UPnPConfig is what the gateway runs with.
type UPnPConfig struct {
	// Enabled is /ip upnp enabled=yes with an external interface that has
	// an address and at least one internal interface: without them
	// RouterOS's gateway has nothing to map [verify].
	Enabled bool
	// On is /ip upnp enabled=yes alone: the mappings are cleared only
	// when it is off, not while the WAN has no address for a moment.
	On       bool
	Internal []UPnPInterface
	External string
	// ExternalIP is the external entry's forced-ip, else the first
	// address on the external interface.
	ExternalIP netip.Addr
}

// UPnPMapping is one port mapping of the gateway.
type UPnPMapping struct {
	Protocol       string // tcp or udp
	ExternalPort   int
	InternalPort   int
	InternalClient netip.Addr
	Description    string
	// RemoteHost is the mapping's NewRemoteHost ("" for any).
	RemoteHost string
}

// upnpComment is the comment RouterOS puts on a mapping's rule: "upnp",
// the client, then the description the client gave [verify: the form
// seen in forum prints, "upnp 192.168.88.10: Teredo"].
func upnpComment(m UPnPMapping) string {
	return fmt.Sprintf("upnp %s: %s", m.InternalClient, m.Description)
}

func isUPnPRule(it *item) bool {
	return it.dynamic && strings.HasPrefix(it.props["comment"], "upnp ")
}

// UPnP returns the gateway's settings.
func (r *Router) UPnP() UPnPConfig {
	r.mu.Lock()
	defer r.mu.Unlock()
	return upnpConfig(&tx{r: r, m: r.m})
}

// upnpConfig reads the gateway's settings from t's model; the caller
// holds r.mu, so that a mapping is checked against the same state it is
// added to (review43 finding 11).
func upnpConfig(t *tx) UPnPConfig {
	var c UPnPConfig
	on := false
	if its := t.m.tables["ip upnp"]; len(its) > 0 {
		on = its[0].props["enabled"] == "yes"
	}
	var forced netip.Addr
	for _, it := range t.m.tables["ip upnp interfaces"] {
		if it.disabled() {
			continue
		}
		name := it.props["interface"]
		switch it.props["type"] {
		case "internal":
			c.Internal = append(c.Internal, UPnPInterface{Name: name, Addrs: routerAddrs(t, name), Known: t.ifaceExists(name)})
		case "external":
			// RouterOS: "A router may only have one active external
			// interface"; the first enabled entry is taken [verify].
			if c.External == "" {
				c.External = name
				forced, _ = netip.ParseAddr(it.props["forced-ip"])
			}
		}
	}
	if c.External != "" {
		if forced.IsValid() && !forced.IsUnspecified() {
			c.ExternalIP = forced
		} else {
			for _, p := range routerAddrs(t, c.External) {
				if p.Addr().Is4() {
					c.ExternalIP = p.Addr()
					break
				}
			}
		}
	}
	c.On = on
	c.Enabled = on && c.ExternalIP.IsValid() && len(c.Internal) > 0
	return c
}

// UPnPMappings returns the gateway's mappings, in the order of their rules.
func (r *Router) UPnPMappings() []UPnPMapping {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []UPnPMapping
	for _, it := range r.m.tables["ip firewall nat"] {
		if !isUPnPRule(it) {
			continue
		}
		m := UPnPMapping{Protocol: it.props["protocol"], RemoteHost: it.props["src-address"]}
		m.ExternalPort, _ = strconv.Atoi(it.props["dst-port"])
		m.InternalPort, _ = strconv.Atoi(it.props["to-ports"])
		m.InternalClient, _ = netip.ParseAddr(it.props["to-addresses"])
		_, m.Description, _ = strings.Cut(it.props["comment"], ": ")
		out = append(out, m)
	}
	return out
}

// AddUPnPMapping adds m's dynamic dst-nat rule, replacing a mapping of the
// same protocol and external port (UPnP's AddPortMapping overwrites the
// client's own mapping). The rule goes first in the nat table, where
// RouterOS prints its dynamic UPnP rules [verify].
func (r *Router) AddUPnPMapping(m UPnPMapping) (err error) {
	defer guarded("UPnP mapping", &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.begin(false)
	c := upnpConfig(t)
	if !c.Enabled {
		return fmt.Errorf("UPnP is not enabled")
	}
	if why := upnpTaken(t, c, m.Protocol, m.ExternalPort); why != "" {
		return fmt.Errorf("%w: %s", ErrUPnPConflict, why)
	}
	nat := t.m.tables["ip firewall nat"]
	nat = slices.DeleteFunc(nat, func(it *item) bool {
		return isUPnPRule(it) && it.props["protocol"] == m.Protocol && it.props["dst-port"] == strconv.Itoa(m.ExternalPort)
	})
	props := map[string]string{
		"chain": "dstnat", "action": "dst-nat",
		"protocol": m.Protocol, "dst-address": c.ExternalIP.String(), "in-interface": c.External,
		"dst-port":     strconv.Itoa(m.ExternalPort),
		"to-addresses": m.InternalClient.String(), "to-ports": strconv.Itoa(m.InternalPort),
		"comment": upnpComment(m),
	}
	if m.RemoteHost != "" {
		props["src-address"] = m.RemoteHost
	}
	t.m.tables["ip firewall nat"] = append([]*item{{id: r.newID(), dynamic: true, props: props}}, nat...)
	t.changed = true
	return r.commit(t)
}

// RetargetUPnPMappings keeps the mappings' rules in step with the
// gateway's interfaces while UPnP is on (enabled=yes).
//
// A mapping whose client is on no internal interface any more (its
// internal entry removed or disabled, the address of its subnet removed)
// is dropped: the gateway serves only the internal interfaces' clients,
// so that client could neither renew nor delete it, and the forward
// would outlive the LAN it was asked from (review43 finding 6). RouterOS
// doing the same is [verify]; miniupnpd removes a redirect only when its
// lease ends or its client deletes it, and rosemu does not time leases.
//
// The rest are pointed at the current external interface and address: a
// rule pins them when it is added, and a WAN that changes address (a new
// DHCP lease, a PPPoE reconnect) or an external entry moved to another
// interface would leave the mappings matching nothing (review43 finding
// 5; RouterOS doing the same is [verify]). Without an external address
// they are kept as they are, to serve again when it comes back.
func (r *Router) RetargetUPnPMappings() (err error) {
	defer guarded("UPnP mappings", &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.begin(false)
	c := upnpConfig(t)
	if !c.On {
		return nil
	}
	nat := t.m.tables["ip firewall nat"]
	kept := slices.DeleteFunc(slices.Clone(nat), func(it *item) bool {
		if !isUPnPRule(it) {
			return false
		}
		a, err := netip.ParseAddr(it.props["to-addresses"])
		_, served := internalAddr(c, a)
		return err != nil || !served
	})
	if len(kept) != len(nat) {
		t.m.tables["ip firewall nat"] = kept
		t.changed = true
	}
	if !c.Enabled {
		return r.commit(t)
	}
	for _, it := range t.m.tables["ip firewall nat"] {
		if isUPnPRule(it) && (it.props["dst-address"] != c.ExternalIP.String() || it.props["in-interface"] != c.External) {
			it.props["dst-address"], it.props["in-interface"] = c.ExternalIP.String(), c.External
			t.changed = true
		}
	}
	return r.commit(t)
}

// ErrUPnPConflict is AddUPnPMapping's refusal of an external port the
// router already uses; the gateway answers it with 718
// ConflictInMappingEntry.
var ErrUPnPConflict = errors.New("external port in use")

// upnpTaken says why proto/port on the external address is not free for a
// mapping ("" when it is): an enabled static dst-nat rule that may forward
// it, or a service of the router listening on it. The mapping's rule goes
// first in the nat table, so it would take that traffic from the static
// rule or the service. miniupnpd refuses both (718 for a redirect it
// finds, its port_in_use check for a local listener); RouterOS refusing
// them is [verify]. A matcher the check does not evaluate
// (in-interface-list, a negation, dst-address-type, ...) counts as
// matching: a refused mapping is safer than a hijacked forward.
func upnpTaken(t *tx, c UPnPConfig, proto string, port int) string {
	for _, it := range t.m.tables["ip firewall nat"] {
		p := it.props
		if it.dynamic || it.disabled() || p["chain"] != "dstnat" || (p["action"] != "dst-nat" && p["action"] != "netmap" && p["action"] != "redirect") {
			continue
		}
		if v := p["protocol"]; v != "" && v != proto {
			continue
		}
		if v := p["dst-port"]; v != "" && !strings.HasPrefix(v, "!") && !portIn(v, port) {
			continue
		}
		if v := p["in-interface"]; v != "" && !strings.HasPrefix(v, "!") && v != c.External {
			continue
		}
		if v := p["dst-address"]; v != "" && !strings.HasPrefix(v, "!") {
			if pf, err := netip.ParsePrefix(v); err == nil && !pf.Contains(c.ExternalIP) {
				continue
			} else if a, err := netip.ParseAddr(v); err == nil && a != c.ExternalIP {
				continue
			}
		}
		return fmt.Sprintf("/ip firewall nat rule %s forwards %s/%d", it.ID(), proto, port)
	}
	if proto == "tcp" {
		for _, it := range t.m.tables[ipServiceTable] {
			if !it.disabled() && it.props["port"] == strconv.Itoa(port) {
				return fmt.Sprintf("/ip service %s listens on tcp/%d", it.props["name"], port)
			}
		}
	}
	for _, l := range vpnListeners(t.m, t.r.opts.Version) {
		if l.Proto == proto && l.Port == port {
			return fmt.Sprintf("%s listens on %s/%d", l.Path, proto, port)
		}
	}
	return ""
}

// portIn says whether port is in a dst-port list ("80,8000-8100").
func portIn(list string, port int) bool {
	for _, f := range strings.Split(list, ",") {
		a, b, ok := strings.Cut(f, "-")
		if !ok {
			b = a
		}
		x, err1 := strconv.Atoi(a)
		y, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil && x <= port && port <= y {
			return true
		}
	}
	return false
}

// DeleteUPnPMapping removes the mapping of proto and the external port; it
// reports whether there was one.
func (r *Router) DeleteUPnPMapping(proto string, port int) (found bool, err error) {
	defer guarded("UPnP mapping", &err)
	return r.dropUPnP(func(it *item) bool {
		return it.props["protocol"] == proto && it.props["dst-port"] == strconv.Itoa(port)
	})
}

// ClearUPnPMappings removes every mapping: the gateway calls it when UPnP
// is turned off, as RouterOS's dynamic rules go with the service.
func (r *Router) ClearUPnPMappings() (err error) {
	defer guarded("UPnP mappings", &err)
	_, err = r.dropUPnP(func(*item) bool { return true })
	return err
}

func (r *Router) dropUPnP(match func(*item) bool) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	found := false
	for _, it := range r.m.tables["ip firewall nat"] {
		if isUPnPRule(it) && match(it) {
			found = true
		}
	}
	if !found {
		return false, nil
	}
	t := r.begin(false)
	t.m.tables["ip firewall nat"] = slices.DeleteFunc(t.m.tables["ip firewall nat"], func(it *item) bool {
		return isUPnPRule(it) && match(it)
	})
	t.changed = true
	return true, r.commit(t)
}

// internalAddr is the router's address on the internal interface whose
// subnet holds client, the address the client reaches the gateway at;
// false for a client on no internal interface, which RouterOS's gateway
// does not serve ("internal - router's local interface the clients are
// connected to").
func internalAddr(c UPnPConfig, client netip.Addr) (netip.Addr, bool) {
	client = client.Unmap()
	for _, i := range c.Internal {
		for _, p := range i.Addrs {
			if p.Masked().Contains(client) {
				return p.Addr(), true
			}
		}
	}
	return netip.Addr{}, false
}

// InternalAddr is internalAddr for the gateway.
func (c UPnPConfig) InternalAddr(client netip.Addr) (netip.Addr, bool) {
	return internalAddr(c, client)
}

// upnpOff: a setting of /ip upnp changes nothing while UPnP is off.
func upnpOff(p map[string]string) bool { return p["enabled"] != "yes" }
