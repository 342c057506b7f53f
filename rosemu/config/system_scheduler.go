package config

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /system scheduler menu (docs/routeros.md). The engine keeps the entries and
// computes when they are due; package rosemu/service/scheduler keeps the
// clock and calls RunScheduled for each entry when it is due.

// startupDelay is how long after boot a start-time=startup interval=0
// entry runs.
const startupDelay = 3 * time.Second

// schedulerTable is the table of /system scheduler.
const schedulerTable = "system scheduler"

var schedulerMenu = &menu{
	path: schedulerTable, nameProp: "name",
	props: []*prop{
		{name: "name", parse: pNonEmpty, required: true},
		{name: "start-date", parse: pDate},
		{name: "start-time", parse: pStartTime},
		{name: "interval", parse: pInterval, def: "0s", show: true},
		// Written in every export, at its default too (realcheck34 D1).
		{name: "policy", parse: pSet(policies...), def: defaultPolicy, show: true, notEnforced: policyNotEnforced, inert: policyInert, writeDefault: true},
		{name: "on-event", parse: pEventScript, def: "", show: true},
		// The days of the week an entry runs on: 7.2x exports write
		// "add !days ..." for an entry without them. rosemu stores days
		// and runs the entry every day. [verify] the first 7.x and the
		// value's form against the Scheduler page of the manual.
		{name: "days", parse: pString, major: 7, unsetMark: true, unsetKept: true, notEnforced: "rosemu's scheduler runs an entry on every day; days is stored"},
		comment, disabled,
	},
	check: checkScheduler,
	readonly: func(t *tx, it *item) []Prop {
		ps := []Prop{{"owner", "admin"}, {"run-count", strconv.Itoa(t.r.sys.runCount[it.id])}}
		if e, ok := schedulerEntry(it, clockLocation(t.m)); ok && !e.Disabled {
			e.Booted = t.r.sys.bootEntries[it.id]
			if next, ok := e.After(t.r.sys.boot, t.now); ok {
				ps = append(ps, Prop{"next-run", formatRouterDate(next.In(clockLocation(t.m)), t.r.opts.Version)})
			}
		}
		return ps
	},
	columns: []string{"name", "start-date", "start-time", "interval", "on-event", "run-count"},
}

// checkScheduler keeps names unique and, as RouterOS does, gives an entry
// added without a start the moment it was added.
func checkScheduler(t *tx, it *item) error {
	if err := checkScriptName(schedulerTable)(t, it); err != nil {
		return err
	}
	if it.props["start-time"] == "" {
		it.props["start-time"] = t.localNow().Format("15:04:05")
	}
	if it.props["start-date"] == "" && it.props["start-time"] != "startup" {
		it.props["start-date"] = formatSchedulerDate(t, t.localNow())
	}
	return nil
}

var months = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// pDate accepts v7.10+'s YYYY-MM-DD and the older mmm/dd/yyyy and stores
// the emulated version's form, which print, get and export then show: a
// 6.x export writes start-date=jan/01/1970 (forum44 D4), as the version's
// clock and export header do (formatRouterDate; 7.10 changed the date
// format, docs/routeros.md [verify]).
func pDate(t *tx, name, v string) (string, error) {
	d, ok := parseRouterDate(v)
	if !ok {
		return "", errInvalid(name)
	}
	return formatSchedulerDate(t, d), nil
}

// parseRouterDate reads YYYY-MM-DD or mmm/dd/yyyy.
func parseRouterDate(v string) (time.Time, bool) {
	if d, err := time.Parse("2006-01-02", v); err == nil {
		return d, true
	}
	parts := strings.Split(v, "/")
	if len(parts) == 3 {
		for i, m := range months {
			if strings.EqualFold(parts[0], m) {
				day, err1 := strconv.Atoi(parts[1])
				year, err2 := strconv.Atoi(parts[2])
				d := time.Date(year, time.Month(i+1), day, 0, 0, 0, 0, time.UTC)
				if err1 == nil && err2 == nil && d.Day() == day {
					return d, true
				}
			}
		}
	}
	return time.Time{}, false
}

