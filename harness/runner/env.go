package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/scenario"
	statusline "github.com/chrlab/chrlab/internal/progress"
)

// topology answers the scenario's name checks from the lab spec.
type topology struct{ spec *lab.Spec }

func (t topology) HasNode(name string) bool {
	if _, ok := t.spec.PublicAddr(name); ok {
		return true
	}
	if r, port, ok := moreRouterPort(t.spec, name); ok {
		// A more router's address, site-b.wan, as router.wan is the
		// lab's router's.
		_, ok := t.spec.ForRouter(r).RouterIface(port, netip.Addr{})
		return ok
	}
	for _, n := range t.spec.Nodes {
		if n.Name == name {
			return true
		}
	}
	return false
}

// NodeNetworks lists the lab networks a host node has an interface on, in
// its order (a netem step's network: must be one; labEnv.Netem takes the
// same). Nil for a name that is no host node.
func (t topology) NodeNetworks(name string) []string {
	var out []string
	for _, n := range t.spec.Nodes {
		if n.Name == name {
			for _, in := range n.Interfaces {
				out = append(out, in.Network)
			}
		}
	}
	return out
}

// MoreRouters names the lab's more routers, for the steps' messages.
func (t topology) MoreRouters() []string {
	var out []string
	for _, r := range t.spec.Routers {
		out = append(out, r.Name)
	}
	return out
}

func (t topology) HasRouterPort(port string) bool {
	_, ok := t.spec.RouterIface(port, netip.Addr{})
	return ok
}

// CanPullCables says why a link action cannot run: only the netns wiring
// has an end of the router's port that no one else shares.
func (t topology) CanPullCables() error {
	w, err := lab.ResolveWiring("")
	if err != nil {
		return err
	}
	if w != lab.WiringNetns {
		return fmt.Errorf("pulling a port's cable needs the netns wiring, and %s=%s wires the lab with Docker's bridges", lab.WiringEnv, w)
	}
	return nil
}

// HasLabPort reports whether port names one of the router's lab ports,
// the only ones whose cable a link action can pull.
func (t topology) HasLabPort(port string) bool {
	_, ok := labPortIndex(t.spec, port)
	return ok
}

// HasRouterLabPort is HasLabPort for the lab's router or one of its more
// routers, by name.
func (t topology) HasRouterLabPort(router, port string) bool {
	r, ok := t.spec.RouterNamed(router)
	if !ok {
		return false
	}
	_, ok = labPortIndex(t.spec.ForRouter(r), port)
	return ok
}

// labPortIndex is the index in the lab's router ports of port (ether2,
// wan, wan2, lan).
func labPortIndex(spec *lab.Spec, port string) (int, bool) {
	name, ok := spec.RouterIface(port, netip.Addr{})
	if !ok {
		return 0, false
	}
	for i := range spec.Router.Ports {
		if lab.PortName(i) == name {
			return i, true
		}
	}
	return 0, false
}

// SetLink pulls (up false) or plugs back the cable of a router port.
func (e *labEnv) SetLink(ctx context.Context, port string, up bool) (string, error) {
	return e.SetRouterLink(ctx, e.spec.Router.Name, port, up)
}

// SetRouterLink is SetLink for the port of the lab's router or of one of
// its more routers (a link step's router:), by name.
func (e *labEnv) SetRouterLink(ctx context.Context, router, port string, up bool) (string, error) {
	r, ok := e.spec.RouterNamed(router)
	if !ok {
		return "", fmt.Errorf("lab %s has no router %s", e.spec.Name, router)
	}
	spec := e.spec.ForRouter(r)
	i, ok := labPortIndex(spec, port)
	if !ok {
		return "", fmt.Errorf("no port %q of router %s in lab %s", port, router, e.spec.Name)
	}
	l, ok := e.ex.(interface {
		SetRouterLink(ctx context.Context, router string, port int, up bool) error
	})
	if !ok {
		return "", fmt.Errorf("this lab cannot pull a port's cable")
	}
	if err := l.SetRouterLink(ctx, router, i, up); err != nil {
		return "", err
	}
	label := spec.PortLabel(i)
	if router != e.spec.Router.Name {
		label = router + " " + label
	}
	if up {
		return fmt.Sprintf("%s: cable plugged back", label), nil
	}
	return fmt.Sprintf("%s: cable pulled (no carrier)", label), nil
}

// CanRenumberWAN says why the lab cannot renumber the router's WAN: only
// an ISP that leases it by DHCP or gives it by PPPoE can hand it another
// address.
func (t topology) CanRenumberWAN() error { return renumberable(t.spec) }

func renumberable(spec *lab.Spec) error {
	if _, ok := renumberingISP(spec); ok {
		return nil
	}
	return fmt.Errorf("no node of lab %s gives the router's WAN its address by DHCP or PPPoE (isp: {kind: dhcp} or {kind: pppoe}), so it is static and cannot be renumbered", spec.Name)
}

