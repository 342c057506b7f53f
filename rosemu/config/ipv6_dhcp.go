package config

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /ipv6 dhcp-client menu and the pools and addresses that follow from
// it (docs/routeros.md, "DHCPv6 client and prefix delegation"). The DHCPv6
// service (rosemu/service/dhcp6) speaks DHCPv6 on the wire and reports
// what the server gave with SetLease6; the engine turns it into:
//
//   - a dynamic /ipv6 pool named pool-name, holding the delegated prefix
//     cut into pool-prefix-length pieces;
//   - the /ipv6 address entries with from-pool=that pool: each takes the
//     next free piece, its host part from the entry's address (::1 makes
//     <piece>::1), and is advertised like any address;
//   - with add-default-route, a dynamic default route via the server's
//     address on the client's interface, and a blackhole route for the
//     delegated prefix (dropped without an answer), so that traffic to the
//     unused part of it is not sent back to the ISP (RFC 7084, WPD-5);
//   - the leased address (request=address) as a /128 on the interface.
//
// All of it is derived from the lease on every read, so disabling or
// removing the client, or losing the lease, takes it away in the same
// transaction.

// DHCP6Client is one /ip dhcp-client entry as the DHCPv6 service needs it.
type DHCP6Client struct {
	ID string
	// Interface is the kernel's link name.
	Interface string
	Disabled  bool
	// Address and Prefix say what the client asks for (request=).
	Address, Prefix bool
	// PrefixHint is the prefix (or only its length, ::/56) the client
	// asks for; invalid or ::/0 for no hint.
	PrefixHint netip.Prefix
	// RapidCommit asks for the two-message exchange (RFC 8415 18.2.1).
	RapidCommit bool
	// Script runs when the client gains or loses its lease.
	Script string
}

// DHCP6Service is told the /ipv6 dhcp-client entries after every committed
// change; package rosemu/service/dhcp6 implements it. Update is called
// with the router's lock held: it must return at once.
type DHCP6Service interface {
	Update([]DHCP6Client)
}

// DHCP6Commander is the optional side of a DHCP6Service that takes
// /ipv6 dhcp-client release and renew (see DHCPCommander).
type DHCP6Commander interface {
	DHCP6ClientCommand(iface, cmd string)
}

// Lease6 is what a DHCPv6 client holds.
type Lease6 struct {
	// Server is the address the server's reply came from (its link-local
	// address): the gateway of the default route.
	Server netip.Addr
	// Prefix is the delegated prefix (IA_PD); invalid when none.
	Prefix netip.Prefix
	// Address is the leased address (IA_NA); invalid when none.
	Address netip.Addr
	// DNS are the servers of the DNS option.
	DNS []netip.Addr
	// Expires is when the lease's valid lifetime ends unless renewed.
	Expires time.Time
}

// lease6Table holds one item per client the service reported on, with the
// client's id; no menu shows it.
const lease6Table = "ipv6 dhcp-client lease"

// Ids of the derived items: the base plus the client's id (shifted left by
// 8 for routes, plus the route's index).
const (
	dhcp6PoolID  = 0x70000000
	dhcp6AddrID  = 0x78000000
	dhcp6RouteID = 0x7c000000
)

// dhcp6Clients lists the entries for the service.
func dhcp6Clients(m *model) []DHCP6Client {
	var out []DHCP6Client
	for _, c := range m.tables["ipv6 dhcp-client"] {
		req := strings.Split(c.props["request"], ",")
		dc := DHCP6Client{ID: c.ID(), Interface: kernelName(m, c.props["interface"]), Disabled: c.disabled(),
			Address: slices.Contains(req, "address"), Prefix: slices.Contains(req, "prefix"),
			RapidCommit: c.props["rapid-commit"] != "no", Script: c.props["script"]}
		if p, err := netip.ParsePrefix(c.props["prefix-hint"]); err == nil && p.Bits() > 0 {
			dc.PrefixHint = p
		}
		out = append(out, dc)
	}
	return out
}

