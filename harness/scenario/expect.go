package scenario

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// Compare is a threshold written as text: ">0", "== 0", ">= 0.95", "<5". A bare number means
// "==". It is parsed at load, so a bad threshold fails with its line.
type Compare string

var compareOps = []string{">=", "<=", "==", "!=", ">", "<"}

// parse splits the comparison into its operator and number.
func (c Compare) parse() (op string, v float64, err error) {
	s := strings.TrimSpace(string(c))
	op = "=="
	for _, o := range compareOps {
		if rest, ok := strings.CutPrefix(s, o); ok {
			op, s = o, strings.TrimSpace(rest)
			break
		}
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil {
		return "", 0, fmt.Errorf("threshold %q: want an operator (%s) and a number, as \">= 0.95\"", string(c), strings.Join(compareOps, " "))
	}
	return op, v, nil
}

// Holds reports whether x meets the comparison; c must have parsed.
func (c Compare) Holds(x float64) bool {
	op, v, err := c.parse()
	if err != nil {
		return false
	}
	switch op {
	case ">=":
		return x >= v
	case "<=":
		return x <= v
	case "!=":
		return x != v
	case ">":
		return x > v
	case "<":
		return x < v
	default:
		return x == v
	}
}

// CounterExpect reads a router rule's counters after the step: the rule is selected as in the
// RouterOS console, '/ip firewall nat [find comment~"hairpin"]'; packets and bytes are the sums
// over every rule the selection matches.
type CounterExpect struct {
	Rule    string  `yaml:"rule"`
	Packets Compare `yaml:"packets"`
	Bytes   Compare `yaml:"bytes"`
}

// Selector is a parsed counter rule: the menu and the conditions every matched row meets.
type Selector struct {
	Menu  string // API path: /ip/firewall/nat
	Conds []Cond
}

// Cond is one condition of a find: prop=value, prop!=value or prop~regex.
type Cond struct {
	Prop, Op, Value string
	re              *script.ByteRegexp
}

// Match reports whether a printed row meets the condition.
func (c Cond) Match(row map[string]string) bool {
	v := row[c.Prop]
	switch c.Op {
	case "~":
		return c.re.MatchString(v)
	case "!=":
		return v != c.Value
	default:
		return v == c.Value
	}
}

// counterMenus are the menus whose rules count packets.
var counterMenus = []string{"/ip firewall filter", "/ip firewall nat", "/ip firewall mangle", "/ip firewall raw",
	"/ipv6 firewall filter", "/ipv6 firewall nat", "/ipv6 firewall mangle", "/ipv6 firewall raw",
	"/interface bridge filter", "/interface bridge nat"}

var (
	selectorRE = regexp.MustCompile(`^\s*(/[a-z0-9 /-]+?)\s*\[\s*find\s+(?:where\s+)?(.*)\]\s*$`)
	condRE     = regexp.MustCompile(`^([a-z][a-z0-9.-]*)\s*(!=|=|~)\s*("(?:[^"\\]|\\.)*"|\S+)`)
)

// ParseSelector reads '/ip firewall nat [find comment~"hairpin"]'. Conditions are joined by
// spaces or "and".
func ParseSelector(s string) (Selector, error) {
	m := selectorRE.FindStringSubmatch(s)
	if m == nil {
		return Selector{}, fmt.Errorf("counter rule %q: want a menu and a find, as '/ip firewall nat [find comment~\"hairpin\"]'", s)
	}
	menu := strings.Join(strings.Fields(m[1]), " ")
	if !slices.Contains(counterMenus, menu) {
		return Selector{}, fmt.Errorf("counter rule %q: menu %s has no rule counters; use one of %s", s, menu, strings.Join(counterMenus, ", "))
	}
	sel := Selector{Menu: "/" + strings.ReplaceAll(strings.TrimPrefix(menu, "/"), " ", "/")}
	rest := strings.TrimSpace(m[2])
	for rest != "" {
		cm := condRE.FindStringSubmatch(rest)
		if cm == nil {
			return Selector{}, fmt.Errorf("counter rule %q: cannot read the condition at %q; want prop=value, prop!=value or prop~\"regex\"", s, rest)
		}
		c := Cond{Prop: cm[1], Op: cm[2], Value: cm[3]}
		if strings.HasPrefix(c.Value, `"`) {
			// The selector is RouterOS text: its escapes are RouterOS's
			// ("scan\$" anchors a regex; Go's strconv.Unquote knows no \$).
			uq, err := script.Unquote(c.Value)
			if err != nil {
				return Selector{}, fmt.Errorf("counter rule %q: value %s: %w", s, c.Value, err)
			}
			c.Value = uq
		}
		if c.Op == "~" {
			// Over bytes, as the console's ~ (rosemu/script): a quoted
			// value's \XX escapes give any byte, and 6.x exports carry
			// Windows-1251 comments that are not UTF-8.
			re, err := script.CompileByteRegexp(c.Value, false)
			if err != nil {
				return Selector{}, fmt.Errorf("counter rule %q: regex %q: %w", s, c.Value, err)
			}
			c.re = re
		}
		sel.Conds = append(sel.Conds, c)
		rest = strings.TrimSpace(rest[len(cm[0]):])
		rest = strings.TrimSpace(strings.TrimPrefix(rest, "and "))
	}
	if len(sel.Conds) == 0 {
		return Selector{}, fmt.Errorf("counter rule %q: the find has no condition; name the rule, as [find comment~\"hairpin\"]", s)
	}
	return sel, nil
}

// LogPattern reads a log expectation: a regular expression that some entry
// of the router's /log ("<topics> <message>") must match, or with a
// leading "!" that none may.
func LogPattern(s string) (neg bool, re *regexp.Regexp, err error) {
	body, neg := strings.CutPrefix(s, "!")
	if strings.TrimSpace(body) == "" {
		return false, nil, fmt.Errorf("expectation log needs a regular expression, as log: 'firewall,info PF forward: .*NAT'")
	}
	re, err = regexp.Compile(body)
	if err != nil {
		return false, nil, fmt.Errorf("expectation log %q: %w", s, err)
	}
	return neg, re, nil
}

// LogSeen is what a log expectation read: how many entries /log held and
// those that matched (at most maxLogMatches).
type LogSeen struct {
	Entries int      `json:"entries"`
	Matched []string `json:"matched,omitempty"`
}

// maxLogMatches bounds the matching entries a step keeps.
const maxLogMatches = 5

// MatchLog applies a log expectation's pattern to the entries read.
func MatchLog(pattern string, entries []string) LogSeen {
	_, re, err := LogPattern(pattern)
	seen := LogSeen{Entries: len(entries)}
	if err != nil {
		return seen
	}
	for _, e := range entries {
		if re.MatchString(e) && len(seen.Matched) < maxLogMatches {
			seen.Matched = append(seen.Matched, e)
		}
	}
	return seen
}

// Counter is what a counter expectation read.
type Counter struct {
	Rule    string `json:"rule"`
	Matched int    `json:"matched"` // rules the selection matched
	Packets int64  `json:"packets"`
	Bytes   int64  `json:"bytes"`
}

// expectFields names each expectation and the probes it applies to ("" for every probe), in the
// order the documentation lists them; the loader checks a step's expectations against it.
var expectFields = []struct {
	name   string
	probes []Kind
}{
	{"result", nil},
	{"server", []Kind{TCP, UDP, HTTP, Flow, ResolveConnect, Connections, FTP}},
	{"server_saw", []Kind{TCP, UDP, HTTP, Flow, ResolveConnect, FTP}},
	{"server_saw_port", []Kind{TCP, UDP, Flow}},
	{"answer", []Kind{DNS, ResolveConnect, UPnP}},
	{"upnp_error", []Kind{UPnP}},
	{"nat", []Kind{Conntrack}},
	{"entries", []Kind{Conntrack}},
	{"within", nil},
	{"status", []Kind{HTTP}},
	{"min_gbps", []Kind{Iperf}},
	{"max_gbps", []Kind{Iperf}},
	{"ratio_to", []Kind{Iperf, CPS}},
	{"min", []Kind{Iperf, CPS}},
	{"min_cps", []Kind{CPS}},
	{"max_p99", []Kind{CPS}},
	{"max_failures", []Kind{CPS, Connections, ConntrackRate}},
	{"peak_entries", []Kind{ConntrackFill}},
	{"full", []Kind{ConntrackFill}},
	{"new_share", []Kind{ConntrackFill}},
	{"established_share", []Kind{ConntrackFill}},
	{"entries_per_flow", []Kind{ConntrackRate}},
	{"min_inserts_per_s", []Kind{ConntrackRate}},
	{"max_entries", []Kind{ConntrackRate}},
	{"share", []Kind{Connections}},
	{"loss", []Kind{Ping, Flow}},
	{"rtt_ms", []Kind{Ping, Flow}},
	{"first_reply_s", []Kind{Flow}},
	{"stopped_s", []Kind{Flow}},
	{"resumed_s", []Kind{Flow}},
	{"counter", nil},
	{"log", nil},
}

func expectNames() string {
	var n []string
	for _, f := range expectFields {
		n = append(n, f.name)
	}
	return strings.Join(n, ", ")
}

// knownResults are the outcomes an expectation may name; "!x" means anything but x.
var knownResults = []string{"ok", "timeout", "refused", "unreachable", "wrong-answer", "nxdomain", "servfail", "nodata", "open", "closed", "filtered", "error"}

// lineError places an error at a line of the scenario other than its
// step's: the expectation's own key.
type lineError struct {
	line int
	col  int // 0: the line alone
	err  error
}

func (e lineError) Error() string { return e.err.Error() }
func (e lineError) Unwrap() error { return e.err }

// checkExpect validates a step's expectations for its probe kind. set maps
// each expectation the step wrote to its key's line; an error about one
// expectation is a lineError at that line.
func checkExpect(k Kind, e Expect, set map[string]int) error {
	at := func(name string, err error) error {
		if l, ok := set[name]; ok && l > 0 {
			return lineError{line: l, err: err}
		}
		if l, ok := set[strings.Split(name, ".")[0]]; ok && l > 0 {
			return lineError{line: l, err: err}
		}
		return err
	}
	has := func(name string) bool { _, ok := set[name]; return ok }
	for _, name := range slices.Sorted(maps.Keys(set)) {
		if strings.Contains(name, ".") {
			continue // counter's own keys, checked below
		}
		i := slices.IndexFunc(expectFields, func(f struct {
			name   string
			probes []Kind
		}) bool {
			return f.name == name
		})
		if i < 0 {
			return at(name, fmt.Errorf("unknown expectation %q; known expectations: %s", name, expectNames()))
		}
		if ps := expectFields[i].probes; ps != nil && !slices.Contains(ps, k) {
			return at(name, fmt.Errorf("expectation %s does not apply to a %s probe (it applies to %s)", name, k, list(ps)))
		}
	}
	if r := strings.TrimPrefix(e.Result, "!"); e.Result != "" && !slices.Contains(knownResults, r) {
		return at("result", fmt.Errorf("unknown expected result %q; known: %s, each also as \"!x\" (anything but x)", e.Result, strings.Join(knownResults, ", ")))
	}
	for _, c := range []struct {
		name string
		v    Compare
	}{{"share", e.Share}, {"loss", e.Loss}, {"rtt_ms", e.RTTms}, {"first_reply_s", e.FirstReply}, {"stopped_s", e.Stopped}, {"resumed_s", e.Resumed},
		{"entries", e.Entries}, {"entries_per_flow", e.EntriesPerFlow}, {"peak_entries", e.PeakEntries}, {"new_share", e.NewShare}, {"established_share", e.EstablishedShare},
		{"counter.packets", e.Counter.Packets}, {"counter.bytes", e.Counter.Bytes}} {
		if c.v == "" {
			continue
		}
		if _, _, err := c.v.parse(); err != nil {
			return at(c.name, fmt.Errorf("expectation %s: %w", c.name, err))
		}
	}
	if e.ServerSawPort != "" {
		if _, _, err := portRange(e.ServerSawPort); err != nil {
			return at("server_saw_port", fmt.Errorf("expectation server_saw_port: %w", err))
		}
	}
	if has("log") {
		if _, _, err := LogPattern(e.Log); err != nil {
			return at("log", err)
		}
	}
	if has("counter") {
		if e.Counter.Rule == "" {
			return at("counter", fmt.Errorf("expectation counter needs rule: '/ip firewall nat [find comment~\"hairpin\"]'"))
		}
		if _, err := ParseSelector(e.Counter.Rule); err != nil {
			return at("counter.rule", err)
		}
		if e.Counter.Packets == "" && e.Counter.Bytes == "" {
			return at("counter", fmt.Errorf("expectation counter needs packets or bytes, as packets: \">0\""))
		}
	}
	for _, n := range []struct {
		name string
		v    float64
	}{{"min_gbps", e.MinGbps}, {"max_gbps", e.MaxGbps}, {"min", e.Min}, {"min_cps", e.MinCPS}, {"min_inserts_per_s", e.MinInsertsPerS}} {
		if n.v < 0 {
			return at(n.name, fmt.Errorf("expectation %s is negative (%g)", n.name, n.v))
		}
	}
	if e.MaxP99 < 0 {
		return at("max_p99", fmt.Errorf("expectation max_p99 is negative (%s)", e.MaxP99))
	}
	if e.MaxEntries != nil && *e.MaxEntries < 0 {
		return at("max_entries", fmt.Errorf("expectation max_entries is negative (%d)", *e.MaxEntries))
	}
	if e.MaxFailures != nil && *e.MaxFailures < 0 {
		return at("max_failures", fmt.Errorf("expectation max_failures is negative (%d)", *e.MaxFailures))
	}
	if (e.RatioTo == "") != (e.Min == 0) {
		return at("ratio_to", fmt.Errorf("ratio_to and min go together: ratio_to names an earlier step's id, min the least ratio to it (ratio_to: direct, min: 0.8)"))
	}
	if e.Status < 0 || e.Status > 599 {
		return at("status", fmt.Errorf("expectation status %d is not an HTTP status", e.Status))
	}
	return nil
}

// portRange reads a server_saw_port expectation: a port, or a range A-B
// as RouterOS writes a rule's to-ports (to-ports=1000-1999).
func portRange(v string) (lo, hi int, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(v), "-")
	if !isRange {
		b = a
	}
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || lo < 1 || hi > 65535 || lo > hi {
		return 0, 0, fmt.Errorf("%q: want a port or a range A-B of ports 1 to 65535, A not above B (as to-ports=1000-1999)", v)
	}
	return lo, hi, nil
}

