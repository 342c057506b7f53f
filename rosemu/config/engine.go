// Package config is rosemu's configuration model and engine: the menus,
// items and properties of RouterOS, their validation and defaults, console
// and API commands over them, export, and the kernel.State the data plane is
// rendered from.
package config

import (
	"context"
	"errors"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// Kernel applies a data-plane state; package kernel implements it. Apply is
// called with the whole state after every change and must either bring the
// kernel to it or fail, so that the engine can keep its old model.
type Kernel interface {
	Apply(*kernel.State) error
}

// Options configures a Router.
type Options struct {
	// Identity is the initial /system identity name ("MikroTik" if empty).
	Identity string
	// Ports are the ethernet port names in RouterOS order (ether1, ...).
	Ports []string
	// MACs are the ports' MAC addresses by name, as RouterOS prints them
	// (upper case); /interface ethernet shows them and find matches them.
	MACs map[string]string
	// DefaultDHCPClient starts the router as a fresh CHR does: with a DHCP
	// client on the first port (ether1), which a configuration must remove
	// or set before it adds its own there.
	DefaultDHCPClient bool
	// Version is the emulated RouterOS version (default 7.16.2); it shows
	// in export headers.
	Version string
	// Kernel receives the state after every change; nil keeps the model
	// only (unit tests).
	Kernel Kernel
	// DNS receives the DNS configuration after every committed change;
	// nil for none (unit tests).
	DNS DNSService
	// DHCP receives the /ip dhcp-client entries after every committed
	// change; nil for none (unit tests).
	DHCP DHCPService
	// PPPoE receives the /interface pppoe-client entries after every
	// committed change; nil for none (unit tests).
	PPPoE PPPoEService
	// PPPoEServer receives the /interface pppoe-server server entries and
	// the sessions of /ppp active after every committed change; nil for
	// none (unit tests).
	PPPoEServer PPPoEServerService
	// L2TPServer receives the /interface l2tp-server server settings and
	// the sessions of /ppp active after every committed change; nil for
	// none (unit tests).
	L2TPServer L2TPServerService
	// SSTPServer receives the /interface sstp-server server settings and
	// the sessions of /ppp active after every committed change; nil for
	// none (unit tests).
	SSTPServer SSTPServerService
	// OVPNServer runs /interface ovpn-server server (rosemu/service/ovpn).
	OVPNServer OVPNServerService
	// OVPNClient runs /interface ovpn-client (rosemu/service/ovpn).
	OVPNClient OVPNClientService
	// IPsec runs the /ip ipsec peers and their tunnel policies
	// (rosemu/service/ipsec).
	IPsec IPsecService
	// WireGuard receives the /interface wireguard interfaces and their
	// peers after every committed change; nil for none (unit tests).
	WireGuard WireGuardService
	// IPTunnels receives the /interface gre and /interface ipip
	// interfaces after every committed change; nil carries nothing.
	IPTunnels IPTunnelService
	// DHCP6 receives the /ipv6 dhcp-client entries after every committed
	// change; nil for none (unit tests).
	DHCP6 DHCP6Service
	// RA sends the router advertisements of /ipv6 nd (ipv6_nd.go).
	RA RAService
	// OSPF runs /routing ospf (ospf.go); nil for none (unit tests).
	Routing RoutingService
	// Cloud receives the /ip cloud configuration after every committed
	// change and /ip cloud force-update; nil for none (unit tests).
	Cloud CloudService
	// FQDN receives the enabled address-list entries with DNS names after
	// every committed change; nil for none (unit tests).
	FQDN FQDNService
	// Files are the router's files, which /import runs; nil for none.
	Files FileReader
	// Conntrack is read by /ip firewall connection and /ip firewall
	// connection tracking each time they run; nil shows an empty table and
	// RouterOS's default settings (unit tests).
	Conntrack Conntrack
	// Counters reads the firewall rules' packet and byte counters; nil
	// shows 0 for every rule (unit tests).
	Counters RuleCounters
	// Links tells whether a port has carrier; nil shows every enabled
	// port running (unit tests).
	Links LinkState
	// Syslog sends the datagrams of the remote logging actions from
	// the router (src unset: the routing table's choice); host is an
	// address or a DNS name. It must not block. nil sends nothing
	// (unit tests, chrlab validate).
	Syslog func(host string, port int, src netip.Addr, payload []byte)
	// OnCommit functions are called after every committed change, with the
	// router's lock held: they must return at once and not call back into
	// the Router (the router's services wake up and read their menus).
	OnCommit []func()
}

// Router holds one router's configuration and executes console sources and
// API commands against it. It is safe for concurrent use: every Run and
// Command is one transaction under the router's lock.
type Router struct {
	mu      sync.Mutex
	opts    Options
	m       *model
	nextID  uint64
	tree    *script.Tree
	globals map[string]script.Value
	book    *logbook
	sys     *system // /system script and scheduler run state
	// delaysCut counts the :delay waits of console text cut to
	// MaxTopDelay, for NotEnforced (forum43 D11).
	delaysCut int
	// expiry drops the address-list entries whose timeout ends (expiry.go).
	expiry *time.Timer
	// hsIdle is the last traffic seen of each hotspot session whose
	// profile has an idle-timeout, by session id (hotspotIdle).
	hsIdle map[uint64]hsActivity
	// hsSent is the last reading of what each client sent through the
	// router, by conntrack id: a new session's baseline (hotspotIdle).
	hsSent map[netip.Addr]map[uint32]uint64
	// hsScripts counts the on-logout scripts a hotspot logout started
	// and that still run: they run once the engine's lock is free, and a
	// test waits for them rather than sleeping.
	hsScripts sync.WaitGroup
}

// New returns a router with the default configuration of a CHR: the ports,
// the built-in interface lists and the identity.
func New(opts Options) *Router {
	if opts.Version == "" {
		opts.Version = "7.16.2"
	}
	r := &Router{opts: opts, m: &model{tables: map[string][]*item{}}, nextID: 1, tree: buildTree(opts.Version), globals: map[string]script.Value{}, sys: newSystem()}
	for _, p := range opts.Ports {
		r.m.tables["interface ethernet"] = append(r.m.tables["interface ethernet"], &item{
			id: r.newID(), props: map[string]string{"name": p, "default-name": p},
		})
	}
	for _, l := range []string{"all", "none", "dynamic", "static"} {
		// The comments RouterOS gives them ("contains all interfaces"),
		// which verbose exports set again.
		what := map[string]string{"all": "all", "none": "no", "dynamic": "dynamic", "static": "static"}[l]
		r.m.tables["interface list"] = append(r.m.tables["interface list"], &item{
			id: r.newID(), builtin: true, props: map[string]string{"name": l, "comment": "contains " + what + " interfaces"},
		})
	}
	id := &item{id: r.newID(), props: map[string]string{}}
	if opts.Identity != "" && opts.Identity != "MikroTik" {
		id.props["name"] = opts.Identity
	}
	r.m.tables["system identity"] = []*item{id}
	seedUsers(r.m)
	seedServices(r.m, opts.Version)
	if opts.DefaultDHCPClient && len(opts.Ports) > 0 {
		r.m.tables[dhcpClientTable] = append(r.m.tables[dhcpClientTable], &item{id: r.newID(), props: map[string]string{"interface": opts.Ports[0]}})
	}
	// Every settings menu has its one item from the start (/ip dns). It
	// takes no id from the counter: settings show no .id, and the ids of
	// list items stay as they were before the menu existed.
	for _, m := range menus {
		if m.single && len(r.m.tables[m.tableName()]) == 0 {
			r.m.tables[m.tableName()] = []*item{{props: map[string]string{}}}
		}
	}
	r.addDefaults()
	r.book = &logbook{send: opts.Syslog}
	if w, ok := opts.Files.(fileWriter); ok {
		r.book.files = w
	}
	r.book.configure(r.m)
	return r
}

// newID returns the next item id; ids are never reused while the router
// runs, also when the transaction that took one is rolled back.
func (r *Router) newID() uint64 {
	id := r.nextID
	r.nextID++
	return id
}

// tx is one transaction: commands run on a clone of the model.
type tx struct {
	r *Router
	// hideSecrets is set while a print hides the secrets it would show
	// (printHidesSecrets).
	hideSecrets bool
	// al indexes the address-list entries (addrindex.go); nil until used.
	al      *addrIndex
	m       *model
	api     bool
	now     time.Time
	changed bool
	// counters caches the kernel's rule counters for this transaction.
	counters map[string]kernel.Counter
	// queueStats caches the queues' counters for this transaction
	// (queuestats.go); nil until read.
	queueStats *kernel.QueueStats
	// inactive caches the kernel's inactive routes for this transaction
	// (routeUsable): reading them dumps the kernel's routes, and a print
	// of the routes asks once per route and per route it is weighed against.
	inactive     []kernel.Route
	inactiveRead bool
	// listHeads makes buildState keep the first entry of each address
	// list only (renderCheck: a rule needs its lists, not their entries).
	listHeads bool
	// env are the globals of the script run the transaction serves
	// (/system script environment); nil: the router's.
	env map[string]script.Value
	// envEvent are the variables of the event whose script runs.
	envEvent map[string]script.Value
	// running are the interpreters of the scripts this transaction runs,
	// outermost first: their :log entries, not yet in the router's log,
	// are shown by /log (dhcp_log.go).
	running []*script.Interp
	// afterCommit run once the router keeps the transaction's model: what
	// must not happen for a transaction that fails later, such as the log
	// line of a session a command ended.
	afterCommit []func()
	// yield lets :delay commit the run so far and wait without the
	// router's lock (sleep.go): set by the entry points that hold it.
	// publishGlobals: the run's globals are a copy (console input) that
	// others should see while it sleeps.
	yield, publishGlobals bool
	// job is the /system script this run is running, for :jobname, and
	// depth how deep scripts run scripts in it: a run's own, as runs
	// that wait (:delay) let others run meanwhile.
	job   string
	depth int
	// args are the arguments of the add or set whose item a menu's check
	// judges: a value equal to the default is not kept in the item
	// (apply), so only they tell an explicit type=A from none (dns.go).
	args []namedArg
	// eventVars are the variables of the event whose script the run
	// runs (a netwatch probe's results): the outermost script sees them
	// as its own (script.Interp.Vars).
	eventVars map[string]script.Value
	// policy is the set of policies the run has (script_policy.go): a
	// scheduler entry's, or a script's own with use-script-permissions;
	// nil: every policy (console input and the API, as the lab's admin).
	policy map[string]bool
}

func (r *Router) begin(api bool) *tx {
	t := &tx{r: r, m: r.m.clone(), api: api, now: time.Now()}
	t.expire()
	return t
}

// expire drops address-list entries whose timeout has passed.
func (t *tx) expire() {
	for _, tbl := range []string{"ip firewall address-list", "ipv6 firewall address-list"} {
		items := t.m.tables[tbl]
		if len(items) == 0 {
			continue
		}
		kept := items[:0]
		for _, it := range items {
			if !it.expires.IsZero() && !t.now.Before(it.expires) {
				t.changed = true
				continue
			}
			kept = append(kept, it)
		}
		t.m.tables[tbl] = kept
	}
}

// commit applies the transaction's state to the kernel and then adopts the
// model; a kernel failure leaves both as they were.
func (r *Router) commit(t *tx) error {
	if !t.changed {
		return nil
	}
	pruneFQDN(t.m)
	if r.opts.Kernel != nil {
		if err := r.opts.Kernel.Apply(buildState(t, r.opts.Ports)); err != nil {
			return &Error{Msg: "failure: " + err.Error(), Category: 4}
		}
	} else {
		// Without a kernel (chrlab validate, the loader's offline check)
		// the firewall is still rendered: a rule the renderer cannot
		// express would be refused by the lab's router, so the offline
		// check refuses it too, in the same words.
		st := buildState(t, r.opts.Ports)
		if _, err := kernel.Render(st); err != nil {
			return &Error{Msg: "failure: apply state: " + err.Error(), Category: 4}
		}
		if _, err := kernel.Render6(st.IPv6, st.InterfaceLists); err != nil {
			return &Error{Msg: "failure: apply state: " + err.Error(), Category: 4}
		}
		if err := kernel.CheckRouting(st); err != nil {
			return &Error{Msg: "failure: apply state: " + err.Error(), Category: 4}
		}
	}
	r.m = t.m
	r.armExpiry()
	r.book.configure(r.m)
	for _, f := range t.afterCommit {
		f()
	}
	if r.opts.DNS != nil {
		r.opts.DNS.Update(dnsConfig(r.m))
	}
	if r.opts.DHCP != nil {
		r.opts.DHCP.Update(dhcpClients(r.m))
	}
	if r.opts.DHCP6 != nil {
		r.opts.DHCP6.Update(dhcp6Clients(r.m))
	}
	if r.opts.PPPoE != nil {
		r.opts.PPPoE.Update(pppoeClients(r.m))
	}
	r.notifyPPPoEServer()
	r.notifyL2TPServer()
	r.notifySSTPServer()
	r.notifyOVPNServer()
	r.notifyOVPNClient()
	r.notifyIPsec()
	if r.opts.WireGuard != nil {
		r.opts.WireGuard.Update(wireguardInterfaces(r.m))
	}
	if r.opts.IPTunnels != nil {
		r.opts.IPTunnels.Update(ipTunnels(r.m))
	}
	if r.opts.RA != nil {
		r.opts.RA.Update(raInterfaces(t))
	}
	if r.opts.Routing != nil {
		r.opts.Routing.Update(routingConfig(t))
	}
	if r.opts.Cloud != nil {
		r.opts.Cloud.Update(cloudConfig(r.m))
	}
	if r.opts.FQDN != nil {
		r.opts.FQDN.Update(fqdnEntries(r.m))
	}
	for _, f := range r.opts.OnCommit {
		f()
	}
	return nil
}

// Run executes console source (a whole .rsc or one console line) as one
// transaction: the whole source is checked first, then run on a copy of the
// model, and only if every command succeeded and the kernel accepted the
// new state does the router keep it. The output is what the console prints.
func (r *Router) Run(ctx context.Context, src string) (out string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Deferred after the unlock so that it runs first: the model is the
	// one before the transaction, which a panic never commits.
	defer guarded("console run", &err)
	ctx, cancel := bounded(ctx)
	defer cancel()
	// Console input may use the globals that exist without declaring them
	// again; any other undeclared variable is a syntax error (docs/routeros.md).
	b, err := script.ParseWith(src, r.parseOptions(r.globalNames()...))
	if err != nil {
		return "", toError(err)
	}
	t := r.begin(false)
	t.yield, t.publishGlobals = true, true
	in := script.NewInterp(t)
	in.MaxSteps = MaxSteps
	cut := 0
	in.DelayCap, in.OnDelayCut = MaxTopDelay, func(_, _ time.Duration) { cut++ }
	// A cut wait happened whether or not the text succeeds.
	defer func() { r.delaysCut += cut }()
	for k, v := range r.globals {
		in.Globals[k] = v
	}
	t.env = in.Globals
	t.running = []*script.Interp{in}
	if err := in.Run(ctx, b); err != nil {
		return in.Out.String(), toError(err)
	}
	if err := r.commit(t); err != nil {
		// Nothing of the source is kept, so an /import in it did not
		// execute successfully, whatever it printed before the kernel
		// refused the result: only the refusal is told.
		return strings.ReplaceAll(in.Out.String(), importDone, ""), err
	}
	r.globals = in.Globals
	r.book.add(in.Log...)
	return in.Out.String(), nil
}

// Log returns the last entries written to the router's log, oldest
// first, whether or not a /system logging rule kept them (/log shows only
// those a memory action kept).
func (r *Router) Log() []script.LogEntry {
	return r.book.entries()
}

// toError converts interpreter errors into config errors.
func toError(err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce
	}
	var se *script.Error
	if errors.As(err, &se) {
		return &Error{Msg: se.Msg, Category: se.Category, Line: se.Pos.Line, Col: se.Pos.Col, In: se.In}
	}
	return &Error{Msg: err.Error(), Category: 4}
}

