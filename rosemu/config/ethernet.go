package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// /interface ethernet: the router's ports. name is modelled: a port may be
// renamed (set [ find default-name=ether1 ] name=wan), every reference in
// the configuration follows, and the kernel keeps the port's default name
// (Linux allows 15 characters and no spaces, RouterOS allows more), so the
// state handed to the kernel and the DHCP service is translated back to
// default names (kernelState, kernelName, modelName). The link-layer
// properties are stored and reported as not enforced, each with its
// reason: the lab's ports are veth pairs without a PHY.

const (
	phyReason  = "the lab's ports are virtual links without a PHY: speed, duplex, negotiation and flow control do not apply"
	linkReason = "rosemu keeps the port's link settings as the lab made them"
)

var ethernetMenu = &menu{
	path: "interface ethernet", noAdd: true, nameProp: "name", renamable: true,
	props: []*prop{
		{name: "name", parse: pIfName},
		{name: "default-name"},
		{name: "mtu", parse: pInt(0, 65535), def: "1500", show: true, notEnforced: "rosemu keeps the port's MTU at 1500"},
		{name: "l2mtu", parse: pInt(0, 65535), notEnforced: linkReason},
		{name: "mac-address", parse: pMAC, notEnforced: "rosemu keeps the MAC address the lab gave the port"},
		{name: "orig-mac-address", parse: pMAC, notEnforced: linkReason},
		// arp=disabled stops ARP on the port, as on a bridge; the
		// other modes answer ARP as Linux does [verify] (bridge.go).
		{name: "arp", parse: pEnum("enabled", "disabled", "local-proxy-arp", "proxy-arp", "reply-only"), def: "enabled", show: true},
		{name: "arp-timeout", parse: pTimeOr("auto"), def: "auto", show: true, notEnforced: linkReason},
		{name: "auto-negotiation", parse: pBool, def: "yes", show: true, isBool: true, notEnforced: phyReason},
		{name: "speed", parse: pEthMode(ethSpeedsOld, false), notEnforced: phyReason, inert: autoNegotiated},
		{name: "full-duplex", parse: pBool, def: "yes", show: true, isBool: true, notEnforced: phyReason, inert: autoNegotiated},
		{name: "advertise", parse: pEthMode(ethAdvertiseOld, true), notEnforced: phyReason, inert: advertisesAll},
		{name: "bandwidth", parse: pString, def: "unlimited/unlimited", show: true, notEnforced: phyReason},
		{name: "rx-flow-control", parse: pEnum("off", "on", "auto"), def: "off", show: true, notEnforced: phyReason},
		{name: "tx-flow-control", parse: pEnum("off", "on", "auto"), def: "off", show: true, notEnforced: phyReason},
		{name: "loop-protect", parse: pEnum("default", "on", "off"), def: "default", show: true, notEnforced: "rosemu sends no loop-protect frames"},
		{name: "loop-protect-disable-time", parse: pTime, def: "5m", show: true, notEnforced: "rosemu sends no loop-protect frames"},
		{name: "loop-protect-send-interval", parse: pTime, def: "5s", show: true, notEnforced: "rosemu sends no loop-protect frames"},
		onlyV6(&prop{name: "master-port", parse: pPortOrNone, def: "none", notEnforced: "rosemu has no switch chip: a master port does not bridge its slaves (use a bridge)"}),
		{name: "disable-running-check", parse: pBool, def: "yes", isBool: true, show: true},
		comment,
		// A disabled port is set down: it carries nothing, and routes
		// through it are inactive (kernel.PortState).
		{name: "disabled", parse: pBool, def: "no", isBool: true},
	},
	columns:   []string{"name", "default-name"},
	check:     checkEthernet,
	readonly:  ethernetStatus,
	exportRef: func(it *item) string { return "[ find default-name=" + it.props["default-name"] + " ]" },
}

// autoNegotiated: speed and full-duplex apply only with
// auto-negotiation=no (Ethernet page of the manual: "speed ... when
// auto-negotiation is disabled"); RouterOS 6 exports write "speed=100Mbps"
// on every port whatever it negotiates, which is no setting of the user's.
func autoNegotiated(props map[string]string) bool {
	return props["auto-negotiation"] != "no"
}

