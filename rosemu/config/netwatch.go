package config

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// netwatchTable is the table of /tool netwatch.
const netwatchTable = "tool netwatch"

// netwatchProbed are the probe types rosemu runs (rosemu/service/netwatch);
// the others are stored and reported as not enforced.
var netwatchProbed = map[string]bool{"simple": true, "icmp": true, "tcp-conn": true}

// Why an entry is stored but never probed (its scripts never run).
const (
	netwatchTypeReason = "rosemu runs netwatch probes of type simple, icmp and tcp-conn only: this entry is never probed and its scripts never run"
	netwatchVRFReason  = "rosemu does not probe a netwatch host in a VRF (host@vrf): this entry is never probed and its scripts never run"
	netwatchHostReason = "rosemu probes netwatch hosts given as an IPv4 or IPv6 address only: this entry is never probed and its scripts never run"
)

// NetwatchEntry is a /tool netwatch entry that rosemu probes.
type NetwatchEntry struct {
	ID   string
	Host netip.Addr
	// Type is simple, icmp or tcp-conn.
	Type       string
	Port       int
	Src        netip.Addr // zero: the route's
	Interval   time.Duration
	Timeout    time.Duration
	StartDelay time.Duration
	// The icmp type's: echoes sent a probe and the thresholds that make it
	// fail (RouterOS's defaults when not set).
	PacketCount    int
	PacketInterval time.Duration
	ThrAvg, ThrMax time.Duration
	ThrLossPercent float64
	ThrLossCount   int
	// ThrTCPConn is the tcp-conn type's pass/fail time
	// (thr-tcp-conn-time): a connection that took longer fails the
	// probe.
	ThrTCPConn time.Duration
}

// Key is what identifies the probe: an entry whose key changes (another
// host, type, port or source) starts again with its start delay and an
// unknown status, as RouterOS restarts an edited probe; a new interval or
// timeout applies from the next probe.
func (e NetwatchEntry) Key() string {
	return strings.Join([]string{e.ID, e.Host.String(), e.Type, strconv.Itoa(e.Port), e.Src.String()}, " ")
}

// NetwatchProbe is what one probe found: whether the host is up and, for
// the icmp type, the echoes' statistics.
type NetwatchProbe struct {
	Up bool
	// ICMP is set for an icmp probe, whose statistics follow.
	ICMP           bool
	Sent, Received int
	// The answered echoes' round trips: least, mean, most, the mean
	// difference between consecutive ones, and their standard deviation.
	Min, Avg, Max, Jitter, Stdev time.Duration
}

// netwatchVarNames are the variables a netwatch up-, down- or
// test-script may read without declaring them: the probe's results, as
// the status page shows them. RouterOS 7 gives its scripts the probe's
// read-only properties; for the icmp type's round trips the rtt-* names
// (the thr-* properties are the thresholds). Sources: the Netwatch page,
// https://help.mikrotik.com/docs/display/ROS/Netwatch, and the forum's
// scripts that read $"sent-count" and $"response-count"
// (forum.mikrotik.com/t/netwatch-up-threshold/183422, .../unable-to-
// extract-netwatch-variable/272176). [verify] the full list and the types
// (rosemu: counts num, loss-percent a num of whole percent, round trips
// time, status str).
var netwatchVarNames = []string{"host", "type", "status", "sent-count", "response-count", "loss-count", "loss-percent", "rtt-avg", "rtt-min", "rtt-max", "rtt-jitter", "rtt-stdev"}

// netwatchVars are the variables of a probe's scripts; the icmp
// statistics only for an icmp probe (a name without a value reads as
// nothing).
func netwatchVars(it *item, res NetwatchProbe) map[string]script.Value {
	status := "down"
	if res.Up {
		status = "up"
	}
	v := map[string]script.Value{
		"host":   script.Str(it.props["host"]),
		"type":   script.Str(netwatchTypeOf(it)),
		"status": script.Str(status),
	}
	if res.ICMP {
		lost := res.Sent - res.Received
		pct := int64(0)
		if res.Sent > 0 {
			pct = int64(100 * lost / res.Sent)
		}
		v["sent-count"] = script.Num(int64(res.Sent))
		v["response-count"] = script.Num(int64(res.Received))
		v["loss-count"] = script.Num(int64(lost))
		v["loss-percent"] = script.Num(pct)
		v["rtt-avg"] = script.TimeVal(res.Avg)
		v["rtt-min"] = script.TimeVal(res.Min)
		v["rtt-max"] = script.TimeVal(res.Max)
		v["rtt-jitter"] = script.TimeVal(res.Jitter)
		v["rtt-stdev"] = script.TimeVal(res.Stdev)
	}
	return v
}

func netwatchTypeOf(it *item) string {
	if t := it.props["type"]; t != "" {
		return t
	}
	return "simple"
}