// formatSchedulerDate writes a date in the emulated version's form:
// 2024-02-29 from 7.10, feb/29/2024 before.
func formatSchedulerDate(t *tx, d time.Time) string {
	if t == nil || versionAtLeast(t.r.opts.Version, 7, 10) {
		return d.Format("2006-01-02")
	}
	return strings.ToLower(d.Format("Jan/02/2006"))
}

// pStartTime is HH:MM:SS or startup.
func pStartTime(_ *tx, name, v string) (string, error) {
	if v == "startup" {
		return v, nil
	}
	// A time of day, H:M:S; each field may have one digit (a public
	// script schedules start-time=0:0:0, as RouterOS reads times with
	// one-digit fields elsewhere, :totime "1:2:3") [verify] on RouterOS.
	f := strings.Split(v, ":")
	if len(f) != 3 {
		return "", errInvalid(name)
	}
	var n [3]int
	for i, x := range f {
		k, err := strconv.Atoi(x)
		if err != nil || len(x) == 0 || len(x) > 2 || k < 0 || k >= []int{24, 60, 60}[i] {
			return "", errInvalid(name)
		}
		n[i] = k
	}
	return fmt.Sprintf("%02d:%02d:%02d", n[0], n[1], n[2]), nil
}

// SchedulerEntry is one /system scheduler entry as the scheduler service
// needs it.
type SchedulerEntry struct {
	ID   string
	Name string
	// Startup is start-time=startup: the schedule counts from boot.
	Startup bool
	// Booted is that the entry was in the configuration the router
	// booted with (Router.SetBootTime): a startup entry without an
	// interval runs at boot only then.
	Booted bool
	// Start is start-date and start-time in the router's time zone.
	Start    time.Time
	Interval time.Duration
	Disabled bool
}

// After returns the entry's first run strictly after t, given the boot
// time: runs are at start + k*interval (k >= 0; a start in the past aligns
// the schedule), once at start when the interval is 0; startup entries run
// once startupDelay after boot (interval 0) or every interval from boot
// on, the first one interval after boot. A startup entry without an
// interval added after boot does not run: RouterOS runs it at the next
// boot (Scheduler page), and a run that depended on whether it was
// added within startupDelay of boot made a case pass or fail by timing
// (forum44 D5). The lab runs the startup entries of the configuration it
// applies itself, once (harness/runner, docs/scenarios.md).
func (e SchedulerEntry) After(boot, t time.Time) (time.Time, bool) {
	first := e.Start
	if e.Startup {
		if e.Interval <= 0 && !e.Booted {
			return time.Time{}, false
		}
		first = boot.Add(startupDelay)
		if e.Interval > 0 {
			first = boot.Add(e.Interval)
		}
	}
	if first.After(t) {
		return first, true
	}
	if e.Interval <= 0 {
		return time.Time{}, false
	}
	k := t.Sub(first)/e.Interval + 1
	return first.Add(k * e.Interval), true
}

// schedulerEntry reads an item, its start in the router's zone loc;
// false when its start cannot be read.
func schedulerEntry(it *item, loc *time.Location) (SchedulerEntry, bool) {
	e := SchedulerEntry{ID: it.ID(), Name: it.props["name"], Disabled: it.disabled()}
	if iv, ok := script.ParseTime(it.props["interval"]); ok {
		e.Interval = iv
	}
	if it.props["start-time"] == "startup" {
		e.Startup = true
		return e, true
	}
	d, ok := parseRouterDate(it.props["start-date"])
	if !ok {
		return e, false
	}
	st, err := time.ParseInLocation("2006-01-02 15:04:05", d.Format("2006-01-02")+" "+it.props["start-time"], loc)
	if err != nil {
		return e, false
	}
	e.Start = st
	return e, true
}