// advertisesAll: the port advertises every 10/100/1000 mode, in RouterOS
// 6's names (10M-half ... 1000M-full) or 7's (10M-baseT-half ...
// 1G-baseT-full), as verbose exports restate; it then negotiates what it
// would by default. A list that leaves one out limits the link, and is
// reported.
func advertisesAll(props map[string]string) bool {
	have := map[string]bool{}
	for _, m := range strings.Split(props["advertise"], ",") {
		m = strings.Replace(strings.Replace(m, "-baseT", "", 1), "1G-", "1000M-", 1)
		have[m] = true
	}
	for _, m := range []string{"10M-half", "10M-full", "100M-half", "100M-full", "1000M-full"} {
		if !have[m] {
			return false
		}
	}
	return true
}

// The values of a port's speed and advertise (the Ethernet page of the
// manual, https://help.mikrotik.com/docs/display/ROS/Ethernet). 7.12
// named both by link mode (ethModes712, "since RouterOS v7.12"); before,
// speed was 10Mbps ... 10Gbps (the v6 manual lists 10Mbps, 100Mbps, 1Gbps
// and 10Gbps; [verify] the faster ones) and advertise 10M-half ...
// 10000M-full. A value outside them was taken as any text before (ver46
// D18: "speed=bogus" was accepted, and went unreported under
// auto-negotiation).
var (
	ethSpeedsOld    = []string{"10Mbps", "100Mbps", "1Gbps", "2.5Gbps", "5Gbps", "10Gbps", "25Gbps", "40Gbps", "100Gbps"}
	ethAdvertiseOld = []string{"10M-half", "10M-full", "100M-half", "100M-full", "1000M-half", "1000M-full", "2500M-full", "5000M-full", "10000M-full"}
	// The manual's 7.12 list, then the later modes a RouterOS Terraform
	// provider's validation has (50G and 100G two-lane, 200G, 400G and
	// 100M-baseFX) [verify] their first 7.x.
	ethModes712 = []string{"10M-baseT-half", "10M-baseT-full", "100M-baseT-half", "100M-baseT-full",
		"1G-baseT-half", "1G-baseT-full", "1G-baseX", "2.5G-baseT", "2.5G-baseX", "5G-baseT", "10G-baseT",
		"10G-baseSR-LR", "10G-baseCR", "40G-baseSR4-LR4", "40G-baseCR4", "25G-baseSR-LR", "25G-baseCR",
		"50G-baseSR2-LR2", "50G-baseCR2", "100G-baseSR4-LR4", "100G-baseCR4",
		"50G-baseSR-LR", "50G-baseCR", "100G-baseSR2-LR2", "100G-baseCR2", "200G-baseSR4-LR4", "200G-baseCR4",
		"400G-baseSR8-LR8", "400G-baseCR8", "100M-baseFX-half", "100M-baseFX-full"}
)

// pEthMode is speed (one value) or advertise (a comma list) by version:
// the old names everywhere, 7.12's link modes from 7.12 on; written as
// the manual spells them whatever the case given. 7.12 and later also
// take the old names, as rosemu's 7.x tests of exports written before
// 7.12 do ([verify] that a 7.12+ router takes them).
func pEthMode(old []string, list bool) parser {
	return func(t *tx, name, v string) (string, error) {
		vals := old
		if t == nil || versionAtLeast(t.r.opts.Version, 7, 12) {
			vals = append(slices.Clip(old), ethModes712...)
		}
		if v == "" && list {
			return v, nil
		}
		words := []string{v}
		if list {
			words = strings.Split(v, ",")
		}
		for i, w := range words {
			j := slices.IndexFunc(vals, func(x string) bool { return strings.EqualFold(x, w) })
			if j < 0 {
				return "", errInvalid(name)
			}
			words[i] = vals[j]
		}
		return strings.Join(words, ","), nil
	}
}

// pIfName is an interface name: RouterOS allows spaces but no commas, as
// lists of names are comma separated.
func pIfName(_ *tx, name, v string) (string, error) {
	if v == "" || strings.ContainsAny(v, ",\n\r\t") {
		return "", errInvalid(name)
	}
	return v, nil
}

