package config

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// rosemu's HotSpot (captive portal): an enabled /ip hotspot server on an
// interface keeps the clients there that have not logged in away from
// everything but the router's DNS and the login page, as RouterOS does
// with the dynamic firewall rules its HotSpot adds (the HotSpot page of
// the manual, https://help.mikrotik.com/docs/spaces/ROS/pages/56459266/Hotspot,
// and the firewall section of Manual:Customizing Hotspot,
// https://wiki.mikrotik.com/wiki/Manual:Customizing_Hotspot). The rules
// are rendered before the user's own, as RouterOS lists its dynamic rules
// first, and use the chains RouterOS names (hs-input, hs-unauth, ...), so
// a user's rules in pre-hs-input, pre-hotspot or hs-unauth run where
// RouterOS runs them. The login page itself is rosemu/service/hotspot;
// a login it accepts joins /ip hotspot active here, and the addresses
// there (with the bypassed ip-bindings') are the authorised set the rules
// test. See docs/rosemu-menus.md.

const (
	hotspotActiveTable = "ip hotspot active"

	// HotspotAuthList is the kernel address list of the authorised
	// clients. A comma is refused in a user's list name, so no list of
	// the configuration can be it.
	HotspotAuthList = "hotspot,auth"
	// hotspotBlockedList holds the blocked ip-bindings' addresses.
	hotspotBlockedList = "hotspot,blocked"

	// HotspotLoginPort is the port RouterOS's login servlet listens on
	// (its dynamic nat rule redirects a client's HTTP to the router's
	// own address there); HotspotProxyPort is the one HTTP to elsewhere
	// is redirected to, which answers with a redirect to the login page
	// (Manual:Customizing Hotspot, firewall section).
	HotspotLoginPort = 64873
	HotspotProxyPort = 64874
)

// HotspotPortal is what the login page needs of the server a client is
// behind.
type HotspotPortal struct {
	Server    string
	Interface string
	// Address is where the client reaches the login page: the profile's
	// hotspot-address, else the router's address on the client's
	// network.
	Address netip.Addr
	// LoginBy is the profile's login-by.
	LoginBy string
}

// ErrHotspotLogin is HotspotLogin's refusal; its text is the reason the
// login page shows.
var ErrHotspotLogin = errors.New("hotspot login refused")

// hotspotServer is an enabled /ip hotspot entry with the router's
// addresses on its interface.
// hotspotMACs are the ip-bindings by MAC address alone.
type hotspotMACs struct{ bypassed, blocked []string }

type hotspotServer struct {
	it    *item
	addrs []netip.Prefix
}

func hotspotServers(t *tx) []hotspotServer {
	var out []hotspotServer
	for _, h := range t.m.tables["ip hotspot"] {
		if h.disabled() {
			continue
		}
		out = append(out, hotspotServer{it: h, addrs: routerAddrs(t, h.props["interface"])})
	}
	return out
}

// hotspotOf is the server whose interface's network holds client.
func hotspotOf(t *tx, client netip.Addr) (hotspotServer, netip.Prefix, bool) {
	for _, s := range hotspotServers(t) {
		for _, p := range s.addrs {
			if p.Addr().Is4() && p.Masked().Contains(client) {
				return s, p, true
			}
		}
	}
	return hotspotServer{}, netip.Prefix{}, false
}

func namedItem(m *model, table, name string) *item {
	for _, it := range m.tables[table] {
		if it.props["name"] == name {
			return it
		}
	}
	return nil
}

// HotspotFor returns the portal a client's address is behind.
func (r *Router) HotspotFor(client netip.Addr) (HotspotPortal, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &tx{r: r, m: r.m}
	s, p, ok := hotspotOf(t, client.Unmap())
	if !ok {
		return HotspotPortal{}, false
	}
	pr := namedItem(r.m, "ip hotspot profile", r.m.refName(s.it.props["profile"], "ip hotspot profile", "default"))
	hp := HotspotPortal{Server: s.it.props["name"], Interface: s.it.props["interface"], Address: p.Addr(), LoginBy: "cookie,http-chap"}
	if pr != nil {
		if a, err := netip.ParseAddr(pr.props["hotspot-address"]); err == nil && !a.IsUnspecified() {
			hp.Address = a
		}
		hp.LoginBy = orDefault(pr.props["login-by"], hp.LoginBy)
	}
	return hp, true
}

