package config

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /interface pppoe-client menu. The engine keeps the configuration and
// what the PPPoE service (rosemu/service/pppoe) reports about each
// client's session; the service speaks PPPoE on the wire, makes the TUN
// interface of the entry's name and calls SetPPPoESession. While a session
// is up, its address shows as a dynamic /ip address and, with
// add-default-route, a dynamic default route through the interface; the
// peer's DNS servers join /ip dns dynamic-servers with use-peer-dns. They
// are derived on every read, so disabling or removing the entry removes
// them in the same transaction, as for /ip dhcp-client.

const (
	pppoeClientTable = "interface pppoe-client"
	pppoeStateTable  = "interface pppoe-client session"
	pppoeAddrID      = 0x70000000
	pppoeRouteID     = 0x78000000
)

// PPPoEClient is one PPP client entry as the service needs it: an
// /interface pppoe-client, or an /interface l2tp-client (Kind "l2tp") or
// sstp-client (Kind "sstp"), which dial ConnectTo instead of a port.
type PPPoEClient struct {
	ID, Name, Interface string
	Kind                string // "pppoe", "l2tp" or "sstp"
	ConnectTo           string // l2tp, sstp: the server's address
	// SSTP: the server's TCP port; whether the server's certificate is
	// verified (against TrustedPEM, the router's trusted /certificate
	// entries) and whether its name or address must be connect-to.
	Port                        int
	VerifyServer, VerifyAddress bool
	TrustedPEM                  string
	User, Password              string
	ServiceName, ACName         string
	// Allow is allow=, the authentication protocols the client accepts:
	// RouterOS's names, comma-separated (a string, so that the entry
	// stays comparable); empty accepts none.
	Allow            string
	MaxMRU, MaxMTU   int // 0: auto
	KeepaliveSeconds int // 0: no keepalive
	Disabled         bool
}

// PPPoESession is what the service reports of a client's session; nil to
// SetPPPoESession means none is up.
type PPPoESession struct {
	Local, Remote netip.Addr
	DNS           []netip.Addr
	MTU           int
}

// PPPoEService is told the entries after every committed change, with the
// router's lock held: it must return quickly and not call back.
type PPPoEService interface {
	Update([]PPPoEClient)
}

// pMTUAuto is auto or a number in 64..65535 (max-mtu, max-mru).
func pMTUAuto(t *tx, name, v string) (string, error) {
	if v == "auto" {
		return v, nil
	}
	return pInt(64, 65535)(t, name, v)
}

var pppoeClientMenu = &menu{
	path: pppoeClientTable, nameProp: "name",
	props: []*prop{
		{name: "name", parse: pChain},
		{name: "interface", parse: pInterface, required: true, show: true},
		{name: "user", parse: pString, show: true},
		{name: "password", parse: pString, sensitive: true},
		sProp("service-name", ""),
		sProp("ac-name", ""),
		bProp("add-default-route", "no"),
		iProp("default-route-distance", "1", 0, 255),
		bProp("use-peer-dns", "no"),
		withParse("allow", "pap,chap,mschap1,mschap2", pppAuth),
		// The profile's change-tcp-mss clamps the session (ppp_mss.go) and
		// its on-up and on-down scripts run; the rest of it is stored,
		// which the profile's own properties report.
		namedDefault("profile", "default", "ppp profile"),
		withParse("max-mtu", "auto", pMTUAuto),
		withParse("max-mru", "auto", pMTUAuto),
		notEnforcedProp(withParse("mrru", "disabled", pMRRU), "rosemu's PPPoE client does not negotiate multilink (MRRU)"),
		// "disabled" turns the LCP echo off (a 6.47.10 export writes
		// keepalive-timeout=disabled), as 0 does.
		withParse("keepalive-timeout", "10", pIntOr("disabled", 0, 4294967)),
		// dial-on-demand=yes: RouterOS waits for the first packet routed to
		// the client before it dials; rosemu dials at once, which a lab
		// can tell apart only by the session's start time. Stored and
		// reported (it was refused with a message of rosemu's own).
		notEnforcedProp(bProp("dial-on-demand", "no"), "rosemu dials the session at once instead of on the first packet"),
		comment,
		{name: "disabled", parse: pBool, isBool: true}, // made added-disabled below
	},
	check:    checkPPPoEClient,
	readonly: pppoeClientStatus,
	columns:  []string{"name", "interface", "user", "status"},
}

// RouterOS adds a PPPoE client disabled unless told otherwise.
func init() { addedDisabled(pppoeClientMenu) }