// checkEthernet refuses a name another interface has and makes every
// reference follow a rename.
func checkEthernet(t *tx, it *item) error {
	var old string
	for _, x := range t.m.tables["interface ethernet"] {
		if x.id == it.id {
			old = x.props["name"]
			continue
		}
		if x.props["name"] == it.props["name"] {
			return errFailure("name", "already have interface with such name")
		}
	}
	if isStoredInterface(t.m, it.props["name"]) || t.findByName(wireguardTable, it.props["name"]) != nil {
		return errFailure("name", "already have interface with such name")
	}
	if new := it.props["name"]; old != "" && new != old {
		t.renameInterface(old, new)
	}
	return nil
}

// ifRefKeys are the properties that name an interface.
var ifRefKeys = map[string]bool{"interface": true, "in-interface": true, "out-interface": true, "gateway": true, "parent": true, "master-port": true,
	"in-bridge-port": true, "out-bridge-port": true}

// renameInterface makes references to interface old name new: plain, negated
// (!ether1) and as a gateway's interface (192.0.2.1%ether1).
func (t *tx) renameInterface(old, new string) {
	for tbl, items := range t.m.tables {
		if tbl == "interface ethernet" {
			continue
		}
		for i, it := range items {
			var c *item
			for k, v := range it.props {
				if tbl == "queue simple" && k == "target" {
					// A simple queue's targets are a list, of
					// addresses and interfaces.
					if nv, ok := renameInList(v, old, new); ok {
						if c == nil {
							c = it.clone()
						}
						c.props[k] = nv
					}
					continue
				}
				if !ifRefKeys[k] || (tbl == "queue simple" && k == "parent") {
					continue // a simple queue's parent is a queue
				}
				nv, ok := renameRef(v, old, new)
				if !ok {
					continue
				}
				if c == nil {
					c = it.clone()
				}
				c.props[k] = nv
			}
			if c != nil {
				items[i] = c
			}
		}
	}
}

// renameInList renames interface old to new in a comma-separated list.
func renameInList(v, old, new string) (string, bool) {
	parts := strings.Split(v, ",")
	changed := false
	for i, p := range parts {
		if p == old {
			parts[i], changed = new, true
		}
	}
	return strings.Join(parts, ","), changed
}

func renameRef(v, old, new string) (string, bool) {
	switch {
	case v == old:
		return new, true
	case v == "!"+old:
		return "!" + new, true
	case strings.HasSuffix(v, "%"+old):
		return strings.TrimSuffix(v, old) + new, true
	}
	return v, false
}

// kernelNames maps the names of renamed ports to their default names,
// which the kernel's links keep; nil when no port is renamed.
func kernelNames(m *model) map[string]string {
	var out map[string]string
	for _, e := range m.tables["interface ethernet"] {
		if n, d := e.props["name"], e.props["default-name"]; n != d && d != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[n] = d
		}
	}
	return out
}

// kernelName is the kernel's name of the interface the model calls name.
func kernelName(m *model, name string) string {
	if d, ok := kernelNames(m)[name]; ok {
		return d
	}
	return name
}

// modelName is the model's name of the port the kernel calls kname.
func modelName(m *model, kname string) string {
	for n, d := range kernelNames(m) {
		if d == kname {
			return n
		}
	}
	return kname
}