// CanRenumberWANTo says why the lab's ISP cannot give the router's WAN the
// address a renumber-wan step names: one outside the ISP's customer
// network, its network or broadcast address, or one a lab member holds
// (the ISP's own). The step was accepted at load and then ended the run,
// with the lab up, in the ISP agent's JSON (f69 N2).
func (t topology) CanRenumberWANTo(to netip.Addr) error {
	isp, ok := renumberingISP(t.spec)
	if !ok {
		return nil // CanRenumberWAN says why
	}
	offer := ispOffer(t.spec, isp)
	var subnet netip.Prefix
	for _, nw := range t.spec.Networks {
		if offer.IsValid() && nw.Subnet.Contains(offer) {
			subnet = nw.Subnet.Masked()
		}
	}
	if !subnet.IsValid() {
		return nil
	}
	suggest := nextFreeAddr(t.spec, offer)
	if !subnet.Contains(to) || to == subnet.Addr() || !subnet.Contains(to.Next()) {
		return fmt.Errorf("to %s is not a host address of %s, the network %s gives the router's WAN its address on (such as %s)", to, subnet, isp, suggest)
	}
	for _, n := range t.spec.Nodes {
		for _, in := range n.Interfaces {
			if in.Address == to {
				return fmt.Errorf("to %s is %s's own address; the router's WAN can take a free address of %s, such as %s", to, n.Name, subnet, suggest)
			}
		}
	}
	return nil
}

// renumberingISP is the node that gives the router's WAN its address and
// can give it another: its DHCP server, else the PPPoE ISP on the WAN
// port's network (or a VLAN of its wire), which hangs up the session so
// that the router dials again (labagent renumber). A PPPoE WAN was
// refused before (f69 D1), though it is the forum's commonest dynamic one.
func renumberingISP(spec *lab.Spec) (string, bool) {
	if isp, ok := spec.DHCPISP("wan"); ok {
		return isp, true
	}
	iface, ok := spec.RouterIface("wan", netip.Addr{})
	if !ok {
		return "", false
	}
	i, err := strconv.Atoi(strings.TrimPrefix(iface, "ether"))
	if err != nil || i < 1 || i > len(spec.Router.Ports) {
		return "", false
	}
	network := spec.Router.Ports[i-1].Network
	for _, n := range spec.Nodes {
		if n.ISP == nil || n.ISP.Kind != lab.ISPPPPoE {
			continue
		}
		for _, in := range n.Interfaces {
			if in.Network == network {
				return n.Name, true
			}
			if nw, ok := spec.Network(in.Network); ok && nw.Trunk == network {
				return n.Name, true
			}
		}
	}
	return "", false
}

// labEnv resolves scenario names in the running lab. Router addresses are
// asked of the router itself, so they follow the configuration (and a WAN
// address that changed) rather than what the lab file planned.
type labEnv struct {
	spec *lab.Spec
	rc   *ros.Client
	ex   probe.Execer
	// progress shows the renumbering wait on a terminal's status line.
	progress io.Writer
	// routers are the API clients of the lab's more routers (routers:),
	// for the configure steps that name one.
	routers moreRouters
}

// NodeAddr6 is a host node's planned IPv6 address: that of its first
// interface with one.
func (e *labEnv) NodeAddr6(name string) (netip.Addr, error) {
	for _, n := range e.spec.Nodes {
		if n.Name != name {
			continue
		}
		for _, in := range n.Interfaces {
			if in.Address6.IsValid() {
				return in.Address6, nil
			}
		}
		return netip.Addr{}, fmt.Errorf("lab node %q has no IPv6 address", name)
	}
	return netip.Addr{}, fmt.Errorf("no lab node %q", name)
}

