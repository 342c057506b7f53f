package config

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /ip dhcp-client menu (docs/routeros.md). The engine keeps the configuration
// and what the DHCP service (rosemu/service/dhcp) reports about each
// client's lease; the service speaks DHCP on the wire and calls SetLease,
// SetDHCPStatus and RunScript. While a client is bound, its lease shows as a
// dynamic /ip address and, with add-default-route, dynamic /ip route
// entries: they are derived from the lease on every read, so removing or
// disabling the client removes them in the same transaction.

// DHCPClient is one /ip dhcp-client entry as the DHCP service needs it.
type DHCPClient struct {
	ID        string
	Interface string
	Disabled  bool
	// Script is the lease script's source, run on lease changes.
	Script string
}

// DHCPService is told the /ip dhcp-client entries after every committed
// change: package rosemu/service/dhcp implements it. The engine calls
// Update with the router's lock held, so Update must return quickly and
// must not call back into the Router.
type DHCPService interface {
	Update([]DHCPClient)
}

// Lease is what a DHCP client obtained from a server.
type Lease struct {
	// Address is the leased address with the subnet mask's length.
	Address netip.Prefix
	// Gateway is the first router of option 3; invalid when none came.
	Gateway netip.Addr
	// Server is the server identifier (option 54).
	Server netip.Addr
	// DNS are the servers of option 6.
	DNS []netip.Addr
	// Routes are the classless static routes of option 121.
	Routes []LeaseRoute
	// Expires is when the lease ends unless renewed.
	Expires time.Time
}

// LeaseRoute is one classless static route of a lease.
type LeaseRoute struct {
	Dst     netip.Prefix
	Gateway netip.Addr
}

// leaseTable holds one item per client that the service reported on, with
// the client's id. No menu shows it, so it is neither printed nor exported.
const leaseTable = "ip dhcp-client lease"

// dhcpClientTable is the table of /ip dhcp-client.
const dhcpClientTable = "ip dhcp-client"

// Ids of the derived dynamic items: the base plus the client's id (routes:
// plus the client's id shifted left by 8 and the route's index), so that an
// item keeps its id while the lease stays.
const (
	dhcpAddrID  = 0x50000000
	dhcpRouteID = 0x60000000
)

var dhcpClientMenu = &menu{
	path: "ip dhcp-client",
	props: []*prop{
		{name: "interface", parse: pInterface, required: true},
		{name: "add-default-route", parse: pEnum("yes", "no", "special-classless"), def: "yes", show: true},
		{name: "default-route-distance", parse: pInt(0, 255), def: "1", show: true},
		{name: "use-peer-dns", parse: pBool, def: "yes", show: true, isBool: true},
		// use-peer-ntp is accepted for compatibility and has no effect:
		// rosemu has no NTP client.
		{name: "use-peer-ntp", parse: pBool, def: "yes", show: true, isBool: true},
		{name: "script", parse: pLeaseScript},
		comment, disabled,
	},
	check:    checkDHCPClient,
	readonly: dhcpClientStatus,
	// A client that has no lease yet has none of these: get gives
	// nothing (DDNS scripts read [/ip dhcp-client get [find
	// interface=ether1] address] and test its length).
	maybeAbsent: []string{"address", "gateway", "dhcp-server", "primary-dns", "secondary-dns", "expires-after"},
	columns:     []string{"interface", "use-peer-dns", "add-default-route", "status", "address"},
}

// pLeaseScript takes a lease script (DHCP server lease-script, DHCP client
// script) whether or not it compiles, as RouterOS stores a script that
// does not (a 6.44 export's lease script has ":foreach i in \$deladdr
// do={", which rosemu's parser reads as a syntax error, and real lease
// scripts call /tool fetch and /tool e-mail send, which rosemu lacks).
// Such a script is stored, validate reports it with the parser's message
// and position inside the script, and it fails, logged, when a lease runs
// it. Both were refused before ("missing value for argument in",
// "bad command name fetch").
func pLeaseScript(t *tx, name, v string) (string, error) {
	if err := leaseScriptErr(t.r, v); err != nil {
		t.r.sys.scriptGap = name + ": the script does not compile in rosemu (" + err.Error() + "): it is stored, and fails in rosemu when a lease runs it"
	}
	return v, nil
}

func leaseScriptErr(r *Router, v string) error {
	_, err := script.ParseWith(v, script.ParseOptions{Schema: r.tree, Version: r.opts.Version})
	return err
}

