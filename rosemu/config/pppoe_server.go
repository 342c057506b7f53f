package config

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The router as a PPPoE access concentrator: /interface pppoe-server
// server, authenticated against /ppp secret, with the addresses and
// settings of /ppp profile and /ip pool. The service
// (rosemu/service/pppoeserver) speaks PPPoE on the server's interface and
// asks the engine at each login; the engine decides as RouterOS does (PPP
// AAA page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/132350049/PPP+AAA):
//
//   - a secret with the user's name, enabled, for service any or pppoe,
//     and the password; with caller-id set, only from that MAC address;
//   - settings layered from the server's default-profile (lowest), the
//     secret's profile, and the secret itself (highest), except that an
//     address beats a pool at any layer for local-address and
//     remote-address;
//   - a pool gives the first address no other session holds, then its
//     next-pool's;
//   - only-one=yes refuses a second session of a user; the server's
//     one-session-per-host ends the host's older session; max-sessions
//     bounds the server's.
//
// A session that comes up is an entry of /ppp active and a dynamic
// interface, "<pppoe-USER>" or the name of an /interface pppoe-server
// binding for the user, with the address local/32 toward the remote
// address and a route to the remote; the profile's address-list and
// interface-list take the remote address and the interface while it lasts.

const (
	pppoeServerTable = "interface pppoe-server server"
	pppoeBindTable   = "interface pppoe-server"
	pppActiveTable   = "ppp active"
	pppSrvAddrID     = 0x71000000
	pppSrvRouteID    = 0x79000000
	pppSrvIfaceID    = 0x7a000000
	pppSrvListID     = 0x7b000000
	pppSrvQueueID    = 0x7c000000
	pppSrvSRouteID   = 0x7d000000
)

// PPPoEServer is one /interface pppoe-server server entry as the service
// needs it.
type PPPoEServer struct {
	ID          string
	Interface   string // the kernel's name of the interface it serves
	ServiceName string
	// ACName is the access concentrator's name in PADO: the router's
	// identity, as RouterOS names it. [verify]
	ACName string
	// Auth is authentication=, the protocols a client may log in with:
	// RouterOS's names, comma-separated (a string, so that the entry
	// stays comparable); empty lets nobody in.
	Auth string
	// KeepaliveSeconds: 0 for no LCP echo.
	KeepaliveSeconds int
	MaxMRU           int // 0: auto
	Disabled         bool
}

// PPPoEServerService is told the servers and the ids of the sessions
// /ppp active still has after every committed change, with the router's
// lock held: it must return quickly and not call back. A session whose id
// is gone (/ppp active remove) is to be ended.
type PPPoEServerService interface {
	Update(servers []PPPoEServer, sessions []string)
}

// PPPGrant is a login the engine accepted: the session's id in /ppp
// active, its interface (RouterOS's name), the addresses and the DNS
// servers offered.
type PPPGrant struct {
	ID, Interface string
	Local, Remote netip.Addr
	DNS           []netip.Addr
	// Routed are the destinations of the secret's routes= (the subnets
	// behind the client), which an OpenVPN server must tell openvpn at
	// the login (iroute) to take them from that client.
	Routed []netip.Prefix
}

// ErrPPPLogin is the error of a refused login; the wrapped text says why
// in RouterOS's words where it has them.
var ErrPPPLogin = errors.New("login refused")

func pppoeServers(m *model) []PPPoEServer {
	ac := "MikroTik"
	if its := m.tables["system identity"]; len(its) > 0 && its[0].props["name"] != "" {
		ac = its[0].props["name"]
	}
	var out []PPPoEServer
	for _, s := range m.tables[pppoeServerTable] {
		p := s.props
		auth := orDefault(p["authentication"], "pap,chap,mschap1,mschap2")
		out = append(out, PPPoEServer{ID: s.ID(), Interface: kernelName(m, p["interface"]), ServiceName: p["service-name"], ACName: ac,
			Auth:             auth,
			KeepaliveSeconds: keepaliveSeconds(p["keepalive-timeout"]), MaxMRU: atoiAuto(p["max-mru"]),
			Disabled: s.disabled()})
	}
	return out
}

