package report

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/harness/scenario"
)

// row is one step as every view prints it: the terminal table, report.md
// and report.html show the same words.
type row struct {
	Index    int
	Step     string // "tcp", "iperf:hairpin", "renumber-wan"
	From     string
	To       string // as written, and what it resolved to
	Expected string // "refused", "ok, server saw router.lan"
	Seen     string // what the probe saw, or what the action did
	Saw      string // the source address the server saw, DNS answers, conntrack entries
	Time     string
	Held     bool
	Why      string
	Line     int
	// NotJudged: the step's rate figures missed their bounds and were
	// not judged (report.NotJudged says why).
	NotJudged string
	// Caveat: the step passed, but settings the emulator stores without
	// enforcing touch its path (StepResult.Caveat).
	Caveat string
}

// columns names the table's columns, in the order of row's fields.
var columns = []string{"#", "STEP", "FROM", "TO", "EXPECTED", "SEEN", "SERVER SAW", "TIME", "HELD"}

func (w row) cells() []string {
	mark := heldMark(w.Held)
	if w.NotJudged != "" {
		mark = "– not judged"
	}
	return []string{fmt.Sprint(w.Index), w.Step, w.From, w.To, w.Expected, w.Seen, w.Saw, w.Time, mark}
}

// caveatText is the line under the table for a passed step with a
// caveat.
func (w row) caveatText() string {
	return "passed, but rosemu stores without enforcing what could change it on RouterOS: " + w.Caveat
}

// notJudgedText is the line under the table for a step not judged.
func (w row) notJudgedText() string {
	return fmt.Sprintf("not judged, %s (%s)", w.NotJudged, w.Why)
}

func heldMark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗ FAIL"
}

func rowsOf(steps []scenario.StepResult) []row {
	out := make([]row, 0, len(steps))
	for _, s := range steps {
		out = append(out, rowOf(s))
	}
	return out
}

func rowOf(s scenario.StepResult) row {
	w := row{Index: s.Index, Step: probeName(s), Held: s.OK, Why: s.Why, Line: s.Line, Time: timeText(s), NotJudged: s.NotJudged}
	if s.OK {
		w.Caveat = s.Caveat
	}
	if !s.OK && s.NotEnforced != "" {
		// Beside the failure, so that it is not read as a broken
		// configuration: the step still fails.
		w.Why += "; " + s.NotEnforced + ", which may explain it"
	}
	if s.Action != "" {
		w.From, w.To, w.Expected, w.Saw = "-", "router", "-", "-"
		w.Seen = actionText(s)
		switch {
		case s.Renumber != nil:
			w.To = "router.wan"
		case s.Action == scenario.Netem:
			w.To = "link of " + s.From
		case (s.Action == scenario.LinkDown || s.Action == scenario.LinkUp) && s.Router != "":
			// A port of one of the lab's more routers (router:).
			w.To = s.Router + "." + s.To
		case s.Action == scenario.LinkDown || s.Action == scenario.LinkUp:
			w.To = "router." + s.To
		case s.Action == scenario.Configure && s.To != "":
			// A configure step on one of the lab's more routers.
			w.To = s.To
		}
		return w
	}
	w.From, w.To, w.Expected, w.Seen, w.Saw = dash(s.From), toText(s), expectText(s), seenText(s), sawText(s)
	return w
}

// actionText says what an action did, in a few words.
func actionText(s scenario.StepResult) string {
	switch {
	case s.Renumber != nil:
		return fmt.Sprintf("WAN %s → %s (router held it after %.1fs)", s.Renumber.Old, s.Renumber.New, s.Renumber.LeaseAfter)
	case s.Action == scenario.Configure && !s.OK:
		// Taken, and a command of it failed when it ran (forum46 N4).
		return "failed when run"
	case s.Action == scenario.Configure:
		return "configured"
	case s.Action == scenario.Netem && s.Seen.Detail != "":
		return s.Seen.Detail
	case s.Seen.Detail != "":
		return s.Seen.Detail
	}
	return "done"
}