// addedDisabled makes m's items added disabled unless told otherwise, as
// RouterOS adds its dialling clients (PPPoE, L2TP): disabled defaults to
// yes, an item added without disabled= is stored disabled, and the export
// names only disabled=no.
func addedDisabled(m *menu) {
	for i, p := range m.props {
		if p.name == "disabled" {
			m.props[i] = &prop{name: "disabled", parse: pBool, def: "yes", isBool: true}
		}
	}
	m.exportSkip = func(_ *item, k, v string) bool { return k == "disabled" && v == "yes" }
	check := m.check
	m.check = func(t *tx, it *item) error {
		if it.props["disabled"] == "" {
			it.props["disabled"] = "yes"
		}
		return check(t, it)
	}
}

func notEnforcedProp(p *prop, why string) *prop { p.notEnforced = why; return p }

func pMRRU(t *tx, name, v string) (string, error) {
	if v == "disabled" {
		return v, nil
	}
	return pInt(1500, 65535)(t, name, v)
}

// checkPPPoEClient names an unnamed client pppoe-outN and forgets the
// session of a client that is disabled or moved to another port.
func checkPPPoEClient(t *tx, it *item) error {
	if err := checkIfaceName(t, it, "pppoe-out"); err != nil {
		return err
	}
	if s := pppoeSessionOf(t.m, it.id); s != nil && (it.disabled() || s.props["interface"] != it.props["interface"] || s.props["name"] != it.props["name"]) {
		dropTableItem(t.m, pppoeStateTable, it.id)
	}
	return nil
}

func pppoeSessionOf(m *model, id uint64) *item { return tableItem(m, pppoeStateTable, id) }

// tableItem returns the item of a state table (a client's lease or
// session, keyed by the client's id), nil when none.
func tableItem(m *model, table string, id uint64) *item {
	for _, x := range m.tables[table] {
		if x.id == id {
			return x
		}
	}
	return nil
}

// setTableItem replaces the item with it.id in a state table. The slice
// is rebuilt, never changed in place, since transactions' clones share no
// slices with it but callers may update the committed model directly.
func setTableItem(m *model, table string, it *item) {
	out := []*item{it}
	for _, x := range m.tables[table] {
		if x.id != it.id {
			out = append(out, x)
		}
	}
	m.tables[table] = out
}

func dropTableItem(m *model, table string, id uint64) {
	var kept []*item
	for _, x := range m.tables[table] {
		if x.id != id {
			kept = append(kept, x)
		}
	}
	m.tables[table] = kept
}

// upSession returns the session of an enabled client that is up on the
// client's current port and name.
func upSession(m *model, c *item) (*item, bool) {
	if c.disabled() {
		return nil, false
	}
	s := pppoeSessionOf(m, c.id)
	if s == nil || s.props["local"] == "" || s.props["interface"] != c.props["interface"] || s.props["name"] != c.props["name"] {
		return nil, false
	}
	return s, true
}

// pppoeClientStatus gives the client's status and its running flag: R
// in print (PPPoE page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/2031625/PPPoE), true
// while the session is up. Watchdog scripts read it ("[/interface
// pppoe-client get pppoe-out1 running]", "find where running=yes
// disabled=no"); it was no property at all (forum50 D2).
func pppoeClientStatus(t *tx, it *item) []Prop {
	if it.disabled() {
		return []Prop{{"running", boolAPI(false)}, {"status", "disabled"}}
	}
	s := pppoeSessionOf(t.m, it.id)
	if s == nil || s.props["interface"] != it.props["interface"] {
		return []Prop{{"running", boolAPI(false)}, {"status", "initializing..."}}
	}
	_, up := upSession(t.m, it)
	out := []Prop{{"running", boolAPI(up)}, {"status", s.props["status"]}}
	if up {
		out = append(out, Prop{"local-address", s.props["local"]}, Prop{"remote-address", s.props["remote"]}, Prop{"mtu", s.props["mtu"]})
	}
	return out
}

// pppoeAddresses are the dynamic /ip address items of up sessions.
func (t *tx) pppoeAddresses() []*item {
	var out []*item
	for _, c := range pppClientItems(t.m) {
		s, ok := upSession(t.m, c)
		if !ok {
			continue
		}
		out = append(out, &item{id: pppoeAddrID + c.id, dynamic: true, props: map[string]string{
			"address": s.props["local"] + "/32", "network": s.props["remote"], "interface": c.props["name"],
		}})
	}
	return out
}