// netwatchState is an entry's status, run-time state outside the model
// like a script's run count.
type netwatchState struct {
	key    string
	status string // up or down
	since  time.Time
	last   NetwatchProbe // the last probe's results
}

// NetwatchEntries returns the enabled /tool netwatch entries rosemu
// probes, in list order.
func (r *Router) NetwatchEntries() []NetwatchEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []NetwatchEntry
	for _, it := range r.m.tables[netwatchTable] {
		if e, why := netwatchEntry(it); why == "" && !it.disabled() {
			if it.props["timeout"] == "" && !strings.HasPrefix(r.opts.Version, "6.") {
				// RouterOS 7 waits 3 s for an answer, 6 waited 1 s (the
				// Netwatch pages of each).
				e.Timeout = 3 * time.Second
			}
			out = append(out, e)
		}
	}
	return out
}

// netwatchEntry reads an item; when rosemu does not probe it, the reason.
func netwatchEntry(it *item) (NetwatchEntry, string) {
	p := func(name, def string) string {
		if v, ok := it.props[name]; ok && v != "" {
			return v
		}
		return def
	}
	dur := func(name, def string) time.Duration {
		d, ok := script.ParseTime(p(name, def))
		if !ok {
			d, _ = script.ParseTime(def)
		}
		return d
	}
	e := NetwatchEntry{ID: it.ID(), Type: p("type", "simple")}
	switch host, err := netip.ParseAddr(p("host", "")); {
	case !netwatchProbed[e.Type]:
		return e, netwatchTypeReason
	case strings.Contains(p("host", ""), "@"):
		return e, netwatchVRFReason
	case err != nil:
		// A domain name: RouterOS takes one for type=dns only.
		return e, netwatchHostReason
	default:
		e.Host = host
	}
	if src, err := netip.ParseAddr(p("src-address", "")); err == nil {
		e.Src = src
	}
	e.Port, _ = strconv.Atoi(p("port", "0"))
	if e.Type == "tcp-conn" && e.Port == 0 {
		e.Port = 80 // [verify] the port a tcp-conn probe with none set connects to
	}
	e.Interval = dur("interval", "10s")
	e.Timeout = dur("timeout", "1s")
	e.StartDelay = dur("start-delay", "3s")
	e.PacketCount, _ = strconv.Atoi(p("packet-count", "10"))
	e.PacketInterval = dur("packet-interval", "50ms")
	e.ThrAvg = dur("thr-avg", "100ms")
	e.ThrMax = dur("thr-max", "1s")
	e.ThrLossPercent, _ = strconv.ParseFloat(strings.TrimSuffix(p("thr-loss-percent", "85.0%"), "%"), 64)
	e.ThrLossCount, _ = strconv.Atoi(p("thr-loss-count", "4294967295"))
	e.ThrTCPConn = dur("thr-tcp-conn-time", "10s")
	if e.ThrLossCount <= 0 {
		e.ThrLossCount = 1 << 31
	}
	return e, ""
}

// netwatchPolicy is what netwatch's scripts may do: "Netwatch is limited
// to read,write,test,reboot script policies. If the owner of the script
// does not have enough permissions to execute a certain command in the
// script, the script will not be executed" (Netwatch page,
// https://help.mikrotik.com/docs/x/tAAZC, 7.x). A /system script with
// another policy runs only with dont-require-permissions=yes (Scripting
// page, https://help.mikrotik.com/docs/display/ROS/Scripting). RouterOS
// 6 is taken to do the same [verify].
const netwatchPolicy = "read,write,test,reboot"