func pppActiveIDs(m *model) []string {
	var out []string
	for _, a := range m.tables[pppActiveTable] {
		out = append(out, a.ID())
	}
	return out
}

// pppLayers are the items whose settings a login of secret through server
// combines, highest priority first: the secret, its profile, the server's
// default profile.
func pppLayers(m *model, server, secret *item) []*item {
	find := func(name string) *item {
		for _, p := range m.tables[pppProfileMenu.tableName()] {
			if p.props["name"] == name {
				return p
			}
		}
		return nil
	}
	out := []*item{secret}
	if p := find(m.refName(secret.props["profile"], "ppp profile", "default")); p != nil {
		out = append(out, p)
	}
	if p := find(m.refName(server.props["default-profile"], "ppp profile", "default")); p != nil && p != out[len(out)-1] {
		out = append(out, p)
	}
	return out
}

// layered is the first value of prop in the layers.
func layered(layers []*item, prop string) string {
	for _, l := range layers {
		if v := l.props[prop]; v != "" {
			return v
		}
	}
	return ""
}

// pppAddress resolves local-address or remote-address: an address at any
// layer first, else the highest layer's pool, from which the first
// address not in use is taken. ok is false when no layer sets one or the
// pool is exhausted.
func pppAddress(m *model, layers []*item, prop string, used map[netip.Addr]bool) (netip.Addr, string, bool) {
	pool := ""
	for _, l := range layers {
		v := l.props[prop]
		if a, err := netip.ParseAddr(v); err == nil {
			return a, "", true
		}
		if v != "" && pool == "" {
			pool = v
		}
	}
	if pool == "" {
		return netip.Addr{}, "", false
	}
	for _, r := range poolChain(m, pool) {
		for a := r.From; a.IsValid() && a.Compare(r.To) <= 0; a = a.Next() {
			if !used[a] {
				return a, pool, true
			}
		}
	}
	return netip.Addr{}, pool, false
}

// PPPoEServers returns the committed /interface pppoe-server server entries.
func (r *Router) PPPoEServers() []PPPoEServer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return pppoeServers(r.m)
}