// onPPPClientDown reports whether it is a static address on a PPP client
// (pppoe-client, l2tp-client) whose session is not up. RouterOS keeps such
// an address and uses it once the session runs (a second public address
// an ISP routes to the session, added on pppoe-out1); rosemu's client has
// no TUN device until then, and the address's kernel sync failed ("find it
// in the router namespace: Link not found"), refusing the whole
// configuration while the client dialled (f69 D3).
func (t *tx) onPPPClientDown(it *item) bool {
	if it.dynamic {
		return false
	}
	for _, c := range pppClientItems(t.m) {
		if c.props["name"] == it.props["interface"] {
			_, up := upSession(t.m, c)
			return !up
		}
	}
	return false
}

// pppoeRoutes are the dynamic default routes of up sessions with
// add-default-route: through the interface, as RouterOS shows them.
func (t *tx) pppoeRoutes() []*item {
	var out []*item
	for _, c := range pppClientItems(t.m) {
		if _, ok := upSession(t.m, c); !ok || c.props["add-default-route"] != "yes" {
			continue
		}
		dist := c.props["default-route-distance"]
		if dist == "" {
			dist = "1"
		}
		out = append(out, &item{id: pppoeRouteID + c.id, dynamic: true, props: map[string]string{
			"dst-address": "0.0.0.0/0", "gateway": c.props["name"], "distance": dist,
		}})
	}
	return t.applyDynamicIn(out)
}

// pppoeDNS are the peers' DNS servers of up sessions with use-peer-dns.
func pppoeDNS(m *model) []netip.Addr {
	var out []netip.Addr
	for _, c := range pppClientItems(m) {
		s, ok := upSession(m, c)
		// "exclusively" (the L2TP client's third value) is stored: the
		// peer's servers are used beside the others. [verify]
		if u := c.props["use-peer-dns"]; !ok || u != "yes" && u != "exclusively" {
			continue
		}
		out = append(out, addrList(s.props["dns"])...)
	}
	return out
}

func atoiAuto(v string) int {
	if v == "auto" || v == "" {
		return 0
	}
	return atoiOr(v, 0)
}

func pppoeClients(m *model) []PPPoEClient {
	var out []PPPoEClient
	for _, c := range m.tables[pppoeClientTable] {
		p := c.props
		out = append(out, PPPoEClient{ID: c.ID(), Name: p["name"], Interface: kernelName(m, p["interface"]),
			User: p["user"], Password: p["password"], ServiceName: p["service-name"], ACName: p["ac-name"],
			Allow:  orDefault(p["allow"], "pap,chap,mschap1,mschap2"),
			MaxMRU: atoiAuto(p["max-mru"]), MaxMTU: atoiAuto(p["max-mtu"]),
			KeepaliveSeconds: keepaliveSeconds(p["keepalive-timeout"]), Disabled: c.disabled(), Kind: "pppoe"})
	}
	for _, c := range m.tables[l2tpClientTable] {
		p := c.props
		out = append(out, PPPoEClient{ID: c.ID(), Name: p["name"], Kind: "l2tp", ConnectTo: p["connect-to"],
			User: p["user"], Password: p["password"],
			Allow:  orDefault(p["allow"], "pap,chap,mschap1,mschap2"),
			MaxMRU: atoiAuto(orDefault(p["max-mru"], "1450")), MaxMTU: atoiAuto(orDefault(p["max-mtu"], "1450")),
			KeepaliveSeconds: keepaliveSeconds(orDefault(p["keepalive-timeout"], "60")), Disabled: c.disabled()})
	}
	for _, c := range m.tables[sstpClientTable] {
		p := c.props
		out = append(out, PPPoEClient{ID: c.ID(), Name: p["name"], Kind: "sstp", ConnectTo: p["connect-to"],
			Port: atoiOr(orDefault(p["port"], "443"), 443), User: p["user"], Password: p["password"],
			VerifyServer: p["verify-server-certificate"] == "yes", VerifyAddress: orDefault(p["verify-server-address-from-certificate"], "yes") == "yes",
			TrustedPEM: trustedPEM(m),
			Allow:      sstpClientAuth(p),
			MaxMRU:     atoiAuto(orDefault(p["max-mru"], "1450")), MaxMTU: atoiAuto(orDefault(p["max-mtu"], "1450")),
			KeepaliveSeconds: keepaliveSeconds(orDefault(p["keepalive-timeout"], "60")), Disabled: c.disabled()})
	}
	return out
}