// checkDHCPClient allows one client per interface and forgets the lease of
// a client that is disabled or moved to another interface: its dynamic
// address and route go in the same transaction, and the service releases
// the lease when it sees the change. [verify] RouterOS's wording of the
// duplicate-interface failure.
func checkDHCPClient(t *tx, it *item) error {
	for _, x := range t.m.tables[dhcpClientTable] {
		// A disabled client may share the interface: a 6.48 export has
		// "add interface=bridge1" (disabled, 6's default) and "add
		// disabled=no interface=bridge1".
		if x.id != it.id && x.props["interface"] == it.props["interface"] && !x.disabled() && !it.disabled() {
			return errFailure("interface", "dhcp-client on that interface already exists")
		}
	}
	if l := leaseOf(t.m, it.id); l != nil && (it.disabled() || l.props["interface"] != it.props["interface"]) {
		dropLease(t.m, it.id)
	}
	return nil
}

func leaseOf(m *model, id uint64) *item { return tableItem(m, leaseTable, id) }

func dropLease(m *model, id uint64) { dropTableItem(m, leaseTable, id) }

// boundLease returns the lease of an enabled client whose lease is bound on
// the client's current interface.
func boundLease(m *model, c *item) (*item, bool) {
	// An invalid client (on a bridge port) holds no lease: its address,
	// routes and DNS servers go while it is.
	if c.disabled() || dhcpClientInvalid(m, c) {
		return nil, false
	}
	l := leaseOf(m, c.id)
	if l == nil || l.props["address"] == "" || l.props["interface"] != c.props["interface"] {
		return nil, false
	}
	return l, true
}

func dhcpClientStatus(t *tx, it *item) []Prop {
	invalid := Prop{"invalid", boolAPI(dhcpClientInvalid(t.m, it))}
	if it.disabled() || invalid.Value == "true" {
		return []Prop{{"status", "stopped"}, invalid}
	}
	return append(boundStatus(t, it), invalid)
}

// dhcpClientInvalid reports whether RouterOS shows a DHCP client invalid
// (flag I, invalid=true over the API): its interface is an active bridge
// port, whose frames the bridge takes, so the client never runs and gets
// no lease; it has to go on the bridge (forum44 D7). Like an address on a
// bridge port (addressInvalid), it stays configured and becomes valid when
// the port leaves the bridge.
func dhcpClientInvalid(m *model, it *item) bool {
	return (&tx{m: m}).isSlave(it.props["interface"])
}

// boundStatus is the status of an enabled, valid client: searching until
// the service reports a lease, then the lease's properties.
func boundStatus(t *tx, it *item) []Prop {
	l := leaseOf(t.m, it.id)
	if l == nil || l.props["interface"] != it.props["interface"] {
		return []Prop{{"status", "searching..."}}
	}
	out := []Prop{{"status", l.props["status"]}}
	if l.props["address"] == "" {
		return out
	}
	dns := strings.Split(l.props["dns"], ",")
	out = append(out, Prop{"address", l.props["address"]}, Prop{"gateway", l.props["gateway"]}, Prop{"dhcp-server", l.props["dhcp-server"]})
	if dns[0] != "" {
		out = append(out, Prop{"primary-dns", dns[0]})
	}
	if len(dns) > 1 {
		out = append(out, Prop{"secondary-dns", dns[1]})
	}
	if exp, err := time.Parse(time.RFC3339Nano, l.props["expires"]); err == nil {
		left := max(exp.Sub(t.now).Round(time.Second), 0)
		out = append(out, Prop{"expires-after", script.FormatTimeCompact(left)})
	}
	return out
}

// dhcpAddresses are the dynamic /ip address items of bound clients.
func (t *tx) dhcpAddresses() []*item {
	var out []*item
	for _, c := range t.m.tables[dhcpClientTable] {
		l, ok := boundLease(t.m, c)
		if !ok {
			continue
		}
		p, err := netip.ParsePrefix(l.props["address"])
		if err != nil {
			continue
		}
		out = append(out, &item{id: dhcpAddrID + c.id, dynamic: true, props: map[string]string{
			"address": p.String(), "network": p.Masked().Addr().String(), "interface": c.props["interface"],
		}})
	}
	return out
}