// HotspotLogin logs client (with its MAC, "" when unknown) in as user, as
// the login page's form asks. It checks what RouterOS checks of a local
// user (the HotSpot page's /ip hotspot user properties): the name and
// password, that the user is enabled and meant for this server, its
// address= and mac-address= restrictions, and its profile's shared-users.
// A client already logged in is logged in again under the new name.
func (r *Router) HotspotLogin(client netip.Addr, mac, user, password string) (err error) {
	defer guarded("hotspot login", &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	client = client.Unmap()
	t := r.begin(false)
	s, _, ok := hotspotOf(t, client)
	if !ok {
		return fmt.Errorf("%w: %s is behind no enabled hotspot server", ErrHotspotLogin, client)
	}
	server := s.it.props["name"]
	refuse := func(why string) error {
		// RouterOS logs a failed login under hotspot,info,debug with the
		// user and address [verify] the wording.
		r.book.add(script.LogEntry{Time: time.Now(), Topics: "hotspot,info,debug", Msg: user + " (" + client.String() + "): login failed: " + why})
		return fmt.Errorf("%w: %s", ErrHotspotLogin, why)
	}
	sp := namedItem(t.m, "ip hotspot profile", t.m.refName(s.it.props["profile"], "ip hotspot profile", "default"))
	loginBy, how := "cookie,http-chap", "http-pap"
	if sp != nil {
		loginBy = orDefault(sp.props["login-by"], loginBy)
	}
	var u *item
	var limit time.Duration
	if strings.HasPrefix(strings.ToUpper(user), "T-") && slices.Contains(strings.Split(loginBy, ","), "trial") {
		// login-by=trial: the page's trial link logs in as T-<MAC>
		// with no password (Customizing Hotspot: the trial link's
		// username=T-$(mac-esc)), under the profile's
		// trial-user-profile, for trial-uptime-limit per
		// trial-uptime-reset.
		if mac == "" || !strings.EqualFold(user, "T-"+mac) {
			return refuse("invalid username or password")
		}
		user, how = "T-"+strings.ToUpper(mac), "trial"
		u = &item{props: map[string]string{"name": user, "profile": t.m.refName("", "ip hotspot user profile", "default")}}
		limit = 30 * time.Minute
		reset := 24 * time.Hour
		if sp != nil {
			u.props["profile"] = t.m.refName(sp.props["trial-user-profile"], "ip hotspot user profile", "default")
			if d, ok := script.ParseTime(sp.props["trial-uptime-limit"]); ok {
				limit = d
			}
			if d, ok := script.ParseTime(sp.props["trial-uptime-reset"]); ok {
				reset = d
			}
		}
		hotspotTrialReset(t.m, user, time.Now(), reset)
	} else {
		// Only http-pap and http-chap take a password (rosemu takes
		// either in plain text).
		if !slices.ContainsFunc(strings.Split(loginBy, ","), func(m string) bool { return m == "http-pap" || m == "http-chap" }) {
			return refuse("login-by=" + loginBy + " takes no password")
		}
		for _, it := range t.m.tables["ip hotspot user"] {
			if it.props["name"] == user && !it.disabled() {
				if srv := orDefault(it.props["server"], "all"); srv == "all" || srv == server {
					u = it
					break
				}
			}
		}
		if u == nil || u.props["password"] != password {
			return refuse("invalid username or password")
		}
		// limit-uptime bounds the user's uptime over all its sessions
		// (HotSpot page: "Uptime limit for the HotSpot client, user
		// will be disconnected when uptime reaches"), so a user at its
		// limit cannot log in again.
		limit, _ = script.ParseTime(u.props["limit-uptime"])
	}
	now := time.Now()
	// A client logged in already leaves its session first, and that
	// session's uptime counts to its user's: dropped uncounted, a user
	// logging in again from its address started limit-uptime afresh.
	var again []*item
	for _, a := range t.m.tables[hotspotActiveTable] {
		if a.props["address"] == client.String() {
			again = append(again, a)
		}
	}
	for _, a := range again {
		dropTableItem(t.m, hotspotActiveTable, a.id)
		hotspotCount(t, a, now)
	}
	used := hotspotUsed(t.m, user)
	if limit > 0 && used >= limit {
		return refuse("uptime limit reached")
	}
	if a, err := netip.ParseAddr(u.props["address"]); err == nil && !a.IsUnspecified() && a != client {
		return refuse("not allowed to log in from this address")
	}
	if m := u.props["mac-address"]; m != "" && !strings.EqualFold(m, mac) {
		return refuse("not allowed to log in from this MAC address")
	}
	profile := namedItem(t.m, "ip hotspot user profile", t.m.refName(u.props["profile"], "ip hotspot user profile", "default"))
	rate, list, onLogin, onLogout, idle := "", "", "", "", ""
	shared := 1
	if profile != nil {
		if d, ok := script.ParseTime(profile.props["idle-timeout"]); ok && d > 0 {
			idle = strconv.FormatInt(d.Milliseconds(), 10)
		}
		rate, list, onLogin, onLogout = profile.props["rate-limit"], profile.props["address-list"], profile.props["on-login"], profile.props["on-logout"]
		if v := profile.props["shared-users"]; v == "unlimited" {
			shared = 0
		} else {
			shared = atoiOr(v, 1)
		}
	}
	perMAC := atoiOr(orDefault(s.it.props["addresses-per-mac"], "2"), 2)
	if s.it.props["addresses-per-mac"] == "unlimited" {
		perMAC = 0
	}
	sameUser, sameMAC := 0, 0
	for _, a := range t.m.tables[hotspotActiveTable] {
		if a.props["user"] == user {
			sameUser++
		}
		if mac != "" && strings.EqualFold(a.props["mac-address"], mac) && a.props["server"] == server {
			sameMAC++
		}
	}
	if shared > 0 && sameUser >= shared {
		return refuse("no more sessions are allowed for user")
	}
	if perMAC > 0 && sameMAC >= perMAC {
		return refuse("too many addresses for this MAC address")
	}
	var until time.Time
	why := ""
	if limit > 0 {
		until, why = now.Add(limit-used), "uptime limit reached"
	}
	if profile != nil {
		// The profile's session-timeout bounds one session [verify]
		// the logout reason's wording.
		if st, ok := script.ParseTime(profile.props["session-timeout"]); ok && st > 0 && (until.IsZero() || now.Add(st).Before(until)) {
			until, why = now.Add(st), "session timeout"
		}
	}
	props := map[string]string{
		"user": user, "address": client.String(), "mac-address": strings.ToUpper(mac), "server": server,
		// The form is posted in plain text (http-pap): rosemu's page
		// does no CHAP (docs/rosemu-menus.md).
		"login-by": how, "comment": u.props["comment"],
		"~since": strconv.FormatInt(now.UnixMilli(), 10), "~rate-limit": rate, "~address-list": list,
		"~interface": s.it.props["interface"], "~on-login": onLogin, "~on-logout": onLogout, "~idle": idle,
	}
	if !until.IsZero() {
		props["~until"], props["~until-why"] = strconv.FormatInt(until.UnixMilli(), 10), why
	}
	setTableItem(t.m, hotspotActiveTable, &item{id: r.newID(), props: props})
	t.changed = true
	if err := r.commit(t); err != nil {
		return err
	}
	r.book.add(script.LogEntry{Time: time.Now(), Topics: "hotspot,account,info,debug", Msg: user + " (" + client.String() + "): logged in"})
	return nil
}

// HotspotOnLogin returns the on-login script of client's session (its
// user profile's, "" for none) and the variables it runs with: user,
// address, mac-address, interface and server [verify] the full list
// RouterOS gives.
func (r *Router) HotspotOnLogin(client netip.Addr) (string, map[string]script.Value) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range r.m.tables[hotspotActiveTable] {
		if a.props["address"] != client.Unmap().String() || a.props["~on-login"] == "" {
			continue
		}
		return a.props["~on-login"], hotspotScriptVars(a)
	}
	return "", nil
}