// judgeMore checks the expectations beyond the basic ones: thresholds, shares, timelines, the
// ratio to an earlier step and a rule counter. ref is the observation of the step ratio_to names.
func judgeMore(e Expect, o Observation, kind Kind) []string {
	var why []string
	if e.UPnPError != 0 && o.UPnPError != e.UPnPError {
		got := "no UPnP error"
		if o.UPnPError != 0 {
			got = fmt.Sprintf("UPnP error %d", o.UPnPError)
		}
		why = append(why, fmt.Sprintf("%s, expected UPnP error %d", got, e.UPnPError))
	}
	if e.Status != 0 && o.Status != e.Status {
		why = append(why, fmt.Sprintf("status %d, expected %d", o.Status, e.Status))
	}
	if lo, hi, err := portRange(e.ServerSawPort); e.ServerSawPort != "" && err == nil && o.Result == "ok" && (o.ServerSawPort < lo || o.ServerSawPort > hi) {
		why = append(why, fmt.Sprintf("server saw port %d, expected %s", o.ServerSawPort, e.ServerSawPort))
	}
	gbps := o.BitsPerSecond / 1e9
	if e.MinGbps > 0 && gbps < e.MinGbps {
		why = append(why, fmt.Sprintf("%.3f Gbit/s, expected at least %g", gbps, e.MinGbps))
	}
	if e.MaxGbps > 0 && gbps > e.MaxGbps {
		why = append(why, fmt.Sprintf("%.3f Gbit/s, expected at most %g", gbps, e.MaxGbps))
	}
	if e.MinCPS > 0 && o.PerSecond < e.MinCPS {
		why = append(why, fmt.Sprintf("%.0f connections/s, expected at least %g", o.PerSecond, e.MinCPS))
	}
	if e.MaxP99 > 0 && o.P99 > float64(e.MaxP99)/float64(time.Millisecond) {
		why = append(why, fmt.Sprintf("p99 %.2fms, expected at most %s", o.P99, e.MaxP99))
	}
	if e.MaxFailures != nil && o.Failures > *e.MaxFailures {
		why = append(why, fmt.Sprintf("%d failures %v, expected at most %d", o.Failures, o.FailuresBy, *e.MaxFailures))
	}
	if e.MinInsertsPerS > 0 && o.InsertsPerS < e.MinInsertsPerS {
		why = append(why, fmt.Sprintf("%.0f conntrack inserts/s, expected at least %g", o.InsertsPerS, e.MinInsertsPerS))
	}
	if e.MaxEntries != nil && o.PeakEntries > *e.MaxEntries {
		why = append(why, fmt.Sprintf("the table held %d entries, expected at most %d", o.PeakEntries, *e.MaxEntries))
	}
	if e.Full != nil && o.Full != *e.Full {
		if o.Full {
			why = append(why, fmt.Sprintf("the table reached its max-entries %d, expected it not to", o.MaxEntries))
		} else {
			why = append(why, fmt.Sprintf("the table peaked at %d entries of max-entries %d, expected it full", o.PeakEntries, o.MaxEntries))
		}
	}
	for _, c := range []struct {
		name string
		want Compare
		got  float64
	}{{"entries", e.Entries, float64(o.Count)}, {"entries_per_flow", e.EntriesPerFlow, o.EntriesPerFlow}, {"peak_entries", e.PeakEntries, float64(o.PeakEntries)},
		{"new_share", e.NewShare, o.NewShare}, {"established_share", e.EstablishedShare, o.EstablishedShare}, {"share", e.Share, o.Share}, {"loss", e.Loss, o.Loss}, {"rtt_ms", e.RTTms, o.RTTAvg}, {"first_reply_s", e.FirstReply, o.FirstReply},
		{"stopped_s", e.Stopped, o.Stopped}, {"resumed_s", e.Resumed, o.Resumed}} {
		if c.want != "" && !c.want.Holds(c.got) {
			why = append(why, fmt.Sprintf("%s %g, expected %s", c.name, c.got, strings.TrimSpace(string(c.want))))
		}
	}
	if e.Log != "" {
		neg, re, _ := LogPattern(e.Log) // checked at load
		switch {
		case o.Log == nil:
			why = append(why, "the router's log was not read")
		case neg && len(o.Log.Matched) > 0:
			why = append(why, fmt.Sprintf("the router's log holds %q, expected no entry matching %q", o.Log.Matched[0], re))
		case !neg && len(o.Log.Matched) == 0:
			why = append(why, fmt.Sprintf("none of the router's %d log entries matches %q", o.Log.Entries, re))
		}
	}
	if e.Counter.Rule != "" {
		c := o.Counter
		switch {
		case c == nil:
			why = append(why, "the rule counter was not read")
		case c.Matched == 0:
			why = append(why, fmt.Sprintf("no rule matches %s", e.Counter.Rule))
		default:
			if e.Counter.Packets != "" && !e.Counter.Packets.Holds(float64(c.Packets)) {
				why = append(why, fmt.Sprintf("%s counted %d packets, expected %s", e.Counter.Rule, c.Packets, strings.TrimSpace(string(e.Counter.Packets))))
			}
			if e.Counter.Bytes != "" && !e.Counter.Bytes.Holds(float64(c.Bytes)) {
				why = append(why, fmt.Sprintf("%s counted %d bytes, expected %s", e.Counter.Rule, c.Bytes, strings.TrimSpace(string(e.Counter.Bytes))))
			}
		}
	}
	return why
}

// resultHolds compares an observed result with an expected one, which may be "!x".
func resultHolds(want, got string) bool {
	if not, ok := strings.CutPrefix(want, "!"); ok {
		return got != not
	}
	return got == want
}

// ratioWhy says why a step's ratio_to bound did not hold against the
// reference step's observation, or "" when it held. short is set when
// both measured and the ratio was below the bound.
func ratioWhy(e Expect, o Observation, ref *Observation, kind Kind) (why string, short bool) {
	if e.RatioTo == "" {
		return "", false
	}
	if ref == nil {
		return fmt.Sprintf("no earlier step has id %q to compare with", e.RatioTo), false
	}
	num, den := o.BitsPerSecond, ref.BitsPerSecond
	if kind == CPS {
		num, den = o.PerSecond, ref.PerSecond
	}
	if den <= 0 {
		return fmt.Sprintf("step %q measured nothing to compare with", e.RatioTo), false
	}
	if r := num / den; r < e.Min {
		return fmt.Sprintf("%.2f of %s, expected at least %g", r, e.RatioTo, e.Min), true
	}
	return "", false
}