// dhcpRoutes are the dynamic /ip route items of bound clients: with
// add-default-route=yes the classless routes when the lease has any (option
// 3 is then ignored, as RFC 3442 asks), else the default route via the
// gateway; special-classless gives both.
func (t *tx) dhcpRoutes() []*item {
	var out []*item
	for _, c := range t.m.tables[dhcpClientTable] {
		l, ok := boundLease(t.m, c)
		mode := c.props["add-default-route"]
		if !ok || mode == "no" {
			continue
		}
		dist := c.props["default-route-distance"]
		if dist == "" {
			dist = "1"
		}
		classless := parseLeaseRoutes(l.props["routes"])
		var routes []LeaseRoute
		if mode == "special-classless" || len(classless) == 0 {
			if gw, err := netip.ParseAddr(l.props["gateway"]); err == nil {
				routes = append(routes, LeaseRoute{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: gw})
			}
		}
		routes = append(routes, classless...)
		i := 0
		for _, tb := range leaseRouteTables(c.props["default-route-tables"], dist) {
			for _, r := range routes {
				// default-route-tables names where the default route goes; the classless
				// routes stay in main ([verify] on 7.x whether they follow the tables).
				if tb.table != "main" && r.Dst.Bits() != 0 {
					continue
				}
				it := &item{id: dhcpRouteID + c.id<<8 + uint64(i), dynamic: true, props: map[string]string{
					"dst-address": r.Dst.String(), "gateway": r.Gateway.String(), "distance": tb.distance,
				}}
				i++
				if tb.table != "main" {
					it.props["routing-table"] = tb.table
				}
				// RouterOS 7's check-gateway of the client watches the
				// gateway of the routes it adds, as the route's own does.
				if cg := c.props["check-gateway"]; cg == "ping" || cg == "arp" {
					it.props["check-gateway"] = cg
				}
				out = append(out, it)
			}
		}
	}
	return t.applyDynamicIn(out)
}

// leaseRouteTable is one routing table a DHCP client's default route goes to, with its distance.
type leaseRouteTable struct{ table, distance string }

// leaseRouteTables reads default-route-tables (RouterOS 7.x: "main:1,to_WAN1:2", "to_Hotspot",
// or "default", the main table at default-route-distance). A table without ":distance" takes
// default-route-distance. The value was checked when it was set (pDefaultRouteTables).
func leaseRouteTables(v, dist string) []leaseRouteTable {
	if v == "" || v == "default" {
		return []leaseRouteTable{{"main", dist}}
	}
	var out []leaseRouteTable
	for _, part := range strings.Split(v, ",") {
		name, d, ok := strings.Cut(part, ":")
		if name == "default" {
			name = "main"
		}
		if !ok {
			d = dist
		}
		out = append(out, leaseRouteTable{name, d})
	}
	return out
}

// pDefaultRouteTables checks default-route-tables: "default", or a comma list of routing tables,
// each with an optional ":distance" (0-255). Real exports and scripts write "main",
// "to_Hotspot" and "main:1,to_WAN1:1,to_WAN2:1"; each table must exist as a route's
// routing-table must.
func pDefaultRouteTables(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", errInvalid(name)
	}
	for _, tb := range leaseRouteTables(v, "1") {
		if n, err := strconv.Atoi(tb.distance); err != nil || n < 0 || n > 255 {
			return "", errInvalid(name)
		}
		if tb.table == "main" {
			continue
		}
		if _, err := pRoutingTable(t, name, tb.table); err != nil {
			return "", err
		}
	}
	return v, nil
}

// isDHCPItem reports whether a derived item comes from a DHCP lease.
func isDHCPItem(it *item) bool {
	return it.dynamic && it.id >= dhcpAddrID && it.id < dhcpRouteID+1<<28
}

// dhcpDNS are the DNS servers of bound clients with use-peer-dns, for
// /ip dns dynamic-servers.
func dhcpDNS(m *model) []netip.Addr {
	var out []netip.Addr
	for _, c := range m.tables[dhcpClientTable] {
		l, ok := boundLease(m, c)
		if !ok || c.props["use-peer-dns"] == "no" {
			continue
		}
		out = append(out, addrList(l.props["dns"])...)
	}
	return out
}

func parseLeaseRoutes(s string) []LeaseRoute {
	var out []LeaseRoute
	for _, f := range strings.Split(s, ",") {
		dst, gw, ok := strings.Cut(f, "@")
		if !ok {
			continue
		}
		p, err1 := netip.ParsePrefix(dst)
		a, err2 := netip.ParseAddr(gw)
		if err1 == nil && err2 == nil {
			out = append(out, LeaseRoute{Dst: p, Gateway: a})
		}
	}
	return out
}

// leaseProps encodes a lease as the lease item stores it.
func leaseProps(iface string, l *Lease) map[string]string {
	p := map[string]string{"interface": iface, "status": "bound", "address": l.Address.String(), "dhcp-server": l.Server.String(), "expires": l.Expires.Format(time.RFC3339Nano)}
	if l.Gateway.IsValid() {
		p["gateway"] = l.Gateway.String()
	}
	var dns, routes []string
	for _, a := range l.DNS {
		dns = append(dns, a.String())
	}
	for _, r := range l.Routes {
		routes = append(routes, r.Dst.Masked().String()+"@"+r.Gateway.String())
	}
	p["dns"] = strings.Join(dns, ",")
	p["routes"] = strings.Join(routes, ",")
	return p
}

