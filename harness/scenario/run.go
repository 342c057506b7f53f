package scenario

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Env resolves the names a scenario uses into addresses of the running lab.
type Env interface {
	// NodeAddr is the lab address of a host node (its first interface).
	NodeAddr(node string) (netip.Addr, error)
	// RouterAddr is the router's current address named by port ("wan",
	// "lan" or "ether2"), asked of the live router so that it follows a WAN
	// address change; near is the node whose view matters for "lan" (the
	// router's address on near's network).
	RouterAddr(ctx context.Context, port, near string) (netip.Addr, error)
	// RenumberWAN makes the ISP offer the router the address to (or the
	// next free one when to is not valid) and returns once the router
	// holds it.
	RenumberWAN(ctx context.Context, to netip.Addr) (Renumbered, error)
	// Configure applies .rsc text to the router; line is where the text
	// starts in the scenario file, for error positions.
	Configure(ctx context.Context, file string, line int, rsc string) error
}

// RoutersEnv is an Env whose lab has more routers than the one under
// test (a lab's routers:): a configure step with router: goes to one.
type RoutersEnv interface {
	// ConfigureRouter applies .rsc text to the lab router named router,
	// as Configure does to the router under test.
	ConfigureRouter(ctx context.Context, router, file string, line int, rsc string) error
}

// Renumbered is what a renumber-wan action did.
type Renumbered struct {
	Old string `json:"old"`
	New string `json:"new"`
	// LeaseAfter is how long the router took to hold the new address
	// after the ISP started offering it: the wait for its renewal, or for
	// its PPPoE client to dial again.
	LeaseAfter float64 `json:"lease_after_s"`
	// PPPoE is set when the ISP gave the address by PPPoE (it hung the
	// session up) rather than leasing it by DHCP.
	PPPoE bool `json:"pppoe,omitempty"`
}