// DHCP6Clients returns the committed /ipv6 dhcp-client entries.
func (r *Router) DHCP6Clients() []DHCP6Client {
	r.mu.Lock()
	defer r.mu.Unlock()
	return dhcp6Clients(r.m)
}

// enabledClient6 finds the enabled DHCPv6 client of an interface.
func enabledClient6(m *model, iface string) (*item, error) {
	for _, c := range m.tables["ipv6 dhcp-client"] {
		if c.props["interface"] == iface {
			if c.disabled() {
				return nil, errors.New("set dhcpv6 lease on " + iface + ": the ipv6 dhcp-client of the interface is disabled")
			}
			return c, nil
		}
	}
	return nil, errors.New("set dhcpv6 lease on " + iface + ": no ipv6 dhcp-client on the interface")
}

// lease6Of returns the lease item of client id, nil when none.
func lease6Of(m *model, id uint64) *item { return tableItem(m, lease6Table, id) }

// bound6 returns the lease of an enabled client bound on its interface.
func bound6(m *model, c *item) (*item, bool) {
	if c.disabled() {
		return nil, false
	}
	l := lease6Of(m, c.id)
	if l == nil || l.props["status"] != "bound" || l.props["interface"] != c.props["interface"] {
		return nil, false
	}
	return l, true
}