// NetwatchResult records the outcome of entry id's probe, taken at at:
// its status becomes up or down, and on a change (from unknown too) its
// up-script or down-script runs, then on every probe its test-script, each
// as its own transaction that a failure rolls back and logs, as a
// scheduler run. A script text that names a /system script runs that
// script, as a scheduler's on-event does. [verify] whether RouterOS runs
// the up-script on the first probe after an entry starts (status unknown
// to up).
func (r *Router) NetwatchResult(ctx context.Context, key string, res NetwatchProbe, at time.Time) (err error) {
	up := res.Up
	defer guarded("netwatch probe "+key, &err)
	ctx, cancel := bounded(ctx)
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	var ent *item
	for _, it := range r.m.tables[netwatchTable] {
		if e, why := netwatchEntry(it); why == "" && e.Key() == key && !it.disabled() {
			ent = it
		}
	}
	if ent == nil {
		// Edited or removed while it was probed: the result is stale.
		return nil
	}
	status := "down"
	if up {
		status = "up"
	}
	if r.sys.netwatch == nil {
		r.sys.netwatch = map[uint64]*netwatchState{}
	}
	st := r.sys.netwatch[ent.id]
	if st == nil || st.key != key {
		st = &netwatchState{key: key}
		r.sys.netwatch[ent.id] = st
	}
	changed := st.status != status
	// ignore-initial-up and ignore-initial-down: the first status a
	// probe finds runs no script when the entry says so.
	initial := st.status == ""
	if changed {
		st.status, st.since = status, at
	}
	st.last = res
	var scripts []string
	if changed && !(initial && ent.props["ignore-initial-"+status] == "yes") {
		scripts = append(scripts, ent.props[status+"-script"])
	}
	scripts = append(scripts, ent.props["test-script"])
	var first error
	for _, src := range scripts {
		if strings.TrimSpace(src) == "" {
			continue
		}
		// netwatchPolicy each time: a script run may add the named
		// script's policies to the set it was given (bypass).
		if err := r.runEventAs(ctx, "netwatch "+ent.props["host"], src, netwatchVars(ent, res), policySet(netwatchPolicy)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// netwatchReadonly is the status print shows: unknown until the first
// probe, then up or down since the last change.
func netwatchReadonly(t *tx, it *item) []Prop {
	st := t.r.sys.netwatch[it.id]
	if e, why := netwatchEntry(it); why != "" || it.disabled() || st == nil || st.key != e.Key() {
		return []Prop{{"status", "unknown"}}
	}
	out := []Prop{{"status", st.status}, {"since", st.since.Format("2006-01-02 15:04:05")}}
	if l := st.last; l.ICMP {
		v := netwatchVars(it, l)
		for _, k := range []string{"sent-count", "response-count", "loss-count", "loss-percent", "rtt-avg", "rtt-min", "rtt-max", "rtt-jitter", "rtt-stdev"} {
			out = append(out, Prop{k, v[k].String()})
		}
	}
	return out
}

// pNetwatchScript takes a netwatch up-, down- or test-script as
// pEventScript does, compiled with the probe's variables declared.
func pNetwatchScript(t *tx, name, v string) (string, error) {
	if err := netwatchScriptErr(t.r, v); err != nil {
		t.r.sys.scriptGap = name + ": the script does not compile in rosemu (" + err.Error() + "): it is stored, and fails in rosemu when it runs"
	}
	return v, nil
}

// netwatchScriptErr is why a netwatch script text does not compile, or
// nil; a single word names a /system script and is not compiled here.
func netwatchScriptErr(r *Router, v string) error {
	if w := strings.TrimSpace(v); w == "" || !strings.ContainsAny(w, " \t\r\n/:;[$\"{") {
		return nil
	}
	_, err := script.ParseWith(v, r.parseOptions(netwatchVarNames...))
	return err
}

// eventScriptUse lists the event scripts (netwatch up-, down- and
// test-script, scheduler on-event) that do not compile in rosemu: they
// are stored and fail, logged, each time their event runs them, so a lab
// run says so beside its other not-enforced lines (chrlab validate says
// it at the line).
func eventScriptUse(r *Router) []NotEnforcedItem {
	var out []NotEnforcedItem
	add := func(path, prop string, n int, first error) {
		if n > 0 {
			out = append(out, NotEnforcedItem{Path: path, Property: prop, Count: n,
				Reason: "the script does not compile in rosemu (" + first.Error() + "): it fails, logged, each time its event runs it"})
		}
	}
	for _, prop := range []string{"up-script", "down-script", "test-script"} {
		n, first := 0, error(nil)
		for _, it := range r.m.tables[netwatchTable] {
			if err := netwatchScriptErr(r, it.props[prop]); err != nil && !it.disabled() {
				if n++; first == nil {
					first = err
				}
			}
		}
		add("/tool netwatch", prop, n, first)
	}
	n, first := 0, error(nil)
	for _, it := range r.m.tables[schedulerTable] {
		v := it.props["on-event"]
		if w := strings.TrimSpace(v); w == "" || !strings.ContainsAny(w, " \t\r\n/:;[$\"{") || it.disabled() {
			continue
		}
		if _, err := script.ParseWith(v, r.parseOptions()); err != nil {
			if n++; first == nil {
				first = err
			}
		}
	}
	add("/system scheduler", "on-event", n, first)
	return out
}

// netwatchUse lists the entries rosemu stores without probing, by reason.
func netwatchUse(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
	for _, why := range []string{netwatchTypeReason, netwatchVRFReason, netwatchHostReason} {
		n := 0
		for _, it := range m.tables[netwatchTable] {
			if _, w := netwatchEntry(it); !it.dynamic && w == why {
				n++
			}
		}
		if n > 0 {
			prop := "type"
			if why != netwatchTypeReason {
				prop = "host"
			}
			out = append(out, NotEnforcedItem{Path: "/tool netwatch", Property: prop, Reason: why, Count: n})
		}
	}
	return out
}

// madeUnprobedNetwatch returns why a netwatch entry the line added (ids
// from to to) is never probed, or "".
func madeUnprobedNetwatch(m *model, from, to uint64) string {
	for _, it := range m.tables[netwatchTable] {
		if it.id >= from && it.id < to {
			if _, why := netwatchEntry(it); why != "" {
				return why
			}
		}
	}
	return ""
}