// hotspotScriptVars are the variables the session a's on-login and
// on-logout scripts run with.
func hotspotScriptVars(a *item) map[string]script.Value {
	vars := map[string]script.Value{}
	for _, k := range []string{"user", "address", "mac-address", "server"} {
		vars[k] = script.Str(a.props[k])
	}
	vars["interface"] = script.Str(a.props["~interface"])
	return vars
}

// HotspotActive returns the addresses of the logged-in clients.
func (r *Router) HotspotActive() []netip.Addr {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []netip.Addr
	for _, a := range r.m.tables[hotspotActiveTable] {
		if ad, err := netip.ParseAddr(a.props["address"]); err == nil {
			out = append(out, ad)
		}
	}
	return out
}

func hotspotActiveStatus(_ *tx, it *item) []Prop {
	return []Prop{{"uptime", rosUptime(hotspotUptime(it, time.Now()))}}
}

// hotspotUptime is how long the session it has been up at now.
func hotspotUptime(it *item, now time.Time) time.Duration {
	since, _ := strconv.ParseInt(it.props["~since"], 10, 64)
	return max(0, now.Sub(time.UnixMilli(since)))
}

// hotspotUptimeTable keeps each user's uptime of its ended sessions, for
// limit-uptime; a state table, not saved.
const hotspotUptimeTable = "ip hotspot user uptime"

func hotspotUsed(m *model, user string) time.Duration {
	for _, it := range m.tables[hotspotUptimeTable] {
		if it.props["user"] == user {
			ms, _ := strconv.ParseInt(it.props["ms"], 10, 64)
			return time.Duration(ms) * time.Millisecond
		}
	}
	return 0
}

// hotspotTrialReset forgets a trial user's uptime once trial-uptime-reset
// has passed since its first trial login, and notes that first login.
func hotspotTrialReset(m *model, user string, now time.Time, reset time.Duration) {
	for _, it := range m.tables[hotspotUptimeTable] {
		if it.props["user"] != user {
			continue
		}
		first, _ := strconv.ParseInt(it.props["first"], 10, 64)
		if now.Sub(time.UnixMilli(first)) >= reset {
			dropTableItem(m, hotspotUptimeTable, it.id)
		}
	}
}

// hotspotLogout ends the session a in t: it leaves /ip hotspot active, its
// uptime counts to its user's, and the log says so once committed.
func hotspotLogout(t *tx, a *item, now time.Time, why string) {
	dropTableItem(t.m, hotspotActiveTable, a.id)
	t.changed = true
	hotspotCount(t, a, now)
	r := t.r
	t.afterCommit = append(t.afterCommit, func() {
		r.book.add(script.LogEntry{Time: now, Topics: "hotspot,account,info,debug", Msg: a.props["user"] + " (" + a.props["address"] + "): logged out: " + why})
		// The user profile's on-logout script (HotSpot page, user
		// profile on-logout: run "when user logs out"), whatever ended
		// the session: an admin's remove, session-timeout or
		// limit-uptime. The engine's lock is held here, so it runs once
		// the lock is free, as the on-login script runs after the login.
		if src := a.props["~on-logout"]; strings.TrimSpace(src) != "" {
			vars := hotspotScriptVars(a)
			r.hsScripts.Add(1)
			go func() {
				defer r.hsScripts.Done()
				_ = r.RunScript(context.Background(), "hotspot on-logout "+a.props["user"], src, vars)
			}()
		}
	})
}