// Command executes one API command such as "/ip/firewall/nat/add" with its
// attribute words as one transaction. print returns rows (all properties,
// ".id" first, booleans true/false); add returns ret "*N"; export returns
// the export text in ret. Errors use the API's wording (docs/routeros.md).
func (r *Router) Command(ctx context.Context, path string, args map[string]string) (rows []Row, ret string, err error) {
	defer guarded("API command "+path, &err)
	ctx, cancel := bounded(ctx)
	defer cancel()
	words := strings.Split(strings.Trim(path, "/"), "/")
	if len(words) == 0 || words[0] == "" {
		return nil, "", &Error{Msg: "no such command prefix", Category: 0}
	}
	verb := words[len(words)-1]
	menuPath := words[:len(words)-1]
	for i, w := range menuPath {
		if !r.tree.Submenu(menuPath[:i], w) {
			return nil, "", &Error{Msg: "no such command or directory (" + w + ")", Category: 0}
		}
	}
	syn, ok := r.tree.Command(menuPath, verb)
	if !ok {
		return nil, "", &Error{Msg: "no such command or directory (" + verb + ")", Category: 0}
	}
	req := &request{path: strings.Join(menuPath, " "), verb: verb, flags: map[string]bool{}, out: &strings.Builder{}}
	req.menu = menuFor(req.path, r.opts.Version)
	names := make([]string, 0, len(args))
	for k := range args {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := args[k]
		switch {
		case k == ".id" || k == "numbers":
			req.ref, req.hasRef = v, true
		case k == "destination" && verb == "move":
			req.dest, req.hasDest = v, true
		case k == "value-name" && (verb == "get" || verb == "unset"):
			req.extra = append(req.extra, v)
		case syn.Flags[k]:
			if v == "" || v == "yes" || v == "true" {
				req.flags[k] = true
			}
		case syn.Params[k]:
			req.args = append(req.args, namedArg{name: k, value: v})
		default:
			return nil, "", &Error{Msg: "unknown parameter " + k, Category: 1}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.begin(true)
	t.yield = true
	res, err := t.exec(ctx, req)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.Line, ce.Col = 0, 0
		}
		return nil, "", err
	}
	if err := r.commit(t); err != nil {
		return nil, "", err
	}
	return res.rows, res.ret, nil
}