func (e *labEnv) NodeAddr(name string) (netip.Addr, error) {
	if a, ok := e.spec.PublicAddr(name); ok {
		return a, nil
	}
	for _, n := range e.spec.Nodes {
		if n.Name == name && len(n.Interfaces) > 0 {
			if n.Interfaces[0].DHCP || n.Interfaces[0].PPPoE != nil {
				return e.leasedAddr(name)
			}
			return n.Interfaces[0].Address, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("no lab node %q", name)
}

func (e *labEnv) RouterAddr(ctx context.Context, port, near string) (netip.Addr, error) {
	// The router's LAN address as near sees it: the router port on
	// near's network. Without one, the first LAN port.
	var nearAddr netip.Addr
	if n, err := e.NodeAddr(near); near != "" && err == nil {
		nearAddr = n
	}
	iface, ok := e.spec.RouterIface(port, nearAddr)
	if !ok {
		return netip.Addr{}, fmt.Errorf("lab %s has no router.%s", e.spec.Name, port)
	}
	labAddrs := portLabAddrs(e.spec, iface)
	labIface := iface
	iface = e.portName(ctx, iface)
	if err := checkInterface(ctx, e.rc, iface, port); err != nil {
		return netip.Addr{}, err
	}
	l3, err := e.l3Interface(ctx, iface)
	if err != nil {
		return netip.Addr{}, err
	}
	if port == "lan" && nearAddr.IsValid() {
		// A host in a VLAN of a trunk port sees the router on the VLAN
		// interface that holds its subnet (vlan.go).
		if a, ok := vlanAddr(ctx, e.rc, l3, nearAddr); ok {
			return a, nil
		}
	}
	names, sessions := e.l3Names(ctx, port, iface, l3)
	return portAddr(ctx, e.rc, port, names, sessions, foreignSubnets(e.spec, labIface), nearAddr, labAddrs...)
}

// portL3 is lab port port's name in the configuration (portName) and its
// L3 interface (l3Interface); ok is false when the lab has no such port or
// the router cannot be read.
func (e *labEnv) portL3(ctx context.Context, port string) (name, l3 string, ok bool) {
	iface, ok := e.spec.RouterIface(port, netip.Addr{})
	if !ok {
		return "", "", false
	}
	name = e.portName(ctx, iface)
	l3, err := e.l3Interface(ctx, name)
	if err != nil {
		return "", "", false
	}
	return name, l3, true
}

// sessionsDown names the PPPoE clients on lab port port when the port has
// some and none of them holds an address: a WAN whose session is not up.
// It is nil otherwise, and when the router cannot be read.
func (e *labEnv) sessionsDown(ctx context.Context, port string) []string {
	name, l3, ok := e.portL3(ctx, port)
	if !ok {
		return nil
	}
	_, sessions := e.l3Names(ctx, port, name, l3)
	return addressless(ctx, e.rc, sessions)
}

// addressless is sessions when there are some and none holds an
// address, else nil.
func addressless(ctx context.Context, p printer, sessions []string) []string {
	if len(sessions) == 0 {
		return nil
	}
	rows, _, err := addrRows(ctx, p, sessions, nil)
	if err != nil || len(rows) > 0 {
		return nil
	}
	return sessions
}

// portAddr is the router's address for a lab port whose interfaces are
// names: a PPPoE session's (sessionAddr) when one of sessions has one
// that is router.wan, else addrOn's.
func portAddr(ctx context.Context, p printer, port string, names, sessions []string, foreign []netip.Prefix, near netip.Addr, labAddrs ...netip.Addr) (netip.Addr, error) {
	if a, ok := sessionAddr(ctx, p, names, sessions, foreign, near, labAddrs...); ok {
		return a, nil
	}
	return addrOn(ctx, p, port, names, foreign, append([]netip.Addr{near}, labAddrs...)...)
}

// sessionAddr is router.wan on a port with PPPoE clients (sessions): the
// address of a session, the one the ISP gives, and not an address of the
// port under it. Read with the rest by addrOn, the port's own address
// (an ONT's 10.254.11.2/24 under pppoe-out1) held the port's lab address
// and won over the session's once renumber-wan had moved the session
// off the ISP's first offer: renumber-wan then waited 60 s for its new
// address and failed (chk59). A host on a subnet of the port's own
// addresses (the ONT's management network) still reaches the router
// there, and with no session address up there is no answer here: addrOn
// decides both as before.
func sessionAddr(ctx context.Context, p printer, names, sessions []string, foreign []netip.Prefix, near netip.Addr, labAddrs ...netip.Addr) (netip.Addr, bool) {
	if len(sessions) == 0 {
		return netip.Addr{}, false
	}
	rows, _, err := addrRows(ctx, p, names, foreign)
	if err != nil {
		return netip.Addr{}, false
	}
	var session []map[string]string
	for _, r := range rows {
		if slices.Contains(sessions, r["interface"]) {
			session = append(session, r)
			continue
		}
		if a, err := netip.ParsePrefix(r["address"]); err == nil && near.IsValid() && a.Contains(near) {
			return netip.Addr{}, false
		}
	}
	return nearAddress(session, append([]netip.Addr{near}, labAddrs...)...)
}

// foreignSubnets are the subnets of the lab networks on the router's other
// ports, not on port iface's own network (or a VLAN the lab carries on its
// wire): an address there is not the router's address on iface, even when
// an interface addrOn searches holds it. A WAN port left in the LAN bridge
// (an RB5009 defconf with sfp-sfpplus1 still a bridge port) has the
// bridge as its L3 interface, and router.wan once resolved to the bridge's
// LAN address and renumber-wan to a LAN address (forum45 D8). An interface
// the scenario names itself (router.vlan20, router.bridge1) is no lab port
// and has no other port's networks: its addresses are what was asked for
// (vlan20 on the trunk port holds the servers VLAN's gateway).
func foreignSubnets(spec *lab.Spec, iface string) []netip.Prefix {
	own := map[string]bool{}
	ownSubnet := map[string]bool{} // SubnetNetwork of iface's networks (segment-of)
	for i, p := range spec.Router.Ports {
		if lab.PortName(i) == iface {
			own[p.Network] = true
			if nw, ok := spec.Network(p.Network); ok {
				ownSubnet[nw.SubnetNetwork()] = true
			}
		}
	}
	if len(own) == 0 {
		return nil
	}
	var out []netip.Prefix
	for _, nw := range spec.Networks {
		// Another segment of iface's own subnet (segment-of) is no
		// foreign subnet: a bridge of the two ports holds its address.
		if own[nw.Name] || own[nw.Trunk] || ownSubnet[nw.SubnetNetwork()] || !nw.Subnet.IsValid() {
			continue
		}
		for i, p := range spec.Router.Ports {
			if lab.PortName(i) != iface && (p.Network == nw.Name || p.Network == nw.Trunk) {
				out = append(out, nw.Subnet.Masked())
				break
			}
		}
	}
	return out
}

// addrOn is the router's address on names: the one on the subnet of the
// first of prefer that one of them holds (near's, then the port's lab
// addresses), else the first address of the first name that has one. All
// names are searched for prefer before any first address is taken: a WAN
// port's static address (a cable modem's 192.168.100.x) comes before the
// PPPoE client's address under it, and the internet's peer, on no subnet
// of the port, once got the static one and was unreachable. An address in
// one of foreign (another port's lab network) is passed over: the port's
// bridge holds it for that other network (foreignSubnets).
func addrOn(ctx context.Context, p printer, port string, names []string, foreign []netip.Prefix, prefer ...netip.Addr) (netip.Addr, error) {
	all, skipped, err := addrRows(ctx, p, names, foreign)
	if err != nil {
		return netip.Addr{}, err
	}
	if a, ok := nearAddress(all, prefer...); ok {
		return a, nil
	}
	msg := fmt.Sprintf("router has no address on %s (router.%s)", strings.Join(names, " or "), port)
	if len(skipped) > 0 {
		msg += fmt.Sprintf(" but %s, on another port's lab network: is the port a port of that network's bridge?", strings.Join(skipped, ", "))
		return netip.Addr{}, &foreignOnlyError{&scenario.NoAddressError{Msg: msg}}
	}
	return netip.Addr{}, &scenario.NoAddressError{Msg: msg}
}

// addrRows are the enabled addresses on names, but those in one of
// foreign, which skipped names ("10.0.0.1/24 on bridge").
func addrRows(ctx context.Context, p printer, names []string, foreign []netip.Prefix) (rows []map[string]string, skipped []string, err error) {
	for _, name := range names {
		got, err := p.Print(ctx, "/ip/address", "?interface="+name, "?disabled=false")
		if err != nil {
			return nil, nil, err
		}
		for _, r := range got {
			if a, err := netip.ParsePrefix(r["address"]); err == nil && slices.ContainsFunc(foreign, func(f netip.Prefix) bool { return f.Contains(a.Addr()) }) {
				skipped = append(skipped, r["address"]+" on "+name)
				continue
			}
			rows = append(rows, r)
		}
	}
	return rows, skipped, nil
}

// foreignOnlyError is addrOn's no-address error when the port's interfaces
// hold addresses only on another port's lab network: the port is a port of
// that network's bridge, and no address of its own will come (waitAddresses
// does not wait for one). It is a scenario.NoAddressError to the steps.
type foreignOnlyError struct{ *scenario.NoAddressError }

func (e *foreignOnlyError) Unwrap() error { return e.NoAddressError }

// nextFreeAddr is the address renumber-wan offers by default: the next one
// after old in its lab network that no lab member holds (the ISP often sits
// right above a router at .1), past the broadcast address back to the
// first host.
func nextFreeAddr(spec *lab.Spec, old netip.Addr) netip.Addr {
	taken := map[netip.Addr]bool{old: true}
	var subnet netip.Prefix
	for _, p := range spec.Router.Ports {
		taken[p.Address] = true
	}
	for _, n := range spec.Nodes {
		for _, in := range n.Interfaces {
			taken[in.Address] = true
		}
	}
	for _, nw := range spec.Networks {
		if nw.Subnet.Contains(old) {
			subnet = nw.Subnet
		}
	}
	if !subnet.IsValid() {
		return old.Next()
	}
	first := subnet.Masked().Addr().Next()
	a := old
	for range 1 << (32 - subnet.Bits()) {
		a = a.Next()
		if !subnet.Contains(a.Next()) { // a is the broadcast address
			a = first
		}
		if !taken[a] {
			return a
		}
	}
	return old.Next()
}

// portLabAddrs are the lab addresses of router port iface (etherN): its
// own, then the address each ISP offers on the port's network or on a VLAN
// the lab carries on its wire (a PPPoE ISP in VLAN 6); none for any other
// interface. A port may also hold addresses the lab does not route, such
// as an export's static WAN address beside the DHCP lease it also takes
// there: the router's address whose prefix holds one of these is the one
// the lab's peers reach, and renumber-wan moves.
func portLabAddrs(spec *lab.Spec, iface string) []netip.Addr {
	var out []netip.Addr
	for i, p := range spec.Router.Ports {
		if lab.PortName(i) != iface {
			continue
		}
		out = append(out, p.Address)
		for _, n := range spec.Nodes {
			if n.ISP == nil || !n.ISP.Offer.IsValid() {
				continue
			}
			if nw, ok := spec.Network(n.ISP.Customer); ok && (nw.Name == p.Network || nw.Trunk == p.Network) {
				out = append(out, n.ISP.Offer)
			}
		}
	}
	return out
}

// l3Names lists the interfaces that may hold the router's address for a
// lab port: its L3 interface (the port or its bridge), the VLAN interfaces
// on either whose id the lab carries tagged on the port's wire (an ISP in
// VLAN 35, an office VLAN behind a trunk), and the PPPoE clients running
// on any of them (pppoe-out1), whose address the ISP gives; sessions
// names those clients.
func (e *labEnv) l3Names(ctx context.Context, port, iface, l3 string) (names, sessions []string) {
	names, clients := e.pppoeUnder(ctx, port, iface, l3)
	names = withBridges(ctx, e.rc, names)
	for _, r := range clients {
		if !slices.Contains(names, r["name"]) {
			names = append(names, r["name"])
		}
		sessions = append(sessions, r["name"])
	}
	return names, sessions
}

// withBridges adds to names the bridge each is a port of: a VLAN the lab
// carries on a trunk port may be a port of a bridge that holds the
// address (an OLT's VLANs 100 and 103, each in a bridge of its own).
func withBridges(ctx context.Context, p printer, names []string) []string {
	out := slices.Clone(names)
	for _, n := range names {
		if b, err := l3Of(ctx, p, n); err == nil && b != "" && !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// pppoeUnder returns the port's L3 interface with the VLANs the lab carries
// on its wire (see l3Names), and the enabled PPPoE clients on the port or
// any of them.
func (e *labEnv) pppoeUnder(ctx context.Context, port, iface, l3 string) (names []string, clients []map[string]string) {
	names = []string{l3}
	if vids := e.wireVLANs(port); len(vids) > 0 {
		for _, under := range []string{iface, l3} {
			rows, err := e.rc.Print(ctx, "/interface/vlan", "?interface="+under, "?disabled=false")
			if err != nil {
				continue
			}
			for _, r := range rows {
				id, err := strconv.Atoi(r["vlan-id"])
				if err == nil && slices.Contains(vids, id) && !slices.Contains(names, r["name"]) {
					names = append(names, r["name"])
				}
			}
		}
	}
	unders := names
	if !slices.Contains(names, iface) {
		unders = append([]string{iface}, names...)
	}
	for _, under := range unders {
		if pp, err := e.rc.Print(ctx, "/interface/pppoe-client", "?interface="+under, "?disabled=false"); err == nil {
			clients = append(clients, pp...)
		}
	}
	return names, clients
}

// wireVLANs returns the VLAN ids the lab carries tagged on the wire of the
// router's port named port (wan, lan, etherN).
func (e *labEnv) wireVLANs(port string) []int {
	iface, ok := e.spec.RouterIface(port, netip.Addr{})
	if !ok {
		return nil
	}
	i, err := strconv.Atoi(strings.TrimPrefix(iface, "ether"))
	if err != nil || i < 1 || i > len(e.spec.Router.Ports) {
		return nil
	}
	wire := e.spec.Router.Ports[i-1].Network
	var vids []int
	for _, nw := range e.spec.Networks {
		if nw.Trunk == wire {
			vids = append(vids, nw.VLAN)
		}
	}
	return vids
}

// portName is the port's name in the configuration, which may have
// renamed it (set [ find default-name=ether1 ] name=wan): its addresses
// and clients name the new name.
func (e *labEnv) portName(ctx context.Context, iface string) string {
	if named, err := e.rc.Print(ctx, "/interface/ethernet", "?default-name="+iface); err == nil && len(named) == 1 && named[0]["name"] != "" {
		return named[0]["name"]
	}
	return iface
}

// pppoeDown reports whether the port's PPPoE client tried and failed (a
// refused password): its WAN stays without an address, which is what
// the scenario is about, not a lab that is not ready.
func (e *labEnv) pppoeDown(ctx context.Context, port string) bool {
	name, l3, ok := e.portL3(ctx, port)
	if !ok {
		return false
	}
	_, rows := e.pppoeUnder(ctx, port, name, l3)
	if len(rows) == 0 {
		return false
	}
	for _, r := range rows {
		if r["status"] != "disconnected" {
			return false
		}
	}
	return true
}

// alone reports whether the router's port i is the only thing on its
// network (no lab host, no trunk carrying it): nothing there can lease it
// an address, so a DHCP client on it (an IPTV port's, add-default-route=no,
// that the check wires to a network of its own) never gets one. Waited
// for, it failed the run after 30 s with "router has no address on
// ether3" (realcheck26 D8b).
func (e *labEnv) alone(i int) bool {
	nw := e.spec.Router.Ports[i].Network
	for _, n := range e.spec.Nodes {
		for _, in := range n.Interfaces {
			if in.Network == nw {
				return false
			}
		}
	}
	for j, pt := range e.spec.Router.Ports {
		if j != i && pt.Network == nw {
			return false
		}
	}
	for _, n := range e.spec.Networks {
		if n.Trunk == nw || n.Name == nw && n.Trunk != "" {
			return false
		}
	}
	return true
}

// waitAddresses waits until the router has an address on each of its
// ports.
func (e *labEnv) waitAddresses(ctx context.Context, budget time.Duration) error {
	deadline := time.Now().Add(budget)
	for i := range e.spec.Router.Ports {
		port := "ether" + strconv.Itoa(i+1)
		// alone asks the lab's spec only: first, before the router is asked.
		if e.alone(i) || e.taggedOnly(ctx, port) || e.unaddressed(ctx, port) {
			continue
		}
		for {
			_, err := e.RouterAddr(ctx, port, "")
			// A port in another network's bridge (a WAN port left in the
			// LAN bridge, forum45 D8) gets no address of its own: the
			// scenario's steps say so, the run is not given up.
			var foreign *foreignOnlyError
			if err == nil || errors.As(err, &foreign) || e.pppoeDown(ctx, port) {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("wait for the router's addresses: %w after %s", err, budget)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}

// RenumberWAN asks the lab's DHCP-serving or PPPoE ISP node to give the
// router a new address and waits until the router holds it.
func (e *labEnv) RenumberWAN(ctx context.Context, to netip.Addr) (scenario.Renumbered, error) {
	isp, ok := renumberingISP(e.spec)
	if !ok {
		return scenario.Renumbered{}, fmt.Errorf("renumber-wan: %w", renumberable(e.spec))
	}
	old, err := e.RouterAddr(ctx, "wan", "")
	// A PPPoE WAN whose session has no address (it never came up): what
	// RouterAddr read is an address of the port under it, not the WAN's,
	// and the next address after it is no address the ISP gives.
	down := e.sessionsDown(ctx, "wan")
	if len(down) > 0 {
		old, err = netip.Addr{}, &scenario.NoAddressError{Msg: "no address on " + strings.Join(down, " or ")}
	}
	var noAddr *scenario.NoAddressError
	switch {
	case errors.As(err, &noAddr) && ispOffer(e.spec, isp).IsValid():
		// The router holds no address on the WAN's lab network (its
		// DHCP client on a port of the LAN bridge, forum45 D8): the ISP
		// still offers the next address of its customer network, and the
		// wait below says the router did not take it, and why.
		if !to.IsValid() {
			to = nextFreeAddr(e.spec, ispOffer(e.spec, isp))
		}
	case err != nil:
		return scenario.Renumbered{}, err
	case !to.IsValid():
		to = nextFreeAddr(e.spec, old)
	}
	out, code, err := e.ex.Exec(ctx, isp, []string{probe.Agent, "renumber", "--to", to.String()})
	if err != nil {
		return scenario.Renumbered{}, fmt.Errorf("renumber-wan on %s to %s: %w: %s", isp, to, err, strings.TrimSpace(string(out)))
	}
	if code != 0 {
		return scenario.Renumbered{}, fmt.Errorf("renumber-wan on %s to %s (exit %d): %s", isp, to, code, strings.TrimSpace(string(out)))
	}
	start := time.Now()
	_, dhcp := e.spec.DHCPISP("wan")
	if e.progress != nil {
		wait := "to renew its lease"
		if !dhcp {
			wait = "to dial again"
		}
		statusline.Status(e.progress, fmt.Sprintf("renumber-wan: %s offers %s; waiting for the router %s", isp, to, wait))
	}
	// The router learns the new address at its next renewal (half the
	// lease time) or, at worst, when the lease runs out; a minute covers
	// the short leases labs use. A PPPoE client dials again within
	// seconds of the hang-up.
	deadline := start.Add(60 * time.Second)
	for {
		cur, err := e.RouterAddr(ctx, "wan", "")
		if err == nil && cur == to {
			r := scenario.Renumbered{New: to.String(), LeaseAfter: time.Since(start).Seconds(), PPPoE: !dhcp}
			if old.IsValid() {
				r.Old = old.String()
			}
			return r, nil
		}
		if time.Now().After(deadline) {
			has := "no address"
			if cur.IsValid() {
				has = cur.String()
			}
			if down := e.sessionsDown(ctx, "wan"); len(down) > 0 {
				// Its port's own address is no answer here (chk59 read
				// "it has 10.254.11.2" of a session that never came up).
				return scenario.Renumbered{}, fmt.Errorf("renumber-wan: the router did not take %s within 60s: its PPPoE client %s has no address (the session is not up)", to, strings.Join(down, ", "))
			}
			return scenario.Renumbered{}, fmt.Errorf("renumber-wan: the router did not take %s within 60s (it has %s: %v)", to, has, err)
		}
		select {
		case <-ctx.Done():
			return scenario.Renumbered{}, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ispOffer is the address the lab's ISP node isp offers the router: its
// offer, else the router port's lab address on its customer network (as
// the lab's parser gives it); the zero address if neither.
func ispOffer(spec *lab.Spec, isp string) netip.Addr {
	for _, n := range spec.Nodes {
		if n.Name != isp || n.ISP == nil {
			continue
		}
		if n.ISP.Offer.IsValid() {
			return n.ISP.Offer
		}
		for _, p := range spec.Router.Ports {
			if p.Network == n.ISP.Customer && p.Address.IsValid() {
				return p.Address
			}
		}
	}
	return netip.Addr{}
}

// Configure applies a scenario step's .rsc text, then has the lab's hosts
// resolve the router's addresses anew (forgetNeighbours): the next probe
// judges the step's configuration, not a neighbour entry an earlier probe
// left failing.
func (e *labEnv) Configure(ctx context.Context, file string, line int, rsc string) error {
	if err := e.rc.Apply(ctx, fmt.Sprintf("%s (rsc of the step at line %d)", file, line), e.spec.PortDefaults([]byte(rsc))); err != nil {
		return err
	}
	// The flush only guards the next probe against a leftover entry: the
	// step's configuration is applied, so a host that cannot flush (an
	// image without iproute2's nud filter, an exec hiccup) is a note on
	// the console, not a failed step.
	if err := forgetNeighbours(ctx, e.ex, nodeNames(e.spec)); err != nil && e.progress != nil {
		fmt.Fprintf(e.progress, "configure: %v; the next probe may meet an entry left from before the step\n", err)
	}
	return nil
}

// prober runs scenario steps through labagent in the lab's containers,
// and reads the router's own tables over its API.
type prober struct {
	l  *lab.Lab
	rc *ros.Client
	// raw keeps each step's raw output for the run's artifacts; nil keeps
	// nothing.
	raw *rawOutputs
	// onProbe is called before every probe (each try of a retried step).
	onProbe func(scenario.Step)
	// nodes gives a node's address, for a conntrack step from a node.
	nodes interface {
		NodeAddr(name string) (netip.Addr, error)
	}
	// capture, when set, pauses the run's packet captures over load steps.
	capture *capturePauser
	// load, when set, makes the load steps of the host's chrlab runs take turns.
	load *loadLock
	// routers are the API clients of the lab's more routers, for the
	// steps that read one of them (OnRouter).
	routers moreRouters
}

// loadKinds are the steps that push the router as hard as the prober can
// (or fill its table): the captures pause over them.
var loadKinds = map[scenario.Kind]bool{scenario.CPS: true, scenario.Iperf: true, scenario.ConntrackRate: true, scenario.ConntrackFill: true}

func (p prober) Probe(ctx context.Context, st scenario.Step, to netip.AddrPort) (scenario.Observation, error) {
	if err := p.load.before(ctx, loadKinds[st.Probe]); err != nil {
		return scenario.Observation{}, err
	}
	p.capture.before(ctx, loadKinds[st.Probe])
	return p.probeStep(ctx, st, to)
}

// probeStep runs one step's probe.
func (p prober) probeStep(ctx context.Context, st scenario.Step, to netip.AddrPort) (scenario.Observation, error) {
	timeout := st.Timeout
	if timeout == 0 {
		// Two seconds: a LAN round trip is well under a millisecond, so a
		// connection that has not opened by then is not going to; TCP
		// sends its SYN again after one second, and the second try must
		// fit. A UDP probe sends its own three datagrams a third of the
		// timeout apart, so one second serves it: still hundreds of
		// round trips of a router emulated without KVM.
		timeout = 2 * time.Second
		if st.Probe == scenario.UDP {
			timeout = time.Second
		}
		if st.Probe == scenario.L2TP || st.Probe == scenario.SSTP || st.Probe == scenario.OVPN {
			// A dial is a control connection, a call and PPP; an
			// unanswered one has its SCCRQ resent at 1, 2, 4 and 8 s.
			timeout = 15 * time.Second
		}
	}
	if p.onProbe != nil {
		p.onProbe(st)
	}
	switch st.Probe {
	case scenario.ConntrackRate:
		return p.conntrackRate(ctx, st, to)
	case scenario.ConntrackFill:
		return p.conntrackFill(ctx, st, to)
	case scenario.CPS, scenario.Flow:
		// Both load the router's connection table (a cps step by thousands of
		// entries): the report draws how it grew and drained.
		return p.withTable(ctx, func(ctx context.Context) (scenario.Observation, error) {
			return p.probe(ctx, st, to, timeout)
		})
	}
	return p.probe(ctx, st, to, timeout)
}

// probe runs one agent probe, or the router's connection table for a conntrack step.
func (p prober) probe(ctx context.Context, st scenario.Step, to netip.AddrPort, timeout time.Duration) (scenario.Observation, error) {
	var (
		r   probe.Result
		err error
	)
	ex := p.raw.recorder(p.l, st)
	if o, handled, err := p.extra(ctx, st, to, timeout); handled {
		return o, err
	}
	switch st.Probe {
	case scenario.TCP:
		r, err = probe.TCP(ctx, ex, st.From, to.String(), probe.ConnectOptions{Timeout: timeout})
	case scenario.UDP:
		r, err = probe.UDP(ctx, ex, st.From, to.String(), probe.ConnectOptions{Timeout: timeout})
	case scenario.Iperf:
		secs := st.Seconds
		if secs == 0 {
			secs = 1
		}
		r, err = probe.Iperf(ctx, ex, st.From, to.Addr().String(), probe.IperfOptions{Port: int(to.Port()), Seconds: secs, Affinity: st.Affinity})
	case scenario.CPS:
		r, err = probe.CPS(ctx, ex, st.From, to.String(), probe.CPSOptions{Duration: st.CPSDuration()})
	case scenario.Conntrack:
		return p.conntrack(ctx, st, to)
	case scenario.DNS:
		r, err = probe.DNS(ctx, ex, st.From, to.String(), st.Name, probe.DNSOptions{TCP: st.Transport == "tcp", Timeout: timeout})
	default:
		return scenario.Observation{}, fmt.Errorf("probe %q is not implemented", st.Probe)
	}
	if err != nil {
		return scenario.Observation{}, err
	}
	o := scenario.Observation{
		Result:        string(r.Result),
		ServerName:    r.ServerName,
		ServerSaw:     r.ServerSaw,
		ServerSawPort: r.ServerSawPort,
		Millis:        r.ConnectMS,
		BitsPerSecond: r.BitsPerSecond,
		Retransmits:   r.Retransmits,
		Answers:       r.Answers,
		PerSecond:     r.PerSecond,
		P50:           r.P50MS,
		P99:           r.P99MS,
		Detail:        r.Error,
	}
	return o, nil
}

// conntrack reads the router's connection table for entries whose original
// destination is to (and, for a step with from, whose original source is that
// node), and sums up how they were translated: hairpin connections show both
// dstnat and srcnat.
func (p prober) conntrack(ctx context.Context, st scenario.Step, to netip.AddrPort) (scenario.Observation, error) {
	rows, err := p.rc.Print(ctx, "/ip/firewall/connection", "?dst-address="+to.String())
	if err != nil {
		return scenario.Observation{}, err
	}
	if st.From != "" {
		if p.nodes == nil {
			return scenario.Observation{}, fmt.Errorf("conntrack from %s: this prober cannot resolve nodes", st.From)
		}
		from, err := p.nodes.NodeAddr(st.From)
		if err != nil {
			return scenario.Observation{}, err
		}
		rows = fromSource(rows, from)
	}
	p.raw.keep(st, "txt", printRows(rows))
	return connObservation(rows), nil
}

// fromSource keeps the rows whose original source address is from. The API
// has no query on the address part of "address:port", so the rows are
// filtered here.
func fromSource(rows []map[string]string, from netip.Addr) []map[string]string {
	var kept []map[string]string
	for _, r := range rows {
		src := r["src-address"]
		a, err := netip.ParseAddr(src)
		if ap, perr := netip.ParseAddrPort(src); perr == nil {
			a, err = ap.Addr(), nil
		}
		if err == nil && a == from {
			kept = append(kept, r)
		}
	}
	return kept
}

// connObservation sums up connection rows: how many, how many of them each translation touched,
// and the most translated of them ("both" when one was dst-nat and src-nat translated, as a
// hairpin connection is).
func connObservation(rows []map[string]string) scenario.Observation {
	o := scenario.Observation{Result: "ok", Count: len(rows), NAT: "none"}
	rank := map[string]int{"none": 0, "srcnat": 1, "dstnat": 2, "both": 3}
	for _, r := range rows {
		nat := "none"
		src, dst := r["srcnat"] == "true", r["dstnat"] == "true"
		if src {
			o.SrcNATed++
		}
		if dst {
			o.DstNATed++
		}
		if src && dst {
			o.BothNATed++
		}
		switch {
		case src && dst:
			nat = "both"
		case dst:
			nat = "dstnat"
		case src:
			nat = "srcnat"
		}
		if rank[nat] > rank[o.NAT] {
			o.NAT = nat
		}
	}
	if len(rows) == 0 {
		o.NAT = ""
	}
	return o
}