// seenText is the probe's result, with the retries of a step that waited
// for a recovery.
func seenText(s scenario.StepResult) string {
	r := s.Seen.Result
	if r == "" {
		r = "-"
	}
	if s.Attempts > 1 {
		r += fmt.Sprintf(" (after %d tries)", s.Attempts)
	}
	return r
}

func probeName(s scenario.StepResult) string {
	if s.Action != "" {
		return string(s.Action)
	}
	name := string(s.Probe)
	if s.ID != "" {
		name += ":" + s.ID
	}
	if s.Router != "" {
		// The step read one of the lab's more routers (router:).
		name += "@" + s.Router
	}
	return name
}

func dash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}

func toText(s scenario.StepResult) string {
	to := s.To
	if s.Target != "" && s.Target != s.To {
		to += " (" + s.Target + ")"
	}
	// The name asked: a resolve-then-connect step connects to what it
	// resolved, so its row names it as a dns row does (forum40 D9).
	if (s.Probe == scenario.DNS || s.Probe == scenario.ResolveConnect) && s.Query != "" {
		to += " " + s.Query
	}
	return dash(to)
}

func expectText(s scenario.StepResult) string {
	e := s.Expect.Result
	if e == "" {
		e = "any result"
	}
	if s.Expect.Server != "" {
		e += ", answered by " + s.Expect.Server
	}
	if s.Expect.ServerSaw != "" {
		e += ", server saw " + s.Expect.ServerSaw
	}
	if s.Expect.ServerSawPort != "" {
		e += ", from port " + s.Expect.ServerSawPort
	}
	if s.Expect.Answer != "" {
		e += ", answer " + s.Expect.Answer
	}
	if s.Expect.UPnPError != 0 {
		e += fmt.Sprintf(", UPnP error %d", s.Expect.UPnPError)
	}
	if s.Expect.NAT != "" {
		e += ", nat " + s.Expect.NAT
	}
	if s.Expect.Within > 0 {
		e += ", within " + s.Expect.Within.String()
	}
	return e + expectMore(s.Expect)
}

func sawText(s scenario.StepResult) string {
	if d := detailText(s); d != "" {
		return d
	}
	if len(s.Seen.Answers) > 0 {
		return "answer " + strings.Join(s.Seen.Answers, ",")
	}
	if s.Seen.ServerSaw == "" && s.Seen.ServerName == "" {
		return "-"
	}
	return serverSawText(s)
}

// serverSawText is the source address the server saw and, when the row
// does not say it otherwise, the node that answered: "isp saw
// 198.51.100.50". A step whose server: held says it in EXPECTED, so its
// row keeps the address alone, as most rows are; one without server:
// (or answered by another node) showed "ok" and the address, and only a
// guess from the address told which node had answered (f69: an ISP's own
// whoami answered a port forward that expected !ok).
func serverSawText(s scenario.StepResult) string {
	o := s.Seen
	saw := o.ServerSaw
	if a, err := netip.ParseAddr(saw); err == nil && s.Expect.ServerSawPort != "" {
		// The port the step judged: a CGNAT's port block (f71 D4).
		saw = netip.AddrPortFrom(a, uint16(o.ServerSawPort)).String()
	}
	if o.ServerName == "" || o.ServerName == s.Expect.Server {
		return dash(saw)
	}
	if saw == "" {
		return "answered by " + o.ServerName
	}
	return o.ServerName + " saw " + saw
}

// timeText is the TIME column: the step's figure and, for a ratio
// measured again beside its reference, how many times and the reference's
// figure it was judged against.
func timeText(s scenario.StepResult) string {
	t := figureText(s)
	if r := s.RatioRef; r != nil {
		ref := bps(r.BitsPerSecond)
		if s.Probe == scenario.CPS {
			ref = fmt.Sprintf("%.0f conn/s", r.PerSecond)
		}
		t += fmt.Sprintf(" [measured %d times; %s measured again before the last: %s]", s.Seen.Measured, s.Expect.RatioTo, ref)
	}
	return t
}