// kernelState translates the interface names of s from the model's to the
// kernel's: ports, addresses, gateways, interface lists and the
// interface matchers of rules. Other interface-naming fields added to
// kernel.State must be translated here too.
func kernelState(m *model, s *kernel.State) {
	dropStoredInterfaces(m, s)
	names := kernelNames(m)
	if names == nil {
		return
	}
	tr := func(v string) string {
		for n, d := range names {
			if nv, ok := renameRef(v, n, d); ok {
				return nv
			}
		}
		return v
	}
	for i := range s.Ports {
		s.Ports[i] = tr(s.Ports[i])
	}
	if s.PortStates != nil {
		ps := map[string]kernel.PortState{}
		for n, st := range s.PortStates {
			ps[tr(n)] = st
		}
		s.PortStates = ps
	}
	for i := range s.Addresses {
		s.Addresses[i].Interface = tr(s.Addresses[i].Interface)
	}
	for i := range s.StaticARP {
		s.StaticARP[i].Interface = tr(s.StaticARP[i].Interface)
	}
	for i := range s.PublishedARP {
		s.PublishedARP[i].Interface = tr(s.PublishedARP[i].Interface)
	}
	for i := range s.Routes {
		// An ECMP route's gateways one by one.
		gws := strings.Split(s.Routes[i].Gateway, ",")
		for j := range gws {
			gws[j] = tr(gws[j])
		}
		s.Routes[i].Gateway = strings.Join(gws, ",")
	}
	for l, ms := range s.InterfaceLists {
		for i := range ms {
			ms[i] = tr(ms[i])
		}
		s.InterfaceLists[l] = ms
	}
	for _, rules := range [][]kernel.Rule{s.Filter, s.NAT, s.Mangle, s.Raw, s.BridgeFilter, s.BridgeNAT} {
		for _, r := range rules {
			for k, v := range r.Props {
				if ifRefKeys[k] {
					r.Props[k] = tr(v)
				}
			}
		}
	}
	// A renamed port in a bridge (a port, a tagged or untagged member of a
	// VLAN entry) or under a VLAN interface is the kernel's link too.
	for i := range s.Bridges {
		b := &s.Bridges[i]
		for j := range b.Ports {
			b.Ports[j].Interface = tr(b.Ports[j].Interface)
		}
		for j := range b.VLANs {
			for k := range b.VLANs[j].Tagged {
				b.VLANs[j].Tagged[k] = tr(b.VLANs[j].Tagged[k])
			}
			for k := range b.VLANs[j].Untagged {
				b.VLANs[j].Untagged[k] = tr(b.VLANs[j].Untagged[k])
			}
		}
	}
	for i := range s.VLANs {
		s.VLANs[i].Interface = tr(s.VLANs[i].Interface)
	}
	for i := range s.VRRPs {
		s.VRRPs[i].Interface = tr(s.VRRPs[i].Interface)
	}
	// A queue's interface target and a tree under a renamed port name the
	// kernel's link too (a tree under "ether1-wan" was left out: the
	// kernel knew no such interface).
	for i := range s.Queues {
		ifs := append([]string(nil), s.Queues[i].Interfaces...)
		for j := range ifs {
			ifs[j] = tr(ifs[j])
		}
		s.Queues[i].Interfaces = ifs
	}
	for i := range s.TreeQueues {
		s.TreeQueues[i].Parent = tr(s.TreeQueues[i].Parent)
	}
}

// pPortOrNone is another port's name or "none" (v6 master-port).
func pPortOrNone(t *tx, name, v string) (string, error) {
	if v == "none" || t.ifaceExists(v) {
		return v, nil
	}
	return "", errNoMatch(name)
}

// ethernetStatus is what /interface ethernet shows besides its settings:
// running, and the port's own MAC (orig-mac-address, and mac-address while
// none is set) where the daemon knows it (Options.MACs), so that a script
// finds a port by its MAC as on CHR.
func ethernetStatus(t *tx, it *item) []Prop {
	ps := []Prop{{"running", boolAPI(t.ifaceRunning(it))}}
	if mac := t.r.opts.MACs[it.props["default-name"]]; mac != "" {
		ps = append(ps, Prop{"orig-mac-address", mac})
		if _, set := it.props["mac-address"]; !set {
			ps = append(ps, Prop{"mac-address", mac})
		}
	}
	return ps
}

// LinkState tells whether a router port is running; package kernel's
// Dataplane implements it.
type LinkState interface {
	// Running reports whether the port with this default name has carrier
	// (known false when the kernel has no such port).
	Running(name string) (running, known bool)
}

// LinkTraffic reads an interface's traffic counters; package kernel's
// Dataplane implements it beside LinkState.
type LinkTraffic interface {
	Traffic(name string) (c kernel.LinkCounters, known bool)
}