// Observation is what one probe saw, independent of the probe kind.
type Observation struct {
	Result        string   `json:"result"`
	ServerName    string   `json:"server_name,omitempty"`
	ServerSaw     string   `json:"server_saw,omitempty"`
	ServerSawPort int      `json:"server_saw_port,omitempty"` // tcp, udp, flow: the source port the server saw
	Millis        float64  `json:"ms,omitempty"`              // connect-to-answer time
	BitsPerSecond float64  `json:"bits_per_second,omitempty"` // throughput probes
	Answers       []string `json:"answers,omitempty"`         // dns probes
	PerSecond     float64  `json:"per_second,omitempty"`      // cps probes
	P50           float64  `json:"p50_ms,omitempty"`          // cps latency percentiles
	P99           float64  `json:"p99_ms,omitempty"`
	Count         int      `json:"count,omitempty"` // conntrack: entries towards the target
	NAT           string   `json:"nat,omitempty"`   // conntrack: srcnat, dstnat, both or none
	Retransmits   int      `json:"retransmits,omitempty"`
	Detail        string   `json:"detail,omitempty"` // the agent's error text, if any
	// Output is what a failed configure step's text printed (:put)
	// before its error, which Detail holds alone.
	Output string `json:"output,omitempty"`
	// UPnPError is the UPnP error code an upnp step's gateway answered
	// with (0: none).
	UPnPError int `json:"upnp_error,omitempty"`

	Status int `json:"status,omitempty"` // http
	// Connections, Failures and FailuresBy count a cps or connections
	// step's connections; Attempted, Share and AnsweredBy a connections
	// step's (who answered how many).
	Connections int            `json:"connections,omitempty"`
	Failures    int            `json:"failures,omitempty"`
	FailuresBy  map[string]int `json:"failures_by,omitempty"`
	Attempted   int            `json:"attempted,omitempty"`
	Share       float64        `json:"share,omitempty"`
	AnsweredBy  map[string]int `json:"answered_by,omitempty"`
	// cps: the rest of the percentiles, the loop, the prober's CPU use.
	P90         float64 `json:"p90_ms,omitempty"`
	P999        float64 `json:"p999_ms,omitempty"`
	Max         float64 `json:"max_ms,omitempty"`
	Mode        string  `json:"mode,omitempty"`
	Rate        float64 `json:"rate,omitempty"`
	CPUPercent  float64 `json:"cpu_percent,omitempty"`
	ProberBound bool    `json:"prober_bound,omitempty"`
	// Measured counts the measurements taken: a cps or conntrack-rate one
	// the prober fell behind its schedule in is taken again (runner,
	// proberTries), and a step whose ratio_to fell short is measured again
	// beside its reference (ratioTries).
	Measured int `json:"measured,omitempty"`
	// Distribution is the cps latency distribution, [percentile, ms].
	Distribution [][2]float64 `json:"distribution,omitempty"`
	// ping and flow
	Sent     int     `json:"sent,omitempty"`
	Received int     `json:"received,omitempty"`
	Loss     float64 `json:"loss,omitempty"`
	RTTAvg   float64 `json:"rtt_avg_ms,omitempty"`
	RTTMax   float64 `json:"rtt_max_ms,omitempty"`
	// flow timeline, seconds from its first datagram; -1 for never.
	FirstReply float64 `json:"first_reply_s,omitempty"`
	Stopped    float64 `json:"stopped_s,omitempty"`
	Resumed    float64 `json:"resumed_s,omitempty"`
	// conntrack-rate: the router's entries towards the target created per
	// flow sent and the rate they appeared at (entries per second of
	// sending).
	EntriesPerFlow float64 `json:"entries_per_flow,omitempty"`
	Created        int     `json:"created,omitempty"`
	InsertsPerS    float64 `json:"inserts_per_s,omitempty"`
	// conntrack-rate, cps and flow: the router's whole table (total-entries)
	// sampled while the probe ran: at its start, at its fullest, at its end,
	// its limit (max-entries, 0 when the router does not say), and over
	// time as [seconds from the first reading, entries]. EntriesMissed
	// counts readings that failed and EntriesError is the first failure.
	BaseEntries   int          `json:"base_entries,omitempty"`
	PeakEntries   int          `json:"peak_entries,omitempty"`
	EndEntries    int          `json:"end_entries,omitempty"`
	MaxEntries    int          `json:"max_entries,omitempty"`
	Entries       [][2]float64 `json:"entries,omitempty"`
	EntriesMissed int          `json:"entries_missed,omitempty"`
	EntriesError  string       `json:"entries_error,omitempty"`
	// conntrack: how many of the Count entries are dst-nat translated,
	// src-nat translated, and both (RouterOS's dstnat and srcnat flags).
	DstNATed  int `json:"dstnat_entries,omitempty"`
	SrcNATed  int `json:"srcnat_entries,omitempty"`
	BothNATed int `json:"both_nat_entries,omitempty"`
	// conntrack-fill, besides the table's figures above: whether the table
	// reached max-entries, the fill flows answered and assured, the new
	// flows tried after the fill and the share answered, the established
	// flows and the share of their datagrams answered meanwhile.
	Full                bool    `json:"full,omitempty"`
	Assured             int     `json:"assured,omitempty"`
	NewFlows            int     `json:"new_flows,omitempty"`
	NewAnswered         int     `json:"new_answered,omitempty"`
	NewShare            float64 `json:"new_share,omitempty"`
	Established         int     `json:"established,omitempty"`
	EstablishedSent     int     `json:"established_sent,omitempty"`
	EstablishedAnswered int     `json:"established_answered,omitempty"`
	EstablishedShare    float64 `json:"established_share,omitempty"`
	// Counter is the rule counter an expectation read after the step.
	Counter *Counter `json:"counter,omitempty"`
	// Log is what a log expectation read of the router's /log.
	Log *LogSeen `json:"log,omitempty"`
}

// LogReader reads the router's /log as "<topics> <message>" lines; the
// prober implements it when it can reach the router's API.
type LogReader interface {
	RouterLog(ctx context.Context) ([]string, error)
}

// logSettle is how long a step waits for the entry a positive `log`
// expectation names. A router writes its log after the event: rosemu's
// PPP server logs "logged in" once the session's address is in the
// kernel, after the client already saw IPCP finish and the probe
// returned, and on a slow guest that is a second later (CI saw the read
// come first on vm). RouterOS's logging is asynchronous as well.
var logSettle = 5 * time.Second