func figureText(s scenario.StepResult) string {
	if s.Probe == scenario.ConntrackRate {
		return fmt.Sprintf("%.0f flows/s offered, %.0f inserts/s", s.Seen.PerSecond, s.Seen.InsertsPerS) + boundLabel(s.Seen)
	}
	if s.Seen.PerSecond > 0 {
		return cpsText(s.Seen)
	}
	// An iperf step that ran shows its throughput even when it moved
	// nothing (forum43 D10: a download stopped by a rule showed only the
	// step's time, not the 0 it was judged on).
	if s.Seen.BitsPerSecond > 0 || s.Probe == scenario.Iperf && s.Seen.Result == "ok" {
		return bps(s.Seen.BitsPerSecond)
	}
	if s.Seen.Result == "ok" && s.Seen.Millis > 0 {
		return fmt.Sprintf("%.1fms", s.Seen.Millis)
	}
	// A port probe's open (the handshake) and closed (the reset) are its
	// answers, as tcp's ok: their time is the probe's own, not the step's,
	// which adds resolving the target and the container exec (forum42 D5:
	// an open handshake of 12 ms was shown as 2.9s).
	if s.Probe == scenario.Port && (s.Seen.Result == "open" || s.Seen.Result == "closed") && s.Seen.Millis > 0 {
		return fmt.Sprintf("%.1fms", s.Seen.Millis)
	}
	return fmt.Sprintf("%.1fs", s.Duration)
}

func bps(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2f Gbit/s", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.1f Mbit/s", v/1e6)
	default:
		return fmt.Sprintf("%.0f kbit/s", v/1e3)
	}
}

// figures are the lines under the table: throughput, renumbering,
// outages, the connection table over each step that sampled it, settings
// and timings, the same in every view.
func (r *Report) figures() []string {
	var out []string
	if r.Licence != "" {
		out = append(out, "throughput: "+r.Licence)
	}
	if t := r.Throughput; t != nil && t.Ratio > 0 {
		again := ""
		if t.DirectAgain {
			again = " (measured again right before hairpin's last run)"
		}
		out = append(out, fmt.Sprintf("throughput: hairpin %s, direct LAN %s%s, hairpin/direct %.0f%%", bps(t.HairpinBps), bps(t.DirectBps), again, 100*t.Ratio))
	}
	// A PPPoE WAN's new address is no lease: the session was dialled
	// again (f69 N1: the lines said "lease" for it).
	newAddr := "the new lease"
	for _, s := range r.Steps {
		if s.Renumber != nil {
			what := "the new lease"
			if s.Renumber.PPPoE {
				what = "the new address (its PPPoE client dialled again)"
				newAddr = "the new address"
			}
			out = append(out, fmt.Sprintf("renumbered: WAN %s → %s; the router held %s after %.1fs", s.Renumber.Old, s.Renumber.New, what, s.Renumber.LeaseAfter))
		}
	}
	for _, o := range r.Outages {
		if o.Seconds < 0 {
			out = append(out, fmt.Sprintf("outage: %s did not recover (step %d)", o.What, o.Step))
		} else {
			out = append(out, fmt.Sprintf("outage: %s recovered %.1fs after %s (step %d)", o.What, o.Seconds, newAddr, o.Step))
		}
	}
	for _, s := range r.Steps {
		if l := entriesLine(s); l != "" {
			out = append(out, l)
		}
	}
	for _, k := range sortedKeys(r.Settings) {
		out = append(out, fmt.Sprintf("settings: %s %s", k, strings.Join(r.Settings[k], " ")))
	}
	for _, n := range r.SetAside {
		out = append(out, "set aside (hardware a lab router lacks): "+n)
	}
	for _, n := range r.NotEnforced {
		out = append(out, "accepted, not enforced by the emulator: "+n)
	}
	for _, n := range r.Notes {
		out = append(out, "note: "+n)
	}
	var ph []string
	for _, p := range r.Phases {
		ph = append(ph, fmt.Sprintf("%s %.1fs", p.Name, p.Seconds))
	}
	if len(ph) > 0 {
		out = append(out, "timings: "+strings.Join(ph, ", "))
	}
	return out
}