// dhcpClients lists the entries for the service.
func dhcpClients(m *model) []DHCPClient {
	var out []DHCPClient
	for _, c := range m.tables[dhcpClientTable] {
		// An invalid client (on a bridge port) does not run, as a
		// disabled one.
		out = append(out, DHCPClient{ID: c.ID(), Interface: kernelName(m, c.props["interface"]), Disabled: c.disabled() || dhcpClientInvalid(m, c), Script: c.props["script"]})
	}
	return out
}

// DHCPClients returns the committed /ip dhcp-client entries.
func (r *Router) DHCPClients() []DHCPClient {
	r.mu.Lock()
	defer r.mu.Unlock()
	return dhcpClients(r.m)
}

// DHCPDNSServers returns the DNS servers learned from bound leases of
// clients with use-peer-dns=yes: /ip dns dynamic-servers.
func (r *Router) DHCPDNSServers() []netip.Addr {
	r.mu.Lock()
	defer r.mu.Unlock()
	return dhcpDNS(r.m)
}

// enabledClient finds the enabled client of an interface.
func enabledClient(m *model, iface string) (*item, error) {
	for _, c := range m.tables[dhcpClientTable] {
		if c.props["interface"] == iface {
			if c.disabled() {
				return nil, errors.New("set dhcp lease on " + iface + ": the dhcp-client of the interface is disabled")
			}
			return c, nil
		}
	}
	return nil, errors.New("set dhcp lease on " + iface + ": no dhcp-client on the interface")
}