// SetLease6 records what the DHCPv6 client on iface holds (nil: nothing,
// the lease was lost or released) as one transaction: the pool, the
// addresses taken from it and the routes follow into the kernel, or on
// failure nothing changes. A renewal that changes only the expiry does
// not touch the kernel.
func (r *Router) SetLease6(iface string, l *Lease6) (err error) {
	defer guarded("DHCPv6 lease of "+iface, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	iface = modelName(r.m, iface)
	c, err := enabledClient6(r.m, iface)
	if err != nil {
		return err
	}
	props := map[string]string{"interface": iface, "status": "searching..."}
	if l != nil {
		props = map[string]string{"interface": iface, "status": "bound", "server": l.Server.String(),
			"expires": l.Expires.Format(time.RFC3339Nano), "dns": joinAddrs(l.DNS)}
		if l.Prefix.IsValid() {
			props["prefix"] = l.Prefix.Masked().String()
		}
		if l.Address.IsValid() {
			props["address"] = l.Address.String()
		}
	}
	if old := lease6Of(r.m, c.id); old != nil && sameLease6(old.props, props) {
		setTableItem(r.m, lease6Table, &item{id: c.id, props: props})
		return nil
	}
	t := r.begin(false)
	setTableItem(t.m, lease6Table, &item{id: c.id, props: props})
	t.changed = true
	return r.commit(t)
}

func sameLease6(a, b map[string]string) bool {
	for _, k := range []string{"interface", "status", "server", "prefix", "address", "dns"} {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// SetDHCP6Status records the client's state while it has no lease or
// renews one (searching..., requesting..., renewing..., rebinding...),
// without a transaction.
func (r *Router) SetDHCP6Status(iface, status string) (err error) {
	defer guarded("DHCPv6 status of "+iface, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	iface = modelName(r.m, iface)
	c, err := enabledClient6(r.m, iface)
	if err != nil {
		return err
	}
	it := &item{id: c.id, props: map[string]string{"interface": iface}}
	if old := lease6Of(r.m, c.id); old != nil && old.props["interface"] == iface {
		it = old.clone()
	}
	if it.props["status"] == "bound" && status != "renewing..." && status != "rebinding..." {
		return nil // the lease stays until SetLease6 takes it away
	}
	if it.props["status"] != "bound" {
		it.props["status"] = status
	} else {
		it.props["renew-status"] = status
	}
	setTableItem(r.m, lease6Table, it)
	return nil
}

// dhcp6ClientStatus is the read-only part of a client: its status and
// what it holds.
func dhcp6ClientStatus(t *tx, it *item) []Prop {
	if it.disabled() {
		return []Prop{{"status", "stopped"}}
	}
	l := lease6Of(t.m, it.id)
	if l == nil || l.props["interface"] != it.props["interface"] {
		return []Prop{{"status", "searching..."}}
	}
	status := l.props["status"]
	if status == "bound" && l.props["renew-status"] != "" {
		status = l.props["renew-status"]
	}
	out := []Prop{{"status", status}}
	if l.props["status"] != "bound" {
		return out
	}
	left := ""
	if exp, err := time.Parse(time.RFC3339Nano, l.props["expires"]); err == nil {
		left = script.FormatTimeCompact(max(exp.Sub(t.now).Round(time.Second), 0))
		out = append(out, Prop{"expires-after", left})
	}
	// RouterOS prints the prefix with its remaining lifetime ("prefix,
	// time"); scripts cut it at the comma. [verify] the exact form.
	if p := l.props["prefix"]; p != "" {
		out = append(out, Prop{"prefix", p + ", " + left})
	}
	if a := l.props["address"]; a != "" {
		out = append(out, Prop{"address", a + ", " + left})
	}
	out = append(out, Prop{"dhcp-server-v6", l.props["server"]})
	return out
}

// pool6 is an IPv6 pool: a prefix handed out in pieces of Length bits.
type pool6 struct {
	Prefix netip.Prefix
	Length int
}

// dhcp6Pools are the dynamic /ipv6 pool items of bound clients that asked
// for a prefix and name a pool.
func (t *tx) dhcp6Pools() []*item {
	var out []*item
	for _, c := range t.m.tables["ipv6 dhcp-client"] {
		l, ok := bound6(t.m, c)
		if !ok || l.props["prefix"] == "" || c.props["pool-name"] == "" {
			continue
		}
		out = append(out, &item{id: dhcp6PoolID + c.id, dynamic: true, props: map[string]string{
			"name": c.props["pool-name"], "prefix": l.props["prefix"], "prefix-length": orDefault(c.props["pool-prefix-length"], "64"),
		}})
	}
	return out
}

// ipv6Pools are the pools by name, static ones first (a dynamic pool does
// not replace a static one of the same name).
func (t *tx) ipv6Pools() map[string]pool6 {
	out := map[string]pool6{}
	for _, p := range append(append([]*item(nil), t.m.tables["ipv6 pool"]...), t.dhcp6Pools()...) {
		if _, dup := out[p.props["name"]]; dup {
			continue
		}
		pre, err := netip.ParsePrefix(p.props["prefix"])
		n := atoiOr(p.props["prefix-length"], 64)
		if err != nil || n < pre.Bits() || n > 128 {
			continue
		}
		out[p.props["name"]] = pool6{Prefix: pre.Masked(), Length: n}
	}
	return out
}

// fromPool resolves the /ipv6 address entries that take their prefix from
// a pool: each enabled entry, in table order, takes the pool's next piece.
// An entry whose pool does not exist (yet: a DHCPv6 client that has no
// lease) or is used up gets none and is not assigned, as RouterOS shows
// it invalid.
func (t *tx) fromPool() map[uint64]netip.Prefix {
	pools := t.ipv6Pools()
	next := map[string]uint64{}
	out := map[uint64]netip.Prefix{}
	for _, a := range t.m.tables["ipv6 address"] {
		name := a.props["from-pool"]
		// eui-64=yes takes its piece like any entry; the kernel makes the
		// host part from the link's MAC (forum55 D3: it was skipped).
		if name == "" || a.disabled() {
			continue
		}
		p, ok := pools[name]
		if !ok {
			continue
		}
		i := next[name]
		piece, ok := poolPiece(p, i)
		if !ok {
			continue
		}
		next[name] = i + 1
		host := netip.IPv6Unspecified()
		if tmpl, err := netip.ParsePrefix(a.props["address"]); err == nil {
			host = tmpl.Addr()
		}
		out[a.id] = netip.PrefixFrom(withHost(piece, host), p.Length)
	}
	return out
}

// poolPiece returns the i-th piece of the pool.
func poolPiece(p pool6, i uint64) (netip.Prefix, bool) {
	span := p.Length - p.Prefix.Bits()
	if span < 64 && i >= 1<<span {
		return netip.Prefix{}, false
	}
	b := p.Prefix.Addr().As16()
	// Add i << (128-Length) to the address, byte by byte from the piece's
	// last bit upwards.
	shift := 128 - p.Length
	var carry uint64
	for pos := 127 - shift; pos >= 0 && (i != 0 || carry != 0); pos-- {
		bit := (b[pos/8] >> (7 - pos%8)) & 1
		sum := uint64(bit) + (i & 1) + carry
		b[pos/8] &^= 1 << (7 - pos%8)
		b[pos/8] |= byte(sum&1) << (7 - pos%8)
		carry = sum >> 1
		i >>= 1
	}
	return netip.PrefixFrom(netip.AddrFrom16(b), p.Length), true
}

// withHost keeps the piece's network bits and takes the rest from host.
func withHost(piece netip.Prefix, host netip.Addr) netip.Addr {
	n := piece.Addr().As16()
	h := host.As16()
	for i := range n {
		bits := piece.Bits() - i*8
		var mask byte
		switch {
		case bits >= 8:
			mask = 0xff
		case bits > 0:
			mask = ^byte(0xff >> bits)
		}
		n[i] = n[i]&mask | h[i]&^mask
	}
	return netip.AddrFrom16(n)
}

// ipv6AddrPrefix is the prefix an enabled /ipv6 address entry assigns:
// its own address, or the one made from its pool; false when it assigns
// none.
func ipv6AddrPrefix(a *item, pooled map[uint64]netip.Prefix) (netip.Prefix, bool) {
	if a.props["from-pool"] != "" {
		p, ok := pooled[a.id]
		return p, ok
	}
	p, err := netip.ParsePrefix(a.props["address"])
	return p, err == nil
}

// dhcp6Addresses are the leased addresses (IA_NA) of bound clients, as
// /128s on the client's interface.
func (t *tx) dhcp6Addresses() []*item {
	var out []*item
	for _, c := range t.m.tables["ipv6 dhcp-client"] {
		l, ok := bound6(t.m, c)
		if !ok || l.props["address"] == "" {
			continue
		}
		out = append(out, &item{id: dhcp6AddrID + c.id, dynamic: true, props: map[string]string{
			"address": l.props["address"] + "/128", "interface": c.props["interface"], "advertise": "no",
		}})
	}
	return out
}

// dhcp6Routes are the dynamic /ipv6 route items of bound clients with
// add-default-route=yes: the default route via the server, and a
// blackhole route for the delegated prefix (a connected route of the same
// prefix wins over it: kernel syncRoutes6). [verify] which kind RouterOS
// 7 adds for the whole delegated prefix, and whether it answers ICMPv6.
func (t *tx) dhcp6Routes() []*item {
	var out []*item
	for _, c := range t.m.tables["ipv6 dhcp-client"] {
		l, ok := bound6(t.m, c)
		if !ok {
			continue
		}
		n := uint64(0)
		if c.props["add-default-route"] == "yes" && l.props["server"] != "" {
			out = append(out, &item{id: dhcp6RouteID + c.id<<8, dynamic: true, props: map[string]string{
				"dst-address": "::/0", "gateway": l.props["server"] + "%" + c.props["interface"],
				"distance": orDefault(c.props["default-route-distance"], "1"),
			}})
			n++
		}
		if p := l.props["prefix"]; p != "" {
			out = append(out, &item{id: dhcp6RouteID + c.id<<8 + n, dynamic: true, props: map[string]string{
				"dst-address": p, "blackhole": "yes", "distance": "1",
			}})
		}
	}
	return out
}

// dhcp6DNS are the DNS servers of bound clients with use-peer-dns.
func dhcp6DNS(m *model) []netip.Addr {
	var out []netip.Addr
	for _, c := range m.tables["ipv6 dhcp-client"] {
		l, ok := bound6(m, c)
		if !ok || c.props["use-peer-dns"] == "no" {
			continue
		}
		out = append(out, addrList(l.props["dns"])...)
	}
	return out
}

// ipv6Configured reports whether the configuration has an /ipv6
// address, route or dhcp-client entry, enabled or not.
func ipv6Configured(m *model) bool {
	for _, tbl := range []string{"ipv6 address", "ipv6 route", "ipv6 dhcp-client"} {
		if len(m.tables[tbl]) > 0 {
			return true
		}
	}
	return false
}

// Lease6Vars are the variables a DHCPv6 client's script sees: pd-valid
// and pd-prefix for the prefix, na-valid and na-address for the address.
// [verify] their exact types on a CHR (numbers 1/0 here).
func Lease6Vars(l *Lease6) map[string]script.Value {
	v := map[string]script.Value{"pd-valid": script.Num(0), "pd-prefix": script.Str(""), "na-valid": script.Num(0), "na-address": script.Str("")}
	if l == nil {
		return v
	}
	if l.Prefix.IsValid() {
		v["pd-valid"], v["pd-prefix"] = script.Num(1), script.PrefixValue(l.Prefix.Masked())
	}
	if l.Address.IsValid() {
		v["na-valid"], v["na-address"] = script.Num(1), script.IPValue(l.Address)
	}
	return v
}

// RunLease6Script runs a client's script (see RunScript).
func (r *Router) RunLease6Script(ctx context.Context, iface, src string, l *Lease6) error {
	return r.RunScript(ctx, "ipv6 dhcp-client "+iface, src, Lease6Vars(l))
}

// checkDHCP6Client refuses a second enabled client on an interface and
// forgets the lease of a client that is disabled or moved: its pool,
// addresses and routes go in the same transaction, and the service
// releases the lease when it sees the change. [verify] RouterOS's wording.
func checkDHCP6Client(t *tx, it *item) error {
	for _, x := range t.m.tables["ipv6 dhcp-client"] {
		if x.id != it.id && x.props["interface"] == it.props["interface"] && !x.disabled() && !it.disabled() {
			return errFailure("interface", "dhcp-client on that interface already exists")
		}
	}
	if l := lease6Of(t.m, it.id); l != nil && (it.disabled() || l.props["interface"] != it.props["interface"]) {
		dropTableItem(t.m, lease6Table, it.id)
	}
	return nil
}

func init() {
	// What of a DHCPv6 client rosemu does not model: it keeps one DUID of
	// its own (DUID-LL of the interface), validates nothing of the
	// server's, takes no reconfigure, and installs its routes in the main
	// table only.
	for _, p := range ipv6DHCPClientMenu.props {
		switch p.name {
		case "custom-duid", "use-interface-duid", "validate-server-duid", "allow-reconfigure", "dhcp-options":
			p.notEnforced = "rosemu's DHCPv6 client sends its own DUID-LL and no extra options: " + p.name + " is stored"
		case "check-gateway", "default-route-tables":
			p.notEnforced = "rosemu's DHCPv6 client adds its default route to the main table, unchecked: " + p.name + " is stored"
		case "prefix-address-lists":
			p.notEnforced = "rosemu does not add the delegated prefix to address lists: prefix-address-lists is stored"
		}
	}
}

// liveValue is what print, get and find show of a configured property
// whose value the router works out: an /ipv6 address taken from a pool
// shows the address it got (address=::1 from-pool=isp reads
// 3fff:200::1/64), as scripts that publish the LAN's address read it; the
// export keeps what was configured. An address that got none shows what
// was written.
func (t *tx) liveValue(m *menu, it *item, name, v string) string {
	if m.path != "ipv6 address" || name != "address" || it.props["from-pool"] == "" {
		return v
	}
	if p, ok := t.fromPool()[it.id]; ok {
		return p.String()
	}
	return v
}
