package config

import (
	"context"
	"errors"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// system is the router's run-time state of /system script and /system
// scheduler that is not configuration: counters RouterOS resets at boot
// and never exports, the boot time, and the resolver of :resolve. It lives
// outside the model so that a run's failure, which rolls the model back,
// still counts the run, as RouterOS counts it.
type system struct {
	boot time.Time
	// bootEntries are the scheduler entries the router booted with.
	bootEntries map[uint64]bool
	resolve     func(ctx context.Context, name string) (netip.Addr, error)
	resolveAt   func(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error)
	resolve6    func(ctx context.Context, name string) (netip.Addr, error)
	resolveAt6  func(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error)
	runCount    map[uint64]int
	lastStarted map[uint64]time.Time
	// firstSeen is when rosemu first listed a generated dynamic
	// address-list entry (by id): its creation-time when nothing
	// better tells (addrlist_created.go).
	firstSeen map[uint64]time.Time
	// jobs are the /system scripts running, for /system script job: the
	// scripts of every run in progress, including runs that wait
	// (:delay) while others run, in the order they started.
	jobs     []string
	netwatch map[uint64]*netwatchState
	// ifBase are the interfaces' counters at their last reset-counters,
	// by the link name trafficProps reads.
	ifBase map[string]kernel.LinkCounters
	// emailStatus is /tool e-mail's last-status: "" before any send,
	// "failed" after one (rosemu sends no mail).
	emailStatus string
	// offlineResolve is set when :resolve was asked with no resolver
	// (the offline check): the command's failure is the model's, not
	// RouterOS's, whose resolver answers when the router runs it.
	offlineResolve bool
	// ping sends /ping's echoes (SetPinger); offlinePing is set when
	// /ping was asked with none (the offline check).
	ping Pinger
	// fetch does /tool fetch's HTTP (SetFetcher); nil: fetch fails, and
	// offlineFetch is set when an HTTP(S) fetch was asked with none (the
	// offline check).
	fetch        Fetcher
	offlinePing  bool
	offlineFetch bool
	// runTimeRef is the menu of a reference that found nothing in a menu
	// whose items are made at run time (runtime_refs.go); step is set
	// while ValidateStep checks a configure step's text.
	runTimeRef string
	step       bool
	// runTimeRead is the run-time menu a step read (find, get, print),
	// kept for the rest of the step (a :local may carry what it read to
	// a later statement): an :error or failure after it may be the
	// offline model's empty menu (runtime_refs.go).
	runTimeRead string
	// power is "reboot", "shutdown" or "reset-configuration" once a
	// command asked for it (validate reports it instead of refusing the
	// line).
	power string
	// scriptGap is set, for validate, when a command was taken that rosemu
	// does not enforce through the menu it names (/interface disable of a
	// stored interface), or when a lease script was taken that
	// names a command rosemu lacks: "lease-script: <why>".
	scriptGap string
}

func newSystem() *system {
	return &system{boot: time.Now(), runCount: map[uint64]int{}, lastStarted: map[uint64]time.Time{}, firstSeen: map[uint64]time.Time{}}
}

// SetResolver sets how :resolve resolves names; without one :resolve
// fails. fn returns script.ErrNoSuchName for a name that does not exist,
// which :resolve reports as "failure: dns name does not exist".
func (r *Router) SetResolver(fn func(ctx context.Context, name string) (netip.Addr, error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sys.resolve = fn
}

// SetResolver6 sets how ":resolve name type=ipv6" asks the router's
// resolver for an IPv6 address; without one such a :resolve fails.
func (r *Router) SetResolver6(fn func(ctx context.Context, name string) (netip.Addr, error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sys.resolve6 = fn
}

// SetServerResolver sets how ":resolve name server=address" asks that
// one server; without one such a :resolve fails. fn returns
// script.ErrNoSuchName when the server says the name does not exist.
func (r *Router) SetServerResolver(fn func(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sys.resolveAt = fn
}

// SetServerResolver6 sets how ":resolve name type=ipv6 server=address"
// asks that one server for AAAA; without one such a :resolve fails.
func (r *Router) SetServerResolver6(fn func(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sys.resolveAt6 = fn
}

// SetBootTime sets when the router started: startup scheduler entries and
// next-run count from it (default: when New returned).
// The scheduler entries configured by then are the configuration the
// router booted with: their startup runs are due (SchedulerEntry.After).
func (r *Router) SetBootTime(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sys.boot = t
	r.sys.bootEntries = map[uint64]bool{}
	for _, it := range r.m.tables[schedulerTable] {
		r.sys.bootEntries[it.id] = true
	}
}

// BootTime is when the router started.
func (r *Router) BootTime() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sys.boot
}

// ScriptSchema implements script.SchemaHost, so that :parse compiles
// against the router's menus.
func (t *tx) ScriptSchema() script.Schema { return t.r.tree }

// Resolve implements script.Resolver for :resolve. A name the router's
// resolver must ask a server for waits up to query-total-timeout (10 s):
// the run lets the router go meanwhile, as at a :delay (sleep.go), /ping
// and /tool fetch, so a DNS health-check scheduler whose server does not
// answer holds up neither the API, nor the DHCP client's renewal, nor the
// other scripts (on RouterOS a script is a job of its own; Scripting
// manual, Jobs, https://help.mikrotik.com/docs/display/ROS/Scripting).
func (t *tx) Resolve(ctx context.Context, name string) (netip.Addr, error) {
	resolve := t.r.sys.resolve
	if resolve == nil {
		t.r.sys.offlineResolve = true
		return netip.Addr{}, errors.New("resolve " + name + ": the router has no DNS resolver")
	}
	var a netip.Addr
	var err error
	if oerr := t.outside(func() { a, err = resolve(ctx, name) }); oerr != nil {
		return netip.Addr{}, oerr
	}
	return a, err
}

// Resolve6 implements script.Resolver6 for :resolve type=ipv6; it waits
// outside the router's lock as Resolve does.
func (t *tx) Resolve6(ctx context.Context, name string) (netip.Addr, error) {
	resolve := t.r.sys.resolve6
	if resolve == nil {
		t.r.sys.offlineResolve = true
		return netip.Addr{}, errors.New("resolve " + name + " (ipv6): the router has no DNS resolver")
	}
	var a netip.Addr
	var err error
	if oerr := t.outside(func() { a, err = resolve(ctx, name) }); oerr != nil {
		return netip.Addr{}, oerr
	}
	return a, err
}

// ResolveAt implements script.ServerResolver for :resolve server=; it
// waits outside the router's lock as Resolve does.
func (t *tx) ResolveAt(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error) {
	resolveAt := t.r.sys.resolveAt
	if resolveAt == nil {
		t.r.sys.offlineResolve = true
		return netip.Addr{}, errors.New("resolve " + name + " at " + server.String() + ": the router has no DNS resolver")
	}
	var a netip.Addr
	var err error
	if oerr := t.outside(func() { a, err = resolveAt(ctx, name, server, port) }); oerr != nil {
		return netip.Addr{}, oerr
	}
	return a, err
}

// ResolveAt6 implements script.ServerResolver6 for :resolve type=ipv6
// server=; it waits outside the router's lock as Resolve does.
func (t *tx) ResolveAt6(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error) {
	resolveAt := t.r.sys.resolveAt6
	if resolveAt == nil {
		t.r.sys.offlineResolve = true
		return netip.Addr{}, errors.New("resolve " + name + " (ipv6) at " + server.String() + ": the router has no DNS resolver")
	}
	var a netip.Addr
	var err error
	if oerr := t.outside(func() { a, err = resolveAt(ctx, name, server, port) }); oerr != nil {
		return netip.Addr{}, oerr
	}
	return a, err
}

// parseOptions are the options every source the router runs is compiled
// with: strict about undeclared variables (docs/routeros.md), which may be the
// names in declared (injected event variables, the console's globals).
func (r *Router) parseOptions(declared ...string) script.ParseOptions {
	return script.ParseOptions{Schema: r.tree, Strict: true, Declared: declared, Version: r.opts.Version}
}

// globalNames are the names of the router's global variables: console
// input may use them without declaring them again.
func (r *Router) globalNames() []string {
	out := make([]string, 0, len(r.globals))
	for k := range r.globals {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// maxScriptDepth bounds scripts that run scripts (a script running itself).
const maxScriptDepth = 10

// runSource runs a stored script's source inside the transaction t. parent
// is the interpreter of the command that started it (nil for the API and
// the scheduler): the script shares its globals and prints to its output.
// The source is compiled only now, as RouterOS compiles a script when it
// runs it, so a syntax error is a run-time error of the run.
//
// top runs src as console text (/import's file): its waits get the top
// level's cap, MaxTopDelay, and a cut one is reported as the console's
// are, through the parent's OnDelayCut or else in the router's count
// (review44 #5: an imported file, which the harness uses for a large
// configuration, waited at most a script's 10 s with no word).
func (t *tx) runSource(ctx context.Context, parent *script.Interp, src string, top bool) (string, error) {
	r := t.r
	if t.depth >= maxScriptDepth {
		return "", &script.Error{Msg: "stack overflow", Category: 3}
	}
	t.depth++
	defer func() { t.depth-- }()
	var vars map[string]script.Value
	if parent == nil {
		vars = t.eventVars
	}
	b, err := script.ParseWith(src, r.parseOptions(slices.Sorted(maps.Keys(vars))...))
	if err != nil {
		return "", err
	}
	in := script.NewInterp(t)
	in.MaxSteps = MaxSteps
	in.JobName = t.job
	in.Vars = vars
	if top {
		in.DelayCap, in.OnDelayCut = MaxTopDelay, func(_, _ time.Duration) { r.delaysCut++ }
		if parent != nil && parent.OnDelayCut != nil {
			in.OnDelayCut = parent.OnDelayCut
		}
	}
	if parent != nil {
		in.Globals = parent.Globals
	} else {
		in.Globals = r.globals
	}
	saved := t.env
	t.env = in.Globals
	t.running = append(t.running, in)
	err = in.Run(ctx, b)
	t.running = t.running[:len(t.running)-1]
	t.env = saved
	// Log lines stay also when the run fails: RouterOS has no way to take
	// them back.
	r.appendLog(in.Log...)
	if parent != nil {
		parent.Out.WriteString(in.Out.String())
	}
	return in.Out.String(), err
}

// scriptError gives an error of a stored script's run its position inside
// that script, so that the console shows where the script failed.
func scriptError(err error) error {
	var se *script.Error
	if errors.As(err, &se) {
		return se
	}
	var ce *Error
	if errors.As(err, &ce) {
		return &script.Error{Msg: ce.Msg, Category: ce.Category, Pos: script.Pos{Line: ce.Line, Col: ce.Col}}
	}
	return err
}

// LoginNote is /system note as the SSH console shows it: after an
// interactive login when show-at-login=yes, and (RouterOS 7) before the
// login, as the SSH banner, when show-at-cli-login=yes. Source: Note page
// of the manual, https://help.mikrotik.com/docs/display/ROS/Note
// [verify] where each shows on a CHR.
func (r *Router) LoginNote() (after, before string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	its := r.m.tables["system note"]
	if len(its) == 0 || its[0].props["note"] == "" {
		return "", ""
	}
	n := its[0].props
	if n["show-at-login"] != "no" {
		after = n["note"]
	}
	if n["show-at-cli-login"] == "yes" && versionAtLeast(r.opts.Version, 7, 0) {
		before = n["note"]
	}
	return after, before
}