// Export returns the compact export of the whole configuration.
func (r *Router) Export() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &tx{r: r, m: r.m, now: time.Now()}
	// The saved configuration keeps its secrets: it is what the router
	// comes back with (show-sensitive).
	return t.export("", exportOpts{})
}

// State returns the data-plane state of the committed configuration.
func (r *Router) State() *kernel.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return buildState(&tx{r: r, m: r.m, now: time.Now()}, r.opts.Ports)
}

// Version is the emulated RouterOS version.
func (r *Router) Version() string { return r.opts.Version }

// Call implements script.Host: it runs one menu command of a console source.
func (t *tx) Call(ctx context.Context, c *script.Call) (script.Value, error) {
	req := &request{path: strings.Join(c.Path, " "), verb: c.Verb, flags: map[string]bool{}, where: c.Where, whereNames: c.WhereNames, out: c.Out, sub: c.Sub, interp: c.In}
	req.menu = menuFor(req.path, t.r.opts.Version)
	for _, f := range c.Flags {
		req.flags[f] = true
	}
	for _, a := range c.Named {
		switch {
		case a.Name == "numbers":
			req.ref, req.hasRef = a.Value, true
		case a.Name == "destination" && c.Verb == "move":
			req.dest, req.hasDest = a.Value, true
		case a.Name == "value-name" && (c.Verb == "get" || c.Verb == "unset"):
			req.extra = append(req.extra, a.Value)
		default:
			req.args = append(req.args, namedArg{name: a.Name, value: a.Value})
		}
	}
	un := c.Unnamed
	if req.menu != nil && !req.menu.single && len(un) > 0 && c.Verb != "print" && c.Verb != "export" {
		req.ref, req.hasRef = un[0].ArgString(), true
		un = un[1:]
	}
	if c.Verb == "move" && len(un) > 0 {
		req.dest, req.hasDest = un[0].ArgString(), true
		un = un[1:]
	}
	for _, v := range un {
		req.extra = append(req.extra, v.ArgString())
	}
	res, err := t.exec(ctx, req)
	if err != nil {
		return script.Value{}, err
	}
	if res.text != "" && !c.Sub {
		c.Out.WriteString(res.text)
	}
	return res.val, nil
}