// pppClientItems are the PPP client entries whose sessions rosemu dials:
// PPPoE's, L2TP's and SSTP's.
func pppClientItems(m *model) []*item {
	out := append([]*item(nil), m.tables[pppoeClientTable]...)
	for _, t := range dialledTables {
		out = append(out, m.tables[t]...)
	}
	return out
}

// dialledTables are the PPP clients that dial a server by address and are
// links of the kernel while their session is up, as a PPPoE client is.
var dialledTables = []string{l2tpClientTable, sstpClientTable, ovpnClientTable}

// keepaliveSeconds is a PPPoE client's keepalive-timeout in seconds: 0
// (no LCP echo) for disabled, 10 when unset.
func keepaliveSeconds(v string) int {
	if v == "disabled" {
		return 0
	}
	return atoiOr(orDefault(v, "10"), 10)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// PPPoEProfileScripts returns the on-up and on-down scripts of the PPP
// profile the client named name uses (its profile=, "default" when
// unset): RouterOS runs them when the client's session comes up and goes
// down (PPP AAA page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/132350014/PPP+AAA).
func (r *Router) PPPoEProfileScripts(name string) (onUp, onDown string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	profile := ""
	for _, c := range pppClientItems(r.m) {
		if c.props["name"] == name {
			def := "default"
			if c.props["interface"] == "" && !slices.Contains(r.m.tables[ovpnClientTable], c) {
				// The L2TP, SSTP and PPTP clients' default profile; the
				// OVPN client's is "default" (ovpnClientMenu).
				def = "default-encryption"
			}
			profile = r.m.refName(c.props["profile"], "ppp profile", def)
		}
	}
	if profile == "" {
		return "", ""
	}
	for _, p := range r.m.tables[pppProfileMenu.tableName()] {
		if p.props["name"] == profile {
			return p.props["on-up"], p.props["on-down"]
		}
	}
	return "", ""
}

// PPPoEClients returns the committed /interface pppoe-client entries.
func (r *Router) PPPoEClients() []PPPoEClient {
	r.mu.Lock()
	defer r.mu.Unlock()
	return pppoeClients(r.m)
}

// SetPPPoESession records the state of the client named name: status is
// RouterOS's word (connecting..., connected, disconnected, ...), s the
// session when it is up, nil otherwise. A change of addresses commits as
// one transaction, so the dynamic address and route follow it into the
// kernel, or nothing changes.
func (r *Router) SetPPPoESession(name, status string, s *PPPoESession) (err error) {
	defer guarded("PPPoE session of "+name, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	var c *item
	topics := "pppoe,ppp,info"
	for _, x := range r.m.tables[pppoeClientTable] {
		if x.props["name"] == name {
			c = x
		}
	}
	for _, x := range r.m.tables[l2tpClientTable] {
		if x.props["name"] == name {
			c, topics = x, "l2tp,ppp,info"
		}
	}
	for _, x := range r.m.tables[sstpClientTable] {
		if x.props["name"] == name {
			c, topics = x, "sstp,ppp,info"
		}
	}
	for _, x := range r.m.tables[ovpnClientTable] {
		if x.props["name"] == name {
			c, topics = x, "ovpn,info"
		}
	}
	if c == nil || c.disabled() {
		return errors.New("set pppoe session of " + name + ": no enabled pppoe-client, l2tp-client, sstp-client or ovpn-client of that name")
	}
	props := map[string]string{"name": name, "interface": c.props["interface"], "status": status}
	if s != nil {
		props["local"], props["remote"] = s.Local.String(), s.Remote.String()
		props["dns"], props["mtu"] = joinAddrs(s.DNS), strconv.Itoa(s.MTU)
	}
	old := pppoeSessionOf(r.m, c.id)
	// RouterOS logs a session coming up and going down, topics
	// pppoe,ppp,info ("pppoe-out1: connected", "pppoe-out1:
	// disconnected").
	logged := func() {
		was := old != nil && old.props["status"] == "connected"
		if now := status == "connected"; now != was {
			msg := name + ": connected"
			if !now {
				msg = name + ": disconnected"
			}
			r.book.add(script.LogEntry{Time: time.Now(), Topics: topics, Msg: msg})
		}
	}
	if old != nil && old.props["local"] == props["local"] && old.props["remote"] == props["remote"] && old.props["dns"] == props["dns"] {
		setTableItem(r.m, pppoeStateTable, &item{id: c.id, props: props})
		logged()
		return nil
	}
	t := r.begin(false)
	setTableItem(t.m, pppoeStateTable, &item{id: c.id, props: props})
	t.changed = true
	if err := r.commit(t); err != nil {
		return err
	}
	logged()
	return nil
}