// readLog reads the router's log and matches pattern; a positive
// pattern with no match is read again every 250 ms until settle has
// passed. A negative pattern ("!re") is read once: waiting could not
// prove an entry never comes.
func readLog(ctx context.Context, lr LogReader, pattern string, settle time.Duration) (LogSeen, error) {
	neg, _, _ := LogPattern(pattern) // checked at load
	deadline := time.Now().Add(settle)
	for {
		entries, err := lr.RouterLog(ctx)
		if err != nil {
			return LogSeen{}, err
		}
		seen := MatchLog(pattern, entries)
		if neg || len(seen.Matched) > 0 || !time.Now().Before(deadline) {
			return seen, nil
		}
		select {
		case <-ctx.Done():
			return seen, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// CounterReader reads a router rule's counters; the prober implements it
// when it can reach the router's API.
type CounterReader interface {
	Counter(ctx context.Context, rule string, sel Selector) (Counter, error)
}

// LinkEnv pulls or plugs back the cable of a router port in the running
// lab and says what it did.
type LinkEnv interface {
	SetLink(ctx context.Context, port string, up bool) (string, error)
}

// RouterLinkEnv is a LinkEnv whose lab has more routers: SetRouterLink
// pulls or plugs back the cable of a port of the one named (a link step's
// router:).
type RouterLinkEnv interface {
	SetRouterLink(ctx context.Context, router, port string, up bool) (string, error)
}

// NetemEnv applies a netem action in the running lab.
type NetemEnv interface {
	Netem(ctx context.Context, st Step) (string, error)
}

// Prober runs one probe from a node to an address.
type Prober interface {
	Probe(ctx context.Context, st Step, to netip.AddrPort) (Observation, error)
}

// RoutersProber is a Prober whose lab has more routers than the one under
// test: OnRouter is the prober that reads the named one instead (its
// connection table, rule counters and log).
type RoutersProber interface {
	OnRouter(name string) (Prober, error)
}

// StepResult is one step's outcome: what was asked, what was seen, whether
// the expectation held and, if not, why.
type StepResult struct {
	Index  int         `json:"index"`
	Line   int         `json:"line"`
	Probe  Kind        `json:"probe,omitempty"`
	Action Action      `json:"action,omitempty"`
	ID     string      `json:"id,omitempty"`
	From   string      `json:"from"`
	To     string      `json:"to"`     // as written: router.wan:12566
	Target string      `json:"target"` // as resolved: 203.0.113.2:12566
	Expect Expect      `json:"expect"`
	Query  string      `json:"query,omitempty"`           // the name a dns probe asked for
	Want   string      `json:"want_server_saw,omitempty"` // Expect.ServerSaw resolved
	Seen   Observation `json:"seen"`
	OK     bool        `json:"ok"`
	Why    string      `json:"why,omitempty"`
	// NotJudged says why a step whose rate figures missed their bounds was
	// not failed for it (report.Finish): the figures measured a licence
	// cap, an emulator or a starved prober, not the configuration. Why
	// still says what the figures were.
	NotJudged string `json:"not_judged,omitempty"`
	// NotEnforced says, for a failed step, how it depends with certainty
	// on configuration the emulator stores without enforcing (the port of
	// a server rosemu does not run, a counter's rule with a matcher rosemu
	// does not match); the step still fails (runner's tieNotEnforced).
	NotEnforced string `json:"not_enforced,omitempty"`
	// NotEnforcedOffPath is set on a failed probe step that nothing
	// stored-only is tied to and on whose path the runner found none of
	// the stored-only settings a caveat reads (firewall rules of the
	// chains it crosses and its protocol, IPsec policies, tunnels, the
	// DNS settings): the report's verdict then does not offer them as
	// its explanation (forum46 N10).
	NotEnforcedOffPath bool `json:"not_enforced_off_path,omitempty"`
	// Caveat names, for a passed step, the settings the emulator stores
	// without enforcing that touch the step's path (an IPsec policy that
	// covers its addresses, a rule with a stored-only matcher in a chain
	// its packets cross) and could change its outcome on RouterOS
	// (runner's stepCaveat, forum34 D6). The step still passes.
	Caveat   string  `json:"caveat,omitempty"`
	Duration float64 `json:"duration_s"`
	// Attempts counts probes made for a step with expect.within.
	Attempts int `json:"attempts,omitempty"`
	// HeldAfter is, for a step with expect.within, the seconds from the
	// moment the router held its new WAN address (or from the step's start
	// when nothing was renumbered) to the answer of the first probe that
	// met the expectation; -1 if none did within the limit.
	HeldAfter *float64 `json:"held_after_s,omitempty"`
	// Outage is HeldAfter for a step during which a try went unanswered
	// or the router lacked an address the step names: only then was a
	// connection lost. A step whose every try was
	// answered and that waited for something else (a failback's server_saw)
	// had no outage, and has none (forum41 N2: a failback step's 6.1 s was
	// called outage_s).
	Outage   *float64    `json:"outage_s,omitempty"`
	Renumber *Renumbered `json:"renumber,omitempty"`
	// During lists the actions a flow step took while it ran, with their
	// offsets from its start.
	During []StepResult `json:"during,omitempty"`
	// At is when a during action ran, in seconds from its flow's start.
	At float64 `json:"at_s,omitempty"`
	// Tries lists every attempt of a step with expect.within, so that a
	// report can draw the recovery as a timeline.
	Tries []Try `json:"tries,omitempty"`
	// RatioRef is the reference of a ratio_to step measured again right
	// before this step's last measurement, when the first pair fell short:
	// the ratio was judged against it, not against the reference step's
	// own (earlier) figure.
	RatioRef *Observation `json:"ratio_ref,omitempty"`
	// ratioShort: the step missed only its ratio_to bound, against a
	// reference that measured something (Run measures the pair again).
	ratioShort bool
	// Router is the lab router the step configured or read, when it is
	// one of the lab's more routers (the step's router:).
	Router string `json:"router,omitempty"`
}

// Try is one attempt of a retried step: when it began and when it answered,
// counted from the step's start, and what it saw. Between the two the
// harness starts the prober in its container, which on a busy machine can
// take a second: the path was as the try saw it at some moment in between.
type Try struct {
	Start  float64 `json:"start_s"`
	At     float64 `json:"at_s"`
	Result string  `json:"result"`
	OK     bool    `json:"ok"`
}

// Run runs every step in order and returns one result per step. A step
// whose probe could not run at all (agent missing, lab gone) ends the run
// with an error: that is a broken lab, not an observation.
func Run(ctx context.Context, s *Scenario, env Env, p Prober, progress func(StepResult)) ([]StepResult, error) {
	var out []StepResult
	var renumberedAt time.Time
	byID := map[string]*Observation{}
	for i, st := range s.Steps {
		var (
			r   StepResult
			err error
		)
		if st.Action != "" {
			r, err = runAction(ctx, s, env, i, st)
			if st.Action == RenumberWAN && err == nil {
				// Outages count from the moment the router held its new
				// address: before that, the old one still worked.
				renumberedAt = time.Now()
			}
		} else {
			var ref *Observation
			if st.Expect.RatioTo != "" {
				ref = byID[st.Expect.RatioTo]
			}
			r, err = runStep(ctx, s, env, p, i, st, renumberedAt, ref)
			if err == nil && r.ratioShort {
				r, err = remeasureRatio(ctx, s, env, p, i, renumberedAt, byID, r)
			}
		}
		if err != nil {
			return out, atStep(s.File, st.Line, err)
		}
		if st.ID != "" {
			seen := r.Seen
			byID[st.ID] = &seen
		}
		out = append(out, r)
		if progress != nil {
			progress(r)
		}
	}
	return out, nil
}

// ratioTries is how many pairs (the reference, then the step) a ratio_to
// step is measured in at most.
const ratioTries = 3

// remeasureRatio measures a step whose ratio to its reference fell short,
// and only that, again: the reference first, then the step, up to
// ratioTries pairs in all, until the ratio holds. The two of a ratio are
// measured at different moments, and on a shared machine another load
// (another lab, a guest booting, a build) can take the CPU from one of
// them: in one CI run hairpin measured 0.16 of a direct run taken a few
// seconds before. A pair taken back to back shares its moment. A path that
// is slower than the bound fails every pair, so the bound still judges.
// The step keeps its last measurement and the reference it was judged
// against (RatioRef); the reference step's own result stands.
func remeasureRatio(ctx context.Context, s *Scenario, env Env, p Prober, i int, renumberedAt time.Time, byID map[string]*Observation, r StepResult) (StepResult, error) {
	st := s.Steps[i]
	// The reference is the last step before this one with that id, as
	// byID holds it.
	j := i - 1
	for j >= 0 && s.Steps[j].ID != st.Expect.RatioTo {
		j--
	}
	if j < 0 {
		return r, nil
	}
	for measured := 2; measured <= ratioTries && r.ratioShort; measured++ {
		refStep := s.Steps[j]
		var refRef *Observation
		if refStep.Expect.RatioTo != "" {
			refRef = byID[refStep.Expect.RatioTo]
		}
		rr, err := runStep(ctx, s, env, p, j, refStep, renumberedAt, refRef)
		if err != nil {
			return r, err
		}
		ref := rr.Seen
		next, err := runStep(ctx, s, env, p, i, st, renumberedAt, &ref)
		if err != nil {
			return r, err
		}
		next.Duration += r.Duration + rr.Duration
		next.RatioRef, next.Seen.Measured = &ref, measured
		r = next
	}
	return r, nil
}

// runTimeFailure is an error of a configure step that says whether the
// router took the text and a command of it failed when it ran (the ros
// client's ApplyError).
type runTimeFailure interface {
	error
	RunTimeFailure() (words string, ok bool)
	// Printed is what the text printed (:put) before the failure, ""
	// when nothing; PrintedBefore says it quoted on one line.
	Printed() string
	PrintedBefore() string
}

// placedInFile is a configure step's refusal that can name its position
// in the file holding the text, the text starting at line and column col
// there (the ros client's ApplyError).
type placedInFile interface {
	error
	Within(file string, line, col int) error
}

// placed is an error named at its own line and column of the case file
// (a configure step's refused line): the step's line is not put before it
// again.
type placed struct{ error }

func (p placed) Unwrap() error { return p.error }

// atStep names a step's error by the step's line in file, unless it is
// placed already.
func atStep(file string, line int, err error) error {
	if errors.As(err, new(placed)) {
		return err
	}
	return fmt.Errorf("%s:%d: %w", file, line, err)
}

// runAction performs a step that changes the lab.
func runAction(ctx context.Context, s *Scenario, env Env, i int, st Step) (StepResult, error) {
	r := StepResult{Index: i + 1, Line: st.Line, Action: st.Action, To: st.To, OK: true}
	start := time.Now()
	switch st.Action {
	case RenumberWAN:
		var to netip.Addr
		if st.To != "" {
			to = netip.MustParseAddr(st.To) // checked at load
		}
		rn, err := env.RenumberWAN(ctx, to)
		if err != nil {
			return r, err
		}
		r.Renumber = &rn
		r.Target = rn.New
		r.Seen = Observation{Result: "ok", Detail: fmt.Sprintf("WAN %s -> %s, router held it after %.1fs", rn.Old, rn.New, rn.LeaseAfter)}
	case Configure:
		configure := env.Configure
		if st.Router != "" {
			me, ok := env.(RoutersEnv)
			if !ok {
				return r, fmt.Errorf("configure: this lab has no router %s", st.Router)
			}
			r.To, r.Router = st.Router, st.Router
			configure = func(ctx context.Context, file string, line int, rsc string) error {
				return me.ConfigureRouter(ctx, st.Router, file, line, rsc)
			}
		}
		if err := configure(ctx, s.File, st.Line, st.RSC); err != nil {
			// A command of the step that failed at run time for the
			// network (a fetch nobody answered) is the configuration's
			// outcome: the step fails in the results and the run goes
			// on. It ended the run as ERROR with exit 2, the code of
			// refused input (forum46 N4).
			var in placedInFile
			if errors.As(err, &in) && st.RSCLine > 0 {
				// A refused line named in the case file, where the
				// load check names it, not as a line of the step's
				// text after the step's line (f69). A refusal with
				// no position comes back as it was.
				if moved := in.Within(s.File, st.RSCLine, st.RSCCol); moved != error(in) {
					err = placed{moved}
				}
			}
			var rt runTimeFailure
			if !errors.As(err, &rt) {
				return r, err
			}
			words, ok := rt.RunTimeFailure()
			why := "the router took the step, and a command of it failed when it ran: " + words
			if !ok && st.decidedWhenRun {
				// The offline check took the text and left a statement
				// of it to the router (a read of a lease, a counter, a
				// fetch's answer): the script's :error, or the item it
				// read still missing, is the case's check failing. It
				// ended the run as refused input, exit 2 (forum67 H1).
				ok, why = true, "the router took the step, and it failed on what the router read when it ran: "+words
			}
			if !ok {
				return r, err
			}
			r.OK = false
			r.Seen = Observation{Result: "failed", Detail: words, Output: rt.Printed()}
			r.Why = why
			if p := rt.PrintedBefore(); p != "" {
				// The error first, then the step's own output: it was
				// all read as the router's words (sm58).
				r.Why += "; " + p
			}
			break
		}
		r.Seen = Observation{Result: "ok"}
	case Netem:
		ne, ok := env.(NetemEnv)
		if !ok {
			return r, fmt.Errorf("netem: this lab cannot set link properties")
		}
		applied, err := ne.Netem(ctx, st)
		if err != nil {
			return r, err
		}
		r.From, r.Seen = st.Node, Observation{Result: "ok", Detail: applied}
	case LinkDown, LinkUp:
		le, ok := env.(LinkEnv)
		if !ok {
			return r, fmt.Errorf("%s: this lab cannot pull a port's cable", st.Action)
		}
		setLink := le.SetLink
		if st.Router != "" {
			me, ok := env.(RouterLinkEnv)
			if !ok {
				return r, fmt.Errorf("%s: this lab has no router %s", st.Action, st.Router)
			}
			r.Router = st.Router
			setLink = func(ctx context.Context, port string, up bool) (string, error) {
				return me.SetRouterLink(ctx, st.Router, port, up)
			}
		}
		did, err := setLink(ctx, st.Interface, st.Action == LinkUp)
		if err != nil {
			return r, err
		}
		r.To, r.Seen = st.Interface, Observation{Result: "ok", Detail: did}
	}
	r.Duration = time.Since(start).Seconds()
	return r, nil
}

// NoAddressError is a router address a step names that the router does
// not hold when the step runs (router.wan of a WAN without its lease): a
// state of the router, which the step fails with, not an error of the
// case.
type NoAddressError struct{ Msg string }

func (e *NoAddressError) Error() string { return e.Msg }

func runStep(ctx context.Context, s *Scenario, env Env, p Prober, i int, st Step, renumberedAt time.Time, ref *Observation) (StepResult, error) {
	r := StepResult{Index: i + 1, Line: st.Line, Probe: st.Probe, ID: st.ID, From: st.From, To: st.To, Expect: st.Expect, Query: st.Name, Router: st.Router}
	if st.Router != "" {
		// What the step reads of a router (a conntrack probe's table, a
		// counter, the log) it reads of that one of the lab's more
		// routers; the probe's packets go where they go.
		rp, ok := p.(RoutersProber)
		if !ok {
			return r, fmt.Errorf("%s probe: this lab has no router %s", st.Probe, st.Router)
		}
		var err error
		if p, err = rp.OnRouter(st.Router); err != nil {
			return r, err
		}
	}
	var to netip.AddrPort
	var wantAnswer string
	resolveAll := func() error {
		var err error
		if to, err = resolveTarget(ctx, env, st); err != nil {
			return err
		}
		// A probe without a port (ping) resolves to port 0: its target
		// is the address alone, not "192.168.88.1:0" (forum32 D8).
		r.Target = to.String()
		if to.Port() == 0 {
			r.Target = to.Addr().String()
		}
		if st.Expect.ServerSaw != "" {
			near := st.Expect.Server
			if near == "" {
				near, _, _ = SplitTarget(st.To)
			}
			want, err := resolve(ctx, env, st.Expect.ServerSaw, near)
			if err != nil {
				return err
			}
			// A node named for an IPv6 target is its IPv6 address: the
			// server sees the source the connection came from (it
			// expected the node's IPv4 one and retried to the end,
			// forum24).
			if e6, ok := env.(interface {
				NodeAddr6(string) (netip.Addr, error)
			}); ok && to.Addr().Is6() && want.Is4() && !strings.HasPrefix(st.Expect.ServerSaw, "router.") {
				if _, lit := netip.ParseAddr(st.Expect.ServerSaw); lit != nil {
					if a6, err := e6.NodeAddr6(st.Expect.ServerSaw); err == nil {
						want = a6
					}
				}
			}
			r.Want = want.String()
		}
		if st.Client != "" {
			a, err := resolve(ctx, env, st.Client, st.From)
			if err != nil {
				return err
			}
			st.ClientAddr = a
		}
		if st.Expect.Answer != "" {
			a, err := resolve(ctx, env, st.Expect.Answer, st.From)
			if err != nil {
				return err
			}
			wantAnswer = a.String()
		}
		return nil
	}
	start := time.Now()
	var err error
	// noAddr: the step waited for an address the router did not hold,
	// which is part of an outage as much as an unanswered try.
	noAddr := false
	for {
		if err = resolveAll(); err == nil {
			break
		}
		noAddr = true
		// A step that waits for a recovery waits for the addresses it
		// names too: router.wan has none while a PPPoE client redials
		// or a DHCP client has no lease yet, which is part of the outage.
		if st.Expect.Within == 0 || time.Since(start) >= st.Expect.Within {
			var na *NoAddressError
			if errors.As(err, &na) {
				// The router holds no address the step names at the
				// moment (a DHCP WAN that has not leased again after its
				// cable came back): the step fails with it and the run
				// goes on; it ended the whole run, with no verdict.
				r.Seen = Observation{Result: "error", Detail: err.Error()}
				r.Why = "no probe: " + err.Error()
				r.Duration = time.Since(start).Seconds()
				return r, nil
			}
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	if st.Expect.Within > 0 && st.Timeout == 0 {
		// While waiting for a recovery, each attempt is short so that the
		// measured outage is within a second of the real one.
		st.Timeout = time.Second
	}
	var sel Selector
	if st.Expect.Counter.Rule != "" {
		if sel, err = ParseSelector(st.Expect.Counter.Rule); err != nil {
			return r, err // checked at load
		}
	}
	for {
		r.Attempts++
		began := time.Since(start).Seconds()
		var obs Observation
		if len(st.During) > 0 {
			obs, r.During, err = probeDuring(ctx, s, env, p, st, to)
		} else {
			obs, err = p.Probe(ctx, st, to)
		}
		if err != nil {
			return r, fmt.Errorf("run %s probe from %s to %s: %w", st.Probe, st.From, r.Target, err)
		}
		if st.Expect.Counter.Rule != "" {
			cr, ok := p.(CounterReader)
			if !ok {
				return r, fmt.Errorf("read counter %s: this router cannot be asked", st.Expect.Counter.Rule)
			}
			c, err := cr.Counter(ctx, st.Expect.Counter.Rule, sel)
			if err != nil {
				return r, err
			}
			obs.Counter = &c
		}
		if st.Expect.Log != "" {
			lr, ok := p.(LogReader)
			if !ok {
				return r, fmt.Errorf("read the router's log: this router cannot be asked")
			}
			seen, err := readLog(ctx, lr, st.Expect.Log, logSettle)
			if err != nil {
				return r, err
			}
			obs.Log = &seen
		}
		r.Seen = obs
		r.OK, r.Why = judge(st.Expect, r.Want, wantAnswer, obs)
		more := judgeMore(st.Expect, obs, st.Probe)
		// An action the flow ran during it that failed on the router
		// (a script's :error on what it read) fails the flow: it was
		// kept in During alone, which no report shows, and the step
		// passed.
		for _, a := range r.During {
			if !a.OK {
				more = append(more, fmt.Sprintf("%s at %.1fs (line %d) failed: %s", a.Action, a.At, a.Line, a.Why))
			}
		}
		why, short := ratioWhy(st.Expect, obs, ref, st.Probe)
		// Only a ratio that fell short by itself is worth another pair:
		// any other miss is the step's own.
		r.ratioShort = short && r.OK && len(more) == 0 && st.Expect.Within == 0
		if more = append(more, nonEmpty(why)...); len(more) > 0 {
			r.OK = false
			r.Why = strings.Join(append(nonEmpty(r.Why), more...), "; ")
		}
		if st.Expect.Within > 0 {
			r.Tries = append(r.Tries, Try{Start: began, At: time.Since(start).Seconds(), Result: obs.Result, OK: r.OK})
		}
		if r.OK || st.Expect.Within == 0 || time.Since(start) >= st.Expect.Within {
			break
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	r.Duration = time.Since(start).Seconds()
	if st.Expect.Within > 0 {
		from := renumberedAt
		if from.IsZero() {
			from = start
		}
		out := time.Since(from).Seconds()
		if !r.OK {
			out = -1
			r.Why += fmt.Sprintf(" (still after %s)", st.Expect.Within)
		}
		r.HeldAfter = &out
		if noAddr || slices.ContainsFunc(r.Tries, func(t Try) bool { return t.Result != "ok" }) {
			r.Outage = &out
		}
	}
	return r, nil
}

// judge compares an observation with its expectation.
func judge(e Expect, wantSaw, wantAnswer string, o Observation) (bool, string) {
	var why []string
	if e.NAT != "" && o.Result == "ok" && o.NAT != e.NAT {
		why = append(why, fmt.Sprintf("connection table shows %s translation (%d entries), expected %s", dashIfEmpty(o.NAT), o.Count, e.NAT))
	}
	if wantAnswer != "" && o.Result == "ok" && !slices.Contains(o.Answers, wantAnswer) {
		why = append(why, fmt.Sprintf("answers %v, expected %s (%s)", o.Answers, wantAnswer, e.Answer))
	}
	if e.Result != "" && !resultHolds(e.Result, o.Result) {
		why = append(why, fmt.Sprintf("result %s, expected %s", o.Result, e.Result))
	}
	if e.Server != "" && o.Result == "ok" && o.ServerName != e.Server {
		why = append(why, fmt.Sprintf("answered by %q, expected %s", o.ServerName, e.Server))
	}
	if wantSaw != "" && o.Result == "ok" && o.ServerSaw != wantSaw {
		why = append(why, fmt.Sprintf("server saw %s, expected %s (%s)", o.ServerSaw, wantSaw, e.ServerSaw))
	}
	return len(why) == 0, strings.Join(why, "; ")
}

func resolveTarget(ctx context.Context, env Env, st Step) (netip.AddrPort, error) {
	if st.Probe == Ping {
		a, err := resolve(ctx, env, st.To, st.From)
		return netip.AddrPortFrom(a, 0), err
	}
	host, port, err := SplitTarget(st.To)
	if err != nil {
		return netip.AddrPort{}, err
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("target %q: bad port: %w", st.To, err)
	}
	a, err := resolve(ctx, env, host, st.From)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(a, uint16(n)), nil
}

// resolve turns a node name, router.<port> or a literal into an address.
func resolve(ctx context.Context, env Env, name, near string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(name); err == nil {
		return a, nil
	}
	if port, ok := strings.CutPrefix(name, "router."); ok {
		return env.RouterAddr(ctx, port, near)
	}
	if mr, ok := env.(MoreRouterAddrEnv); ok {
		if a, is, err := mr.MoreRouterAddr(ctx, name, near); is {
			return a, err
		}
	}
	return env.NodeAddr(name)
}

// MoreRouterAddrEnv is an Env that resolves the addresses of the lab's
// more routers, site-b.wan as router.wan is resolved; is says whether
// name is one.
type MoreRouterAddrEnv interface {
	MoreRouterAddr(ctx context.Context, name, near string) (a netip.Addr, is bool, err error)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// probeDuring runs a flow probe and, while it runs, its during actions at
// their offsets from the flow's start.
func probeDuring(ctx context.Context, s *Scenario, env Env, p Prober, st Step, to netip.AddrPort) (Observation, []StepResult, error) {
	type done struct {
		o   Observation
		err error
	}
	ch := make(chan done, 1)
	// The flow starts a moment from now, at a time both sides know (the lab's containers share
	// this machine's clock), so "at" means the same instant to the flow and to its actions.
	start := time.Now().Add(time.Second)
	st.StartAt = start
	go func() {
		o, err := p.Probe(ctx, st, to)
		ch <- done{o, err}
	}()
	var acts []StepResult
	for i, a := range st.During {
		select {
		case <-time.After(time.Until(start.Add(a.At))):
		case <-ctx.Done():
			<-ch
			return Observation{}, acts, ctx.Err()
		}
		r, err := runAction(ctx, s, env, i, a)
		r.At = time.Since(start).Seconds()
		if err != nil {
			<-ch
			return Observation{}, acts, atStep(s.File, a.Line, err)
		}
		acts = append(acts, r)
	}
	d := <-ch
	return d.o, acts, d.err
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "no"
	}
	return s
}