// trafficProps are an interface's rx-byte, tx-byte, rx-packet, tx-packet,
// rx-drop, tx-drop, rx-error and tx-error as /interface prints them:
// traffic-accounting scripts read "[/interface get ether1 rx-byte]" and
// subtract the last run's (Interface page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Interface). They come from
// the kernel's link statistics; a router without a kernel (chrlab
// validate, check offline) has passed no packet and counts 0.
func (t *tx) trafficProps(it *item) []Prop {
	c := t.linkTraffic(it)
	if b, ok := t.r.sys.ifBase[trafficName(it)]; ok {
		c = sinceReset(c, b)
	}
	n := func(v uint64) string { return strconv.FormatUint(v, 10) }
	return []Prop{{"rx-byte", n(c.RxBytes)}, {"tx-byte", n(c.TxBytes)}, {"rx-packet", n(c.RxPackets)}, {"tx-packet", n(c.TxPackets)},
		{"rx-drop", n(c.RxDrops)}, {"tx-drop", n(c.TxDrops)}, {"rx-error", n(c.RxErrors)}, {"tx-error", n(c.TxErrors)}}
}

// ifaceRunning is an interface's running flag: an enabled ethernet runs while
// its link has carrier (a lab step can pull its cable, and a route through
// it is then inactive); other interfaces run while enabled.
func (t *tx) ifaceRunning(it *item) bool {
	if it.disabled() {
		return false
	}
	if t.findByName(vrrpTable, it.props["name"]) == it {
		return vrrpMaster(t.m, it)
	}
	// A PPPoE client runs while its session is up, not while its
	// Ethernet port has carrier: "[/interface get pppoe-out1 running]"
	// was true with the session down (forum50 D2).
	for _, tbl := range append([]string{pppoeClientTable}, dialledTables...) {
		if c := t.findByName(tbl, it.props["name"]); c != nil && c.id == it.id {
			_, up := upSession(t.m, c)
			return up
		}
	}
	dn := it.props["default-name"]
	// A GRE or IPIP tunnel runs while its TUN link has carrier: the
	// iptunnel service takes it away when keepalive fails.
	for tbl := range builtTunnelTables {
		if t.findByName(tbl, it.props["name"]) == it {
			dn = it.props["name"]
		}
	}
	if dn == "" || t.r.opts.Links == nil {
		return true
	}
	if up, known := t.r.opts.Links.Running(dn); known {
		return up
	}
	return true
}

// trafficName is the link name an interface's counters are read by.
func trafficName(it *item) string {
	if n := it.props["default-name"]; n != "" {
		return n
	}
	return it.props["name"]
}

// linkTraffic reads an interface's counters from the kernel (zero without
// one).
func (t *tx) linkTraffic(it *item) kernel.LinkCounters {
	if lt, ok := t.r.opts.Links.(LinkTraffic); ok {
		c, _ := lt.Traffic(trafficName(it))
		return c
	}
	return kernel.LinkCounters{}
}

// sinceReset is c counted from the base b of the last reset-counters; a
// link made again since (its counters below the base) counts from zero.
func sinceReset(c, b kernel.LinkCounters) kernel.LinkCounters {
	d := func(v, base uint64) uint64 {
		if v < base {
			return v
		}
		return v - base
	}
	return kernel.LinkCounters{RxBytes: d(c.RxBytes, b.RxBytes), TxBytes: d(c.TxBytes, b.TxBytes),
		RxPackets: d(c.RxPackets, b.RxPackets), TxPackets: d(c.TxPackets, b.TxPackets),
		RxDrops: d(c.RxDrops, b.RxDrops), TxDrops: d(c.TxDrops, b.TxDrops),
		RxErrors: d(c.RxErrors, b.RxErrors), TxErrors: d(c.TxErrors, b.TxErrors)}
}

// resetIfCounters is /interface reset-counters: traffic-accounting and
// monitoring scripts zero the counters after reading them ("/interface
// reset-counters [find]", "reset-counters-all"). The kernel's counters
// cannot be zeroed, so the reading at the reset becomes the base.
func (t *tx) resetIfCounters(items []*item) {
	if t.r.sys.ifBase == nil {
		t.r.sys.ifBase = map[string]kernel.LinkCounters{}
	}
	for _, it := range items {
		t.r.sys.ifBase[trafficName(it)] = t.linkTraffic(it)
	}
}