// hotspotCount adds the uptime of the session a, ended at now, to its
// user's, for limit-uptime.
func hotspotCount(t *tx, a *item, now time.Time) {
	user := a.props["user"]
	used := hotspotUsed(t.m, user) + hotspotUptime(a, now)
	var id uint64
	for _, it := range t.m.tables[hotspotUptimeTable] {
		if it.props["user"] == user {
			id = it.id
		}
	}
	if id == 0 {
		id = t.r.newID()
	}
	first := a.props["~since"]
	for _, it := range t.m.tables[hotspotUptimeTable] {
		if it.props["user"] == user {
			first = it.props["first"]
		}
	}
	setTableItem(t.m, hotspotUptimeTable, &item{id: id, props: map[string]string{"user": user, "ms": strconv.FormatInt(used.Milliseconds(), 10), "first": first}})
}

// HotspotExpire logs out the sessions whose limit-uptime or
// session-timeout has passed at now, and those idle for their profile's
// idle-timeout (hotspotIdle); the login page calls it every second while
// it runs.
func (r *Router) HotspotExpire(now time.Time) (err error) {
	defer guarded("hotspot expiry", &err)
	// The connection table is read, while a session has an idle-timeout,
	// outside the engine's lock: a dump of a full table every second
	// must not hold up the console and the API.
	r.mu.Lock()
	watching := hotspotWatching(r.m)
	r.mu.Unlock()
	var conns []kernel.Conn
	read := false
	if ct := r.opts.Conntrack; watching && ct != nil {
		var cerr error
		conns, cerr = ct.Connections()
		read = cerr == nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	why := map[*item]string{}
	var due []*item
	for _, a := range r.m.tables[hotspotActiveTable] {
		if ms, err := strconv.ParseInt(a.props["~until"], 10, 64); err == nil && !now.Before(time.UnixMilli(ms)) {
			due, why[a] = append(due, a), a.props["~until-why"]
		}
	}
	for _, a := range r.hotspotIdle(now, conns, read) {
		if _, ok := why[a]; !ok {
			// RouterOS's reason [verify] the wording.
			due, why[a] = append(due, a), "idle timeout"
		}
	}
	if len(due) == 0 {
		return nil
	}
	t := r.begin(false)
	for _, a := range due {
		hotspotLogout(t, a, now, why[a])
	}
	return r.commit(t)
}

// hotspotWatching reports whether a logged-in session has an
// idle-timeout, so that its traffic must be read.
func hotspotWatching(m *model) bool {
	return slices.ContainsFunc(m.tables[hotspotActiveTable], func(a *item) bool { return a.props["~idle"] != "" })
}

// hsActivity is what a hotspot session's client has sent through the
// router: the packet count of each of its connections, by conntrack id,
// and when one last grew or a new one began.
type hsActivity struct {
	conns map[uint32]uint64
	at    time.Time
}

// hotspotIdle returns the sessions that sent nothing through the router
// for their user profile's idle-timeout ("no traffic coming from that
// client and going through the router", HotSpot page, user profile
// idle-timeout). The traffic is read from the connection tracking table:
// the client's connections whose destination is not one of the router's
// addresses, nor redirected to one, so what it sends to the router itself
// (DNS, the login page) does not keep it logged in. A new connection, or one whose packet count
// grew since the last call, is traffic; one that ends is not. conns is
// the table HotspotExpire read; without it (read false: no kernel, or the
// read failed) no session is idle.
func (r *Router) hotspotIdle(now time.Time, conns []kernel.Conn, read bool) []*item {
	var watched []*item
	for _, a := range r.m.tables[hotspotActiveTable] {
		if a.props["~idle"] != "" {
			watched = append(watched, a)
		}
	}
	if len(watched) == 0 {
		r.hsIdle, r.hsSent = nil, nil
		return nil
	}
	if !read {
		return nil
	}
	own := map[netip.Addr]bool{}
	for _, a := range r.m.tables["ip address"] {
		if p, err := netip.ParsePrefix(a.props["address"]); err == nil {
			own[p.Addr()] = true
		}
	}
	sent := map[netip.Addr]map[uint32]uint64{}
	for _, c := range conns {
		if own[c.Dst.Addr()] || own[c.ReplySrc.Addr()] {
			// To the router itself, or redirected to it (the login
			// page's dst-nat of a client's HTTP).
			continue
		}
		if sent[c.Src.Addr()] == nil {
			sent[c.Src.Addr()] = map[uint32]uint64{}
		}
		sent[c.Src.Addr()][c.ID] = c.OrigPackets
	}
	seen := map[uint64]hsActivity{}
	var idle []*item
	for _, a := range watched {
		client, _ := netip.ParseAddr(a.props["address"])
		cur := sent[client]
		act, ok := r.hsIdle[a.id]
		if !ok {
			// The first reading since the login: what the client sent
			// since the reading before it (none: everything it has) is
			// traffic of the session. Taken as the baseline, packets of
			// the first second after a login did not count.
			since, _ := strconv.ParseInt(a.props["~since"], 10, 64)
			act.at = time.UnixMilli(since)
			act.conns = r.hsSent[client]
		}
		for id, n := range cur {
			if old, had := act.conns[id]; !had || n > old {
				act.at = now
				break
			}
		}
		act.conns = cur
		seen[a.id] = act
		limit, _ := strconv.ParseInt(a.props["~idle"], 10, 64)
		if now.Sub(act.at) >= time.Duration(limit)*time.Millisecond {
			idle = append(idle, a)
		}
	}
	r.hsIdle, r.hsSent = seen, sent
	return idle
}

// pTimeOrNone is a duration or none (a user profile's idle-timeout).
func pTimeOrNone(t *tx, name, v string) (string, error) {
	if v == "none" {
		return v, nil
	}
	return pInterval(t, name, v)
}

// hotspotActiveMenu is /ip hotspot active: the logged-in clients.
// remove logs one out: its address leaves the authorised set in the same
// commit, so its next packet is a stranger's again.
var hotspotActiveMenu = &menu{path: hotspotActiveTable, readOnly: true,
	props: []*prop{
		sProp("server", ""), sProp("user", ""), sProp("address", ""), sProp("mac-address", ""),
		sProp("login-by", ""), sProp("comment", ""),
	},
	readonly: hotspotActiveStatus,
	columns:  []string{"server", "user", "address", "mac-address", "uptime", "login-by"},
	commands: map[string]menuCommand{"remove": sessionRemove(hotspotActiveTable, func(t *tx, it *item) {
		// RouterOS's reason for an admin's removal [verify].
		hotspotLogout(t, it, time.Now(), "admin")
	})}}

// sessionRemove is the remove of a session table (/ppp active, /ip
// hotspot active): the sessions leave the table in the command's commit,
// and after, when set, runs for each once the commit is made.
func sessionRemove(table string, after func(t *tx, it *item)) menuCommand {
	return menuCommand{
		syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
		run: func(t *tx, req *request) (result, error) {
			its, err := t.items(req.menu, req)
			if err != nil {
				return result{}, err
			}
			for _, it := range its {
				dropTableItem(t.m, table, it.id)
				t.changed = true
				if after != nil {
					after(t, it)
				}
			}
			return result{}, nil
		},
	}
}

// hotspotQueues are the logged-in clients' dynamic simple queues: RouterOS
// adds one per active user whose profile has a rate-limit ("Simple
// dynamic queue is created for user, once it logs in", HotSpot page),
// targeting the client's address, rx the client's upload. Named
// <hotspot-user> [verify]; they are enforced, not printed by /queue
// simple, and go before the configured queues [verify] (the profile's
// insert-queue-before is stored).
func hotspotQueues(m *model) []kernel.SimpleQueue {
	var out []kernel.SimpleQueue
	for _, a := range m.tables[hotspotActiveTable] {
		up, down, ub, db, ok := pppRateQueue(a.props["~rate-limit"])
		ad, err := netip.ParseAddr(a.props["address"])
		if !ok || err != nil {
			continue
		}
		out = append(out, kernel.SimpleQueue{Name: "<hotspot-" + a.props["user"] + ">", Targets: []netip.Prefix{netip.PrefixFrom(ad, 32)},
			Upload: up, Download: down, UploadBurst: ub, DownloadBurst: db})
	}
	return out
}

// hotspotState adds the servers' dynamic rules before the user's filter
// and nat rules, the authorised and blocked addresses as the kernel
// address lists they test, and the users' queues before the configured
// ones. Called with the user's rules and queues in s.
func hotspotState(t *tx, s *kernel.State) {
	servers := hotspotServers(t)
	if len(servers) == 0 {
		return
	}
	s.Queues = append(hotspotQueues(t.m), s.Queues...)
	var auth, blocked []kernel.AddrEntry
	for _, a := range t.m.tables[hotspotActiveTable] {
		if e, ok := addrEntry(a.props["address"]); ok {
			auth = append(auth, e)
			// The user profile's address-list: the logged-in address
			// joins it (HotSpot page, user profile address-list), for
			// the user's own rules; rendered, not printed by /ip
			// firewall address-list [verify] RouterOS prints it dynamic.
			if l := a.props["~address-list"]; l != "" {
				s.AddressLists[l] = append(s.AddressLists[l], e)
			}
		}
	}
	for _, b := range t.m.tables["ip hotspot ip-binding"] {
		if b.disabled() || b.props["address"] == "" {
			continue
		}
		e, ok := addrEntry(b.props["address"])
		if !ok {
			continue
		}
		switch b.props["type"] {
		case "bypassed":
			auth = append(auth, e)
		case "blocked":
			blocked = append(blocked, e)
		}
	}
	s.AddressLists[HotspotAuthList] = auth
	s.AddressLists[hotspotBlockedList] = blocked
	var bypassedMACs, blockedMACs []string
	for _, b := range t.m.tables["ip hotspot ip-binding"] {
		if b.disabled() || b.props["address"] != "" || b.props["mac-address"] == "" {
			continue
		}
		switch b.props["type"] {
		case "bypassed":
			bypassedMACs = append(bypassedMACs, b.props["mac-address"])
		case "blocked":
			blockedMACs = append(blockedMACs, b.props["mac-address"])
		}
	}
	userChains := func(tbl string) map[string]bool {
		out := map[string]bool{}
		for _, r := range t.m.tables[tbl] {
			if !r.disabled() {
				out[r.props["chain"]] = true
			}
		}
		return out
	}
	ifaces := serverIfaces(servers)
	renderHotspotMatchers(ifaces, s.Filter)
	renderHotspotMatchers(ifaces, s.NAT)
	renderHotspotMatchers(ifaces, s.Mangle)
	filter, nat := hotspotRules(t, servers, hotspotMACs{bypassed: bypassedMACs, blocked: blockedMACs}, userChains("ip firewall filter"), userChains("ip firewall nat"))
	s.Filter = append(filter, s.Filter...)
	s.NAT = append(nat, s.NAT...)
}

// hotspotRules are the dynamic filter and nat rules of the servers, in
// the order Manual:Customizing Hotspot prints RouterOS's (its firewall
// section lists them rule by rule). What rosemu changes:
//   - DNS is redirected to the router's own DNS server (port 53) and
//     accepted there, where RouterOS sends it to its hotspot's DNS on
//     64872 [verify] that RouterOS answers with allow-remote-requests=no;
//   - DHCP (UDP 67) to the router is accepted, as RouterOS's DHCP server
//     sees it before the firewall;
//   - the walled-garden ip entries are copied into hs-unauth, and
//     hs-unauth-to lets back what belongs to connections let out;
//   - no SMTP (hs-smtp) and no HTTPS (443) redirect: login-by=https is
//     not modelled.
func hotspotRules(t *tx, servers []hotspotServer, macs hotspotMACs, userFilter, userNAT map[string]bool) (filter, nat []kernel.Rule) {
	n := 0
	add := func(out *[]kernel.Rule, props map[string]string) {
		n++
		*out = append(*out, kernel.Rule{ID: "hs" + strconv.Itoa(n), Props: props})
	}
	notAuth, isAuth := "!"+HotspotAuthList, HotspotAuthList
	for _, s := range servers {
		ifc := s.it.props["interface"]
		// A blocked binding's packets are dropped before anything else
		// (HotSpot page: "blocked - translation will not be made and
		// packets from host will be dropped").
		add(&filter, map[string]string{"chain": "forward", "action": "drop", "in-interface": ifc, "src-address-list": hotspotBlockedList})
		add(&filter, map[string]string{"chain": "input", "action": "drop", "in-interface": ifc, "src-address-list": hotspotBlockedList})
		for _, m := range macs.blocked {
			for _, chain := range []string{"forward", "input"} {
				add(&filter, map[string]string{"chain": chain, "action": "drop", "in-interface": ifc, "src-mac-address": m})
			}
		}
		add(&filter, map[string]string{"chain": "forward", "action": "jump", "jump-target": "hs-unauth", "in-interface": ifc, "src-address-list": notAuth})
		add(&filter, map[string]string{"chain": "forward", "action": "jump", "jump-target": "hs-unauth-to", "out-interface": ifc, "dst-address-list": notAuth})
		add(&filter, map[string]string{"chain": "input", "action": "jump", "jump-target": "hs-input", "in-interface": ifc})
		if userNAT["pre-hotspot"] {
			add(&nat, map[string]string{"chain": "dstnat", "action": "jump", "jump-target": "pre-hotspot", "in-interface": ifc})
		}
		add(&nat, map[string]string{"chain": "dstnat", "action": "jump", "jump-target": "hotspot", "in-interface": ifc})
	}
	if userFilter["pre-hs-input"] {
		add(&filter, map[string]string{"chain": "hs-input", "action": "jump", "jump-target": "pre-hs-input"})
	}
	for _, proto := range []string{"udp", "tcp"} {
		add(&filter, map[string]string{"chain": "hs-input", "action": "accept", "protocol": proto, "dst-port": "53"})
	}
	add(&filter, map[string]string{"chain": "hs-input", "action": "accept", "protocol": "udp", "dst-port": "67"})
	add(&filter, map[string]string{"chain": "hs-input", "action": "accept", "protocol": "tcp", "dst-port": "64872-64875"})
	add(&filter, map[string]string{"chain": "hs-input", "action": "jump", "jump-target": "hs-unauth", "src-address-list": notAuth})
	// A binding by MAC alone: the bypassed host leaves hs-unauth at once
	// (filter and nat), as a client that needs no login.
	for _, m := range macs.bypassed {
		add(&filter, map[string]string{"chain": "hs-unauth", "action": "return", "src-mac-address": m})
	}
	for _, g := range t.m.tables["ip hotspot walled-garden ip"] {
		if props, ok := gardenRule(servers, g); ok {
			add(&filter, props)
		}
	}
	add(&filter, map[string]string{"chain": "hs-unauth", "action": "reject", "protocol": "tcp", "reject-with": "tcp-reset"})
	add(&filter, map[string]string{"chain": "hs-unauth", "action": "reject", "reject-with": "icmp-net-prohibited"})
	// What comes back to a client that is not authorised belongs to a
	// connection hs-unauth let out (a walled-garden ip entry, a binding
	// by MAC) or is a stranger's new connection, which is rejected
	// [verify] RouterOS's form of hs-unauth-to.
	add(&filter, map[string]string{"chain": "hs-unauth-to", "action": "return", "connection-state": "established,related"})
	add(&filter, map[string]string{"chain": "hs-unauth-to", "action": "reject", "reject-with": "icmp-host-prohibited"})

	for _, proto := range []string{"udp", "tcp"} {
		add(&nat, map[string]string{"chain": "hotspot", "action": "redirect", "protocol": proto, "dst-port": "53", "to-ports": "53"})
	}
	add(&nat, map[string]string{"chain": "hotspot", "action": "redirect", "protocol": "tcp", "dst-port": "80", "dst-address-type": "local", "to-ports": strconv.Itoa(HotspotLoginPort)})
	add(&nat, map[string]string{"chain": "hotspot", "action": "jump", "jump-target": "hs-unauth", "protocol": "tcp", "src-address-list": notAuth})
	if userNAT["hs-auth"] {
		add(&nat, map[string]string{"chain": "hotspot", "action": "jump", "jump-target": "hs-auth", "protocol": "tcp", "src-address-list": isAuth})
	}
	// A walled-garden ip entry that accepts TCP keeps its connections
	// from the redirect to the login page (the manual: only the entries
	// whose protocol is TCP or unset go into nat's hs-unauth).
	for _, m := range macs.bypassed {
		add(&nat, map[string]string{"chain": "hs-unauth", "action": "return", "src-mac-address": m})
	}
	for _, g := range t.m.tables["ip hotspot walled-garden ip"] {
		if g.disabled() || orDefault(g.props["action"], "accept") != "accept" || (g.props["protocol"] != "" && g.props["protocol"] != "tcp" && g.props["protocol"] != "6") {
			continue
		}
		props, ok := gardenRule(servers, g)
		if !ok {
			continue
		}
		props["chain"], props["protocol"] = "hs-unauth", "tcp"
		add(&nat, props)
	}
	for _, port := range []string{"80", "3128", "8080"} {
		add(&nat, map[string]string{"chain": "hs-unauth", "action": "redirect", "protocol": "tcp", "dst-port": port, "to-ports": strconv.Itoa(HotspotProxyPort)})
	}
	return filter, nat
}

// gardenRule is a walled-garden ip entry as a rule of hs-unauth (accept
// returns to the chain that jumped, so the user's own rules still judge
// the packet; drop and reject end it). ok is false for a disabled entry,
// one with a dst-host (stored) or one for a server that is not enabled.
func gardenRule(servers []hotspotServer, g *item) (props map[string]string, ok bool) {
	p := g.props
	if g.disabled() || p["dst-host"] != "" {
		return nil, false
	}
	props = map[string]string{"chain": "hs-unauth"}
	if srv := p["server"]; srv != "" {
		i := slices.IndexFunc(servers, func(s hotspotServer) bool { return s.it.props["name"] == srv })
		if i < 0 {
			return nil, false
		}
		props["in-interface"] = servers[i].it.props["interface"]
	}
	for _, k := range []string{"dst-address", "dst-address-list", "dst-port", "src-address", "src-address-list", "protocol"} {
		if v := p[k]; v != "" {
			props[k] = v
		}
	}
	props["action"] = map[string]string{"accept": "return", "drop": "drop", "reject": "reject"}[orDefault(p["action"], "accept")]
	return props, true
}

// What of the hotspot menus rosemu applies; the rest is stored and each
// property says why.
const (
	hotspotStored       = "rosemu's hotspot applies a server's interface, profile (hotspot-address, login-by) and addresses-per-mac; this setting is stored"
	hotspotUserStored   = "rosemu's hotspot checks a user's name, password, server, address, mac-address, limit-uptime and its profile's shared-users; this setting is stored"
	hotspotProfStored   = "rosemu's hotspot uses a profile's hotspot-address, login-by and trial settings; this setting is stored"
	hotspotUProfStored  = "rosemu's hotspot applies a user profile's shared-users, rate-limit, session-timeout, idle-timeout, address-list, on-login and on-logout; this setting is stored"
	hotspotBindStored   = "rosemu's hotspot applies an ip-binding's address, or its mac-address when it has no address, with type bypassed or blocked, on every server; this setting is stored"
	hotspotGardenStored = "rosemu's hotspot proxy sees HTTP on TCP 80, 3128 and 8080 only: an entry for other ports (HTTPS) lets nothing through"
	hotspotGardenHost   = "rosemu matches walled-garden ip entries by address, port and protocol; one by dst-host is stored"
)

func init() {
	hotspotEnforced := map[*menu]struct {
		applied []string
		why     string
	}{
		hotspotMenu:            {[]string{"name", "interface", "profile", "addresses-per-mac", "comment", "disabled"}, hotspotStored},
		hotspotUserMenu:        {[]string{"name", "password", "server", "profile", "address", "mac-address", "limit-uptime", "comment", "disabled"}, hotspotUserStored},
		hotspotProfileMenu:     {[]string{"name", "hotspot-address", "login-by", "trial-user-profile", "trial-uptime-limit", "trial-uptime-reset", "comment"}, hotspotProfStored},
		hotspotUserProfileMenu: {[]string{"name", "shared-users", "rate-limit", "session-timeout", "idle-timeout", "address-list", "on-login", "on-logout", "comment"}, hotspotUProfStored},
		hotspotBindingMenu:     {[]string{"address", "mac-address", "type", "server", "comment", "disabled"}, hotspotBindStored},
		hotspotGardenIPMenu:    {[]string{"dst-address", "dst-address-list", "dst-port", "src-address", "src-address-list", "protocol", "server", "action", "comment", "disabled"}, hotspotGardenHost},
	}
	for m, e := range hotspotEnforced {
		m.notEnforced = ""
		for _, p := range m.props {
			if !slices.Contains(e.applied, p.name) {
				p.notEnforced = e.why
			}
		}
	}
	for _, p := range hotspotGardenMenu.props {
		if p.name == "dst-port" {
			// The proxy sees HTTP on the ports the hotspot redirects.
			p.notEnforced = hotspotGardenStored
			p.inert = func(props map[string]string) bool {
				return slices.ContainsFunc([]int{80, 3128, 8080}, func(port int) bool { return portIn(props["dst-port"], port) })
			}
		}
	}
	hotspotGardenMenu.notEnforced = ""
	for _, m := range []*menu{hotspotUserMenu, hotspotUserProfileMenu} {
		for _, p := range m.props {
			if p.name == "limit-uptime" || p.name == "session-timeout" {
				// Durations: a bad one would silently limit nothing.
				p.parse = pTime
			}
			if p.name == "idle-timeout" {
				p.parse = pTimeOrNone
			}
		}
	}
	for _, p := range hotspotUserProfileMenu.props {
		if p.name == "rate-limit" {
			// PPP's form (HotSpot page, user profile rate-limit): the
			// rates and bursts make the user's queue (hotspotQueues).
			p.parse = pPPPRateLimit
			p.notEnforced = "rosemu limits the user by the rates and bursts (the first four fields) in its dynamic simple queue; the priority and minimum rates after them are stored, not applied"
			p.inert = func(props map[string]string) bool { return len(strings.Fields(props["rate-limit"])) <= 4 }
		}
	}
	for _, p := range hotspotBindingMenu.props {
		switch p.name {
		case "mac-address":
			// Applied alone; beside an address, the address decides.
			p.notEnforced = hotspotBindStored
			p.inert = func(props map[string]string) bool { return props["address"] == "" }
		case "server":
			// Bindings apply on every server.
			p.notEnforced = hotspotBindStored
			p.inert = func(props map[string]string) bool { return orDefault(props["server"], "all") == "all" }
		}
	}
	for _, p := range hotspotProfileMenu.props {
		if p.name == "login-by" {
			p.notEnforced = hotspotLoginByStored
			p.inert = func(props map[string]string) bool {
				for _, m := range strings.Split(props["login-by"], ",") {
					if m != "" && m != "http-pap" && m != "http-chap" && m != "cookie" && m != "trial" {
						return false
					}
				}
				return true
			}
		}
	}
}

// hotspotLoginByStored: the login page takes a plain form for http-pap
// and http-chap alike; the other methods are not modelled.
const hotspotLoginByStored = "rosemu's login page takes a form with the password in plain text (http-pap; http-chap's hashed form is taken the same way) and trial logins, and remembers no cookie; mac, mac-cookie and https logins are not modelled"

// /ip hotspot active sits after /ip hotspot user, as on a CHR.
func init() { insertMenus("ip hotspot user", hotspotActiveMenu) }

// HotspotRunning says whether an /ip hotspot server is enabled: the login
// page listens only then.
func (r *Router) HotspotRunning() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !hotspotIdle(r.m)
}