// SetLease records the lease the DHCP client on iface holds (nil: the
// lease was lost, released or refused), as one transaction: the dynamic
// address and routes follow it into the kernel, or on failure nothing
// changes. A renewal that changes only the expiry is recorded without
// touching the kernel.
func (r *Router) SetLease(iface string, l *Lease) (err error) {
	defer guarded("DHCP lease of "+iface, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	iface = modelName(r.m, iface) // the service knows the kernel's name
	c, err := enabledClient(r.m, iface)
	if err != nil {
		return err
	}
	props := map[string]string{"interface": iface, "status": "searching..."}
	if l != nil {
		props = leaseProps(iface, l)
	}
	old := leaseOf(r.m, c.id)
	if old != nil && sameLease(old.props, props) {
		setLeaseItem(r.m, &item{id: c.id, props: props})
		return nil
	}
	t := r.begin(false)
	setLeaseItem(t.m, &item{id: c.id, props: props})
	t.changed = true
	if err := r.commit(t); err != nil {
		// The router's /log says why the WAN has no address, not only
		// rosemu's own log (topics dhcp,error as RouterOS files a DHCP
		// failure; [verify] RouterOS's wording, which has no such case:
		// this is rosemu's failure to apply the lease to its kernel).
		what := "lease"
		if a := props["address"]; a != "" {
			what = "address " + a
		}
		r.book.add(script.LogEntry{Time: time.Now(), Topics: "dhcp,error", Msg: "dhcp-client on " + iface + " failed to apply " + what + ": " + err.Error()})
		return err
	}
	// RouterOS logs the address a client gains or loses, topics dhcp,info
	// ("dhcp-client on ether1 got IP address 10.0.2.15").
	var was string
	if old != nil {
		was, _, _ = strings.Cut(old.props["address"], "/")
	}
	now, _, _ := strings.Cut(props["address"], "/")
	if was != now {
		if was != "" {
			r.book.add(script.LogEntry{Time: time.Now(), Topics: "dhcp,info", Msg: "dhcp-client on " + iface + " lost IP address " + was})
		}
		if now != "" {
			r.book.add(script.LogEntry{Time: time.Now(), Topics: "dhcp,info", Msg: "dhcp-client on " + iface + " got IP address " + now})
		}
	}
	return nil
}

// sameLease reports whether two leases give the same address, routes and
// DNS servers, so that the kernel and the DNS service need not hear of it.
func sameLease(a, b map[string]string) bool {
	for _, k := range []string{"interface", "address", "gateway", "dns", "routes"} {
		if a[k] != b[k] {
			return false
		}
	}
	return a["address"] != ""
}

// setLeaseItem replaces a client's lease item in m.
func setLeaseItem(m *model, it *item) { setTableItem(m, leaseTable, it) }

// SetDHCPStatus records the state of the client on iface while it has no
// lease or is renewing one (searching..., requesting..., renewing...,
// rebinding...). Status is not configuration: it changes the committed
// model without a transaction and without touching the kernel.
func (r *Router) SetDHCPStatus(iface, status string) (err error) {
	defer guarded("DHCP status of "+iface, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	iface = modelName(r.m, iface) // the service knows the kernel's name
	c, err := enabledClient(r.m, iface)
	if err != nil {
		return err
	}
	it := &item{id: c.id, props: map[string]string{"interface": iface}}
	if old := leaseOf(r.m, c.id); old != nil && old.props["interface"] == iface {
		it = old.clone()
	}
	it.props["status"] = status
	setLeaseItem(r.m, it)
	return nil
}

// RunScript runs a script source, such as a DHCP lease script, as one
// transaction. vars are the event variables the script
// may use without declaring them (docs/routeros.md); they are visible as globals
// while it runs and gone afterwards. A script that fails keeps what it did
// before the failure (endEvent) and writes an error line to /log naming the
// script and the failure, as RouterOS logs failing event scripts.
// [verify] RouterOS's exact wording of that log line.
func (r *Router) RunScript(ctx context.Context, name, src string, vars map[string]script.Value) (err error) {
	defer guarded("script run "+name, &err)
	ctx, cancel := bounded(ctx)
	defer cancel()
	b, err := script.ParseWith(src, script.ParseOptions{Schema: r.tree, Version: r.opts.Version})
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.appendLog(scriptErrorEntry(name, err))
		return toError(err)
	}
	t := r.begin(false)
	t.yield = true
	in := script.NewInterp(t)
	in.MaxSteps = MaxSteps
	for k, v := range r.globals {
		in.Globals[k] = v
	}
	for k, v := range vars {
		in.Globals[k] = v
	}
	t.env, t.envEvent = in.Globals, vars
	t.running = []*script.Interp{in}
	err = in.Run(ctx, b)
	r.appendLog(in.Log...)
	if err = r.endEvent(t, name, err); err != nil {
		return toError(err)
	}
	for k := range vars {
		if old, ok := r.globals[k]; ok {
			in.Globals[k] = old
		} else {
			delete(in.Globals, k)
		}
	}
	r.globals = in.Globals
	return nil
}

func scriptErrorEntry(name string, err error) script.LogEntry {
	return script.LogEntry{Time: time.Now(), Topics: "script,error", Msg: name + ": script error: " + toError(err).Error()}
}

// appendLog keeps the newest 1000 entries, as Run does.
func (r *Router) appendLog(entries ...script.LogEntry) {
	r.book.add(entries...)
}

func joinAddrs(as []netip.Addr) string {
	var s []string
	for _, a := range as {
		s = append(s, a.String())
	}
	return strings.Join(s, ",")
}

// appendNewAddrs appends the addresses of add that list lacks.
func appendNewAddrs(list []netip.Addr, add ...netip.Addr) []netip.Addr {
	for _, a := range add {
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	return list
}

// RouterOS 6 creates a DHCP client and a DHCP server disabled unless
// disabled=no is given (the DHCP client's "disabled (yes | no; Default:
// yes)" of the manual's DHCP page). Every 6.x export writes "add
// disabled=no ..." for a running one, and the lines without it are the
// disabled ones: 6.38 to 6.49 defconf exports whose WAN has a static
// address write the defconf client as "add comment=defconf
// interface=ether1", a 6.48 ISP export has "add interface=bridge1"
// beside "add disabled=no interface=bridge1", and a 6.28 export has two
// servers on one interface, neither with disabled=no. RouterOS 7 creates
// them enabled.
func v6DisabledOnAdd(m *menu) {
	if m.commands == nil {
		m.commands = map[string]menuCommand{}
	}
	m.exportV6 = map[string]string{"disabled": "no"}
	// and nothing on a disabled one: no 6.x export writes disabled=yes
	// there (realcheck33 D7).
	m.omitV6 = map[string]string{"disabled": "yes"}
	m.commands["add"] = menuCommand{run: func(t *tx, req *request) (result, error) {
		if t.v6() {
			given := false
			for _, a := range req.args {
				given = given || a.name == "disabled"
			}
			if !given {
				req.args = append(req.args, namedArg{name: "disabled", value: "yes"})
			}
		}
		return t.add(req.menu, req)
	}}
}

func init() {
	v6DisabledOnAdd(dhcpClientMenu)
	v6DisabledOnAdd(dhcpServerMenu)
}