// SchedulerEntries returns the /system scheduler entries in list order.
func (r *Router) SchedulerEntries() []SchedulerEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []SchedulerEntry
	loc := clockLocation(r.m)
	for _, it := range r.m.tables[schedulerTable] {
		if e, ok := schedulerEntry(it, loc); ok {
			e.Booted = r.sys.bootEntries[it.id]
			out = append(out, e)
		}
	}
	return out
}

// RunScheduled runs the scheduler entry with the id as its own
// transaction: on-event names a /system script, which then runs (and
// counts), or is itself the source. A run that fails keeps what it did
// before the failure and writes the failure to /log, as RouterOS logs
// failing scheduler runs; the entry's run-count counts every run.
// [verify] RouterOS's exact wording of that log line.
func (r *Router) RunScheduled(ctx context.Context, id string) error {
	return r.StartScheduled(ctx, id, nil)
}

// StartScheduled is RunScheduled that calls started (when not nil) once
// the run holds the router's lock, before it runs the script: the
// scheduler starts each due run as a job of its own and, with started,
// starts the runs due together in list order while each may then wait
// (:delay) beside the others, as RouterOS runs each scheduler event as a
// job of its own (/system script job). started is called at most once,
// and not at all when the run fails before it starts.
func (r *Router) StartScheduled(ctx context.Context, id string, started func()) (err error) {
	defer guarded("scheduler run "+id, &err)
	ctx, cancel := bounded(ctx)
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	if started != nil {
		started()
	}
	n, ok := parseID(id)
	var ent *item
	for _, it := range r.m.tables[schedulerTable] {
		if ok && it.id == n {
			ent = it
		}
	}
	if ent == nil {
		return &Error{Msg: "no such item", Category: 0}
	}
	r.sys.runCount[ent.id]++
	// The entry's commands, and a script it names, run with the entry's
	// policy (script_policy.go).
	return r.runEventAs(ctx, ent.props["name"], ent.props["on-event"], nil, policySet(itemPolicy(ent)))
}

// runEvent runs an event's script text, with r.mu held: a text that
// names a /system script runs that script, anything else runs as commands.
// A failure is logged under name.
func (r *Router) runEvent(ctx context.Context, name, ev string) error {
	return r.runEventVars(ctx, name, ev, nil)
}

// runEventVars is runEvent whose script sees the event's variables vars
// as its own (a netwatch probe's results).
func (r *Router) runEventVars(ctx context.Context, name, ev string, vars map[string]script.Value) error {
	return r.runEventAs(ctx, name, ev, vars, nil)
}

// runEventAs is runEventVars with the run's policy (nil: every policy).
func (r *Router) runEventAs(ctx context.Context, name, ev string, vars map[string]script.Value, policy map[string]bool) error {
	t := r.begin(false)
	t.yield = true
	t.eventVars = vars
	t.policy = policy
	var err error
	if sc := t.findByName("system script", ev); sc != nil {
		_, err = t.runScriptItem(ctx, nil, sc, false)
	} else {
		_, err = t.runSource(ctx, nil, ev, false)
	}
	return r.endEvent(t, name, err)
}

// endEvent ends an event script's run: what it changed before it stopped
// stays, failed or not, as RouterOS applies each command as it runs (a
// netwatch down-script that disables a route and then fails to send its
// notice has still disabled the route). Console input and a configuration
// applied through the API stay all or nothing (Run). A failure, of the
// script or of applying what it did, is logged under name.
func (r *Router) endEvent(t *tx, name string, err error) error {
	if cerr := r.commit(t); cerr != nil {
		// What it did cannot be applied: none of it stays.
		if err != nil {
			r.appendLog(scriptErrorEntry(name, scriptError(err)))
		}
		err = cerr
	}
	if err != nil {
		err = scriptError(err)
		r.appendLog(scriptErrorEntry(name, err))
		return err
	}
	return nil
}