// PPPoELogin decides a login of user from the client mac on the server
// with id serverID. proves tells whether the client knows a password: the
// engine calls it with the secret's, since a CHAP client sends a proof and
// never the password itself (PAP's check is a comparison). An accepted
// login is an entry of /ppp active at once (not yet up); PPPoESessionUp
// brings its interface up and PPPoESessionDown ends it.
func (r *Router) PPPoELogin(serverID, user string, proves func(secret string) bool, mac string) (g PPPGrant, err error) {
	defer guarded("PPPoE login of "+user, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pppLogin(pppoeKind, serverID, user, proves, strings.ToUpper(mac))
}

// pppKind is what a PPP server's logins differ in: the service's name (in
// /ppp secret service= and /ppp active), its server and binding menus,
// and when its server entry is on.
type pppKind struct {
	service, serverTable, bindTable string
	enabled                         func(*item) bool
}

var pppoeKind = pppKind{"pppoe", pppoeServerTable, pppoeBindTable, func(it *item) bool { return !it.disabled() }}

// pppLogin decides a login of user from caller (a MAC address, an IP
// address) on a server of kind. The caller holds r.mu.
func (r *Router) pppLogin(kind pppKind, serverID, user string, proves func(secret string) bool, mac string) (g PPPGrant, err error) {
	var server *item
	for _, s := range r.m.tables[kind.serverTable] {
		if s.ID() == serverID && kind.enabled(s) {
			server = s
		}
	}
	if server == nil {
		return g, fmt.Errorf("%w: no enabled %s server %s", ErrPPPLogin, kind.service, serverID)
	}
	// RouterOS logs a refused login with topics pppoe,ppp,error (l2tp,
	// ppp,error). [verify] the exact wording.
	refuse := func(why string) (PPPGrant, error) {
		r.book.add(script.LogEntry{Time: time.Now(), Topics: kind.service + ",ppp,error", Msg: "<" + mac + ">: user " + user + " " + why})
		return PPPGrant{}, fmt.Errorf("%w: user %s: %s", ErrPPPLogin, user, why)
	}
	var secret *item
	for _, s := range r.m.tables[pppSecretMenu.tableName()] {
		svc := orDefault(s.props["service"], "any")
		if s.props["name"] == user && !s.disabled() && (svc == "any" || svc == kind.service) {
			secret = s
			break
		}
	}
	if secret == nil || !proves(secret.props["password"]) {
		return refuse("authentication failed")
	}
	if cid := secret.props["caller-id"]; cid != "" && !strings.EqualFold(cid, mac) {
		return refuse("authentication failed (caller-id " + cid + " does not match)")
	}
	layers := pppLayers(r.m, server, secret)
	active := r.m.tables[pppActiveTable]
	used := map[netip.Addr]bool{}
	names := map[string]bool{}
	onServer := 0
	var drop []uint64
	for _, a := range active {
		if ad, err := netip.ParseAddr(a.props["address"]); err == nil {
			used[ad] = true
		}
		names[a.props["~interface"]] = true
		if a.props["~server"] == serverID {
			onServer++
			if server.props["one-session-per-host"] == "yes" && a.props["caller-id"] == mac {
				drop = append(drop, a.id)
			}
		}
		if a.props["name"] == user && layered(layers[1:], "only-one") == "yes" {
			return refuse("already logged in (only-one)")
		}
	}
	if max := atoiOr(server.props["max-sessions"], 0); max > 0 && onServer-len(drop) >= max {
		return refuse("refused: max-sessions " + strconv.Itoa(max) + " reached")
	}
	local, _, ok := pppAddress(r.m, layers, "local-address", map[netip.Addr]bool{})
	if !ok {
		return refuse("has no local-address (neither the secret nor its profiles give one)")
	}
	remote, pool, ok := pppAddress(r.m, layers, "remote-address", used)
	if !ok {
		if pool != "" {
			return refuse("could not get an address: pool " + pool + " is exhausted")
		}
		return refuse("has no remote-address (neither the secret nor its profiles give one)")
	}
	iface := "<" + kind.service + "-" + user + ">"
	for _, b := range r.m.tables[kind.bindTable] {
		if b.props["user"] == user && !b.disabled() && (b.props["service"] == "" || b.props["service"] == server.props["service-name"]) && !names[b.props["name"]] {
			iface = b.props["name"]
			break
		}
	}
	for n, base := 1, iface; names[iface]; n++ {
		iface = strings.TrimSuffix(base, ">") + "-" + strconv.Itoa(n) + ">"
	}
	for _, id := range drop {
		r.pppSessionDown(id, "one session per host")
	}
	id := r.newID()
	props := map[string]string{
		"name": user, "service": kind.service, "caller-id": mac, "address": remote.String(), "encoding": "",
		"session-id": fmt.Sprintf("0x%X", 0x81000000+uint32(id&0xffffff)), "limit-bytes-in": "0", "limit-bytes-out": "0", "radius": "no",
		"~local": local.String(), "~interface": iface, "~server": serverID, "~secret": secret.ID(),
		"~dns": layered(layers, "dns-server"), "~address-list": layered(layers[1:], "address-list"),
		"~change-tcp-mss": yesNoWord(clampsOf(r.m, layers[1:])),
		"~interface-list": layered(layers[1:], "interface-list"),
		"~on-up":          layered(layers[1:], "on-up"), "~on-down": layered(layers[1:], "on-down"),
		"~rate-limit": layered(layers[1:], "rate-limit"), "~parent-queue": layered(layers[1:], "parent-queue"),
		"~session-timeout": layered(layers[1:], "session-timeout"), "~idle-timeout": layered(layers[1:], "idle-timeout"), "~routes": secret.props["routes"],
		"~since": strconv.FormatInt(time.Now().Unix(), 10),
	}
	setTableItem(r.m, pppActiveTable, &item{id: id, props: props})
	if len(drop) > 0 {
		r.notifyPPPoEServer()
		r.notifyL2TPServer()
		r.notifySSTPServer()
		r.notifyOVPNServer()
	}
	var dns []netip.Addr
	for _, a := range addrList(props["~dns"]) {
		if a.Is4() && len(dns) < 2 {
			dns = append(dns, a)
		}
	}
	return PPPGrant{ID: formatID(id), Interface: iface, Local: local, Remote: remote, DNS: dns, Routed: pppSessionOf(&item{props: props}).Routed}, nil
}

// PPPSession is an up session's details for its profile's scripts.
type PPPSession struct {
	User, Interface, CallerID, Service string
	Local, Remote                      netip.Addr
	OnUp, OnDown                       string
	// Routed are the destinations of the secret's routes: the
	// addresses the client routes behind it, which may send through the
	// session since the router routes them back by it.
	Routed []netip.Prefix
	// SessionTimeout is the profile's session-timeout, "maximum time the
	// connection can stay up" (PPP AAA page): the server ends the session
	// when it has been up that long; 0 for none.
	SessionTimeout time.Duration
	// IdleTimeout is the profile's idle-timeout: the server ends the
	// session when nothing has come from the client for that long; 0 for
	// none.
	IdleTimeout time.Duration
}

func pppSessionOf(a *item) PPPSession {
	l, _ := netip.ParseAddr(a.props["~local"])
	rm, _ := netip.ParseAddr(a.props["address"])
	s := PPPSession{User: a.props["name"], Interface: a.props["~interface"], CallerID: a.props["caller-id"],
		Local: l, Remote: rm, OnUp: a.props["~on-up"], OnDown: a.props["~on-down"]}
	if d, ok := script.ParseTime(a.props["~session-timeout"]); ok && d > 0 {
		s.SessionTimeout = d
	}
	if d, ok := script.ParseTime(a.props["~idle-timeout"]); ok && d > 0 {
		s.IdleTimeout = d
	}
	rs, _ := parsePPPRoutes(a.props["~routes"])
	for _, r := range rs {
		s.Routed = append(s.Routed, r.dst)
	}
	return s
}

// PPPoESessionUp brings the session with id up once its interface exists
// (the service made the TUN): the address, route and list memberships
// commit as one transaction, so they reach the kernel together.
func (r *Router) PPPoESessionUp(id string, mtu int) (s PPPSession, err error) {
	defer guarded("PPPoE session "+id, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	n, ok := parseID(id)
	a := tableItem(r.m, pppActiveTable, n)
	if !ok || a == nil {
		return s, fmt.Errorf("pppoe session %s: no such session in /ppp active", id)
	}
	t := r.begin(false)
	up := tableItem(t.m, pppActiveTable, n)
	props := maps.Clone(up.props)
	props["~up"], props["~mtu"] = "yes", strconv.Itoa(mtu)
	props["~since"] = strconv.FormatInt(time.Now().Unix(), 10)
	setTableItem(t.m, pppActiveTable, &item{id: n, props: props})
	t.changed = true
	if err := r.commit(t); err != nil {
		return s, err
	}
	// RouterOS's accounting and interface entries of a session that
	// comes up. [verify] the order and wording against a RouterOS log.
	now := time.Now()
	topics := props["service"] + ",ppp,info"
	r.book.add(
		script.LogEntry{Time: now, Topics: topics, Msg: props["~interface"] + ": authenticated"},
		script.LogEntry{Time: now, Topics: topics, Msg: props["~interface"] + ": connected"},
		script.LogEntry{Time: now, Topics: topics + ",account", Msg: props["name"] + " logged in, " + props["address"] + " from " + props["caller-id"]},
	)
	return pppSessionOf(&item{props: props}), nil
}

// PPPoESessionDown ends the session with id: it leaves /ppp active and,
// if it was up, its address and route leave the kernel before the
// service closes the TUN. ok is false when /ppp active no longer had it
// (removed by a user, or ended for one-session-per-host).
func (r *Router) PPPoESessionDown(id, why string) (s PPPSession, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, valid := parseID(id)
	a := tableItem(r.m, pppActiveTable, n)
	if !valid || a == nil {
		return s, false
	}
	s = pppSessionOf(a)
	r.pppSessionDown(n, why)
	return s, true
}

// pppSessionDown drops the session n from /ppp active, committing when it
// was up. The caller holds r.mu.
func (r *Router) pppSessionDown(n uint64, why string) {
	a := tableItem(r.m, pppActiveTable, n)
	if a == nil {
		return
	}
	if a.props["~up"] != "yes" {
		dropTableItem(r.m, pppActiveTable, n)
		return
	}
	t := r.begin(false)
	dropTableItem(t.m, pppActiveTable, n)
	t.changed = true
	if err := r.commit(t); err != nil {
		// The kernel refused the state without the session: take it out
		// of the model anyway, since its link is about to go.
		dropTableItem(r.m, pppActiveTable, n)
	}
	r.logPPPDown(a, why)
}

func (r *Router) logPPPDown(a *item, why string) {
	since, _ := strconv.ParseInt(a.props["~since"], 10, 64)
	secs := max(int64(0), time.Now().Unix()-since)
	now := time.Now()
	var es []script.LogEntry
	topics := a.props["service"] + ",ppp,info"
	if why != "" {
		es = append(es, script.LogEntry{Time: now, Topics: topics, Msg: a.props["~interface"] + ": terminating... - " + why})
	}
	es = append(es,
		script.LogEntry{Time: now, Topics: topics, Msg: a.props["~interface"] + ": disconnected"},
		script.LogEntry{Time: now, Topics: topics + ",account", Msg: a.props["name"] + " logged out, " + strconv.FormatInt(secs, 10) + " from " + a.props["caller-id"]},
	)
	r.book.add(es...)
}

// notifyPPPoEServer tells the service the sessions /ppp active still has.
// The caller holds r.mu.
func (r *Router) notifyPPPoEServer() {
	if r.opts.PPPoEServer != nil {
		r.opts.PPPoEServer.Update(pppoeServers(r.m), pppActiveIDs(r.m))
	}
}

// upPPPSessions are the sessions of /ppp active whose interface is up.
func upPPPSessions(m *model) []*item {
	var out []*item
	for _, a := range m.tables[pppActiveTable] {
		if a.props["~up"] == "yes" {
			out = append(out, a)
		}
	}
	return out
}

// pppServerAddresses are the dynamic /ip address items of up sessions:
// the server's address toward the client's, as RouterOS shows them.
func (t *tx) pppServerAddresses() []*item {
	var out []*item
	for _, a := range upPPPSessions(t.m) {
		out = append(out, &item{id: pppSrvAddrID + a.id&0xffffff, dynamic: true, props: map[string]string{
			"address": a.props["~local"] + "/32", "network": a.props["address"], "interface": a.props["~interface"],
		}})
	}
	return out
}

// pppServerRoutes are the routes to the clients of up sessions.
func (t *tx) pppServerRoutes() []*item {
	var out []*item
	for _, a := range upPPPSessions(t.m) {
		out = append(out, &item{id: pppSrvRouteID + a.id&0xffffff, dynamic: true, props: map[string]string{
			"dst-address": a.props["address"] + "/32", "gateway": a.props["~interface"], "distance": "0",
		}})
	}
	return t.applyDynamicIn(append(out, pppSecretRoutes(t.m)...))
}

// pppServerIfaces are the dynamic /interface items of up sessions that
// no binding names (a bound session shows as its binding).
func (t *tx) pppServerIfaces() []*item {
	bound := map[string]bool{}
	for _, table := range []string{pppoeBindTable, l2tpBindTable, sstpBindTable} {
		for _, b := range t.m.tables[table] {
			bound[b.props["name"]] = true
		}
	}
	var out []*item
	for _, a := range upPPPSessions(t.m) {
		if !bound[a.props["~interface"]] {
			out = append(out, &item{id: pppSrvIfaceID + a.id&0xffffff, dynamic: true, props: map[string]string{
				"name": a.props["~interface"], "mtu": a.props["~mtu"], "~type": a.props["service"] + "-in",
			}})
		}
	}
	return out
}

// pppServerIfaceNames are the interfaces of up sessions.
func pppServerIfaceNames(m *model) []string {
	var out []string
	for _, a := range upPPPSessions(m) {
		out = append(out, a.props["~interface"])
	}
	return out
}

// pppListItems are the dynamic address-list entries of up sessions whose
// profile names an address-list: the client's address.
func (t *tx) pppListItems() []*item {
	var out []*item
	for _, a := range upPPPSessions(t.m) {
		if l := a.props["~address-list"]; l != "" {
			out = append(out, &item{id: pppSrvListID + a.id&0xffffff, dynamic: true, props: map[string]string{
				"list": l, "address": a.props["address"],
			}})
		}
	}
	return out
}

// pppSessionIface is an up session's interface and its profile's
// interface-list ("" for none).
type pppSessionIface struct{ ifc, list string }

// pppSessionIfaces are the interfaces of the up sessions, each a dynamic
// member of its profile's interface-list and of the built-in lists all
// and dynamic (listMembers, builtinListMembers).
func pppSessionIfaces(m *model) []pppSessionIface {
	var out []pppSessionIface
	for _, a := range upPPPSessions(m) {
		out = append(out, pppSessionIface{ifc: a.props["~interface"], list: a.props["~interface-list"]})
	}
	return out
}

// pppActiveStatus is /ppp active's read-only uptime of a session.
func pppActiveStatus(_ *tx, it *item) []Prop {
	since, _ := strconv.ParseInt(it.props["~since"], 10, 64)
	return []Prop{{"uptime", rosUptime(time.Since(time.Unix(since, 0)))}}
}

// The settings of the PPP menus the PPPoE server applies; the others are
// stored and each reports why.
const (
	pppProfileStored = "rosemu's PPP sessions apply a profile's addresses, DNS servers, only-one, address and interface lists, change-tcp-mss, rate-limit, parent-queue, session-timeout, idle-timeout and scripts; this setting is stored"
	pppSecretStored  = "rosemu's PPPoE server applies a secret's password, service, profile, addresses, routes and caller-id; this setting is stored"
	pppoeSrvStored   = "rosemu's PPPoE server does not apply this setting: it is stored"
)

func init() {
	for _, p := range pppProfileMenu.props {
		switch p.name {
		case "name", "local-address", "remote-address", "dns-server", "only-one", "address-list", "interface-list", "on-up", "on-down", "comment", "change-tcp-mss":
		case "rate-limit":
			// The rates and bursts make the session's queue
			// (pppQueueItems); a priority and minimum rates after them
			// are stored.
			p.parse = pPPPRateLimit
			p.notEnforced = "rosemu limits the session by the rates and bursts (the first four fields) in its dynamic simple queue; the priority and minimum rates after them are stored, not applied"
			p.inert = func(props map[string]string) bool { return len(strings.Fields(props["rate-limit"])) <= 4 }
		case "session-timeout", "idle-timeout":
			// The server ends the session when it has been up that long,
			// or idle that long (PPPSession.SessionTimeout, IdleTimeout).
		case "parent-queue":
			// The session's rate-limit queue hangs under the named
			// simple queue (pppParentQueue); one that names no applied
			// queue leaves it on its own.
			p.notEnforced = "parent-queue names no simple queue rosemu applies: the session's rate-limit queue stays on its own, not under it"
			p.inertIn = func(t *tx, props map[string]string) bool {
				v := props["parent-queue"]
				return v == "" || v == "none" || pppParentQueue(t.m, v) != ""
			}
		default:
			p.notEnforced = pppProfileStored
		}
	}
	for _, p := range pppSecretMenu.props {
		if p.name == "routes" {
			p.parse = pPPPRoutes
		}
		switch p.name {
		case "remote-ipv6-prefix", "ipv6-routes", "limit-bytes-in", "limit-bytes-out":
			p.notEnforced = pppSecretStored
		}
	}
	for _, p := range pppoeServerMenu.props {
		switch p.name {
		case "mrru", "pado-delay", "max-mtu", "accept-empty-service":
			p.notEnforced = pppoeSrvStored
		}
	}
}