// HotspotLoggedIn returns the user client is logged in as.
func (r *Router) HotspotLoggedIn(client netip.Addr) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range r.m.tables[hotspotActiveTable] {
		if a.props["address"] == client.Unmap().String() {
			return a.props["user"], true
		}
	}
	return "", false
}

// HotspotRequest is an HTTP request an unauthorised client sent
// elsewhere, as the hotspot's proxy sees it.
type HotspotRequest struct {
	Client netip.Addr
	Dst    netip.AddrPort // where the client sent it (before the redirect)
	Host   string         // the Host header, without a port
	Path   string
	Method string
}

// HotspotGardenAllows says whether /ip hotspot walled-garden lets req
// through to its destination without a login: the first enabled entry
// that matches decides (allow or deny); none matching sends the client to
// the login page. An entry matches by server, src-address, dst-address,
// dst-port, method, dst-host and path (the HotSpot page's walled-garden
// properties); dst-host and path take * and ? as wildcards, or a regular
// expression after ":" [verify] RouterOS's pattern syntax, and dst-host
// is matched without regard to case.
func (r *Router) HotspotGardenAllows(req HotspotRequest) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &tx{r: r, m: r.m}
	s, _, ok := hotspotOf(t, req.Client.Unmap())
	if !ok {
		return false
	}
	for _, g := range t.m.tables["ip hotspot walled-garden"] {
		p := g.props
		if g.disabled() || (p["server"] != "" && p["server"] != s.it.props["name"]) {
			continue
		}
		if !gardenAddr(p["src-address"], req.Client) || !gardenAddr(p["dst-address"], req.Dst.Addr()) {
			continue
		}
		if v := p["dst-port"]; v != "" && !portIn(v, int(req.Dst.Port())) {
			continue
		}
		if v := p["method"]; v != "" && !strings.EqualFold(v, req.Method) {
			continue
		}
		if !gardenPattern(p["dst-host"], strings.ToLower(req.Host), true) || !gardenPattern(p["path"], req.Path, false) {
			continue
		}
		return orDefault(p["action"], "allow") == "allow"
	}
	return false
}

// gardenAddr matches an address or prefix ("" matches all).
func gardenAddr(v string, a netip.Addr) bool {
	if v == "" {
		return true
	}
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Contains(a)
	}
	b, err := netip.ParseAddr(v)
	return err == nil && b == a
}

// gardenPattern matches a walled-garden dst-host or path ("" matches all).
func gardenPattern(pat, v string, fold bool) bool {
	if pat == "" {
		return true
	}
	if re, ok := strings.CutPrefix(pat, ":"); ok {
		if fold {
			re = "(?i)" + re
		}
		m, err := regexp.MatchString(re, v)
		return err == nil && m
	}
	if fold {
		pat = strings.ToLower(pat)
	}
	// path.Match's * stops at "/": a path pattern's * spans it, as a
	// host's needs not.
	if !fold {
		pat = strings.ReplaceAll(pat, "/", "\x00")
		v = strings.ReplaceAll(v, "/", "\x00")
	}
	m, err := path.Match(pat, v)
	return err == nil && m
}
