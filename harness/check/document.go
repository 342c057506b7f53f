package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/report"
)

// Schema names the format of check.json.
const Schema = "chrlab.check/v1"

// Document is one check as data, organised per forward: what check.md,
// check.html and check.json show.
type Document struct {
	Schema         string       `json:"schema"`
	Export         string       `json:"export"`
	Model          string       `json:"model,omitempty"`
	Version        string       `json:"routeros_version,omitempty"`
	Router         string       `json:"router,omitempty"` // the lab's backend; empty offline
	Run            string       `json:"run,omitempty"`    // the results folder's name
	Proven         bool         `json:"proven"`           // false: from the export's rules alone (--offline)
	Verdict        string       `json:"verdict"`          // ok, broken, unfixable, fix-fails
	Summary        string       `json:"summary"`
	WANs           []string     `json:"wans"`
	Segments       []string     `json:"segments"`
	Forwards       []ForwardDoc `json:"forwards"`
	Services       []PathDoc    `json:"services,omitempty"`
	Warnings       []string     `json:"warnings,omitempty"`
	RouterFindings []FindingDoc `json:"router_findings,omitempty"` // findings on no one forward
	Fix            FixDoc       `json:"fix"`
	Aside          []AsideDoc   `json:"set_aside,omitempty"`
	Notes          []string     `json:"notes,omitempty"`
	// Logged is what the export's log=yes rules wrote while the lab's
	// probes ran, per rule (logged.go).
	Logged []LogDoc `json:"logged,omitempty"`
}

// ForwardDoc is one port forward with its paths, diagnosis and fix.
type ForwardDoc struct {
	Number   int          `json:"number"` // 1-based, as the terminal table counts
	Line     int          `json:"line"`
	Rule     string       `json:"rule"`
	Comment  string       `json:"comment,omitempty"`
	Protocol string       `json:"protocol"`
	DstPort  int          `json:"dst_port"`
	ToAddr   string       `json:"to_address"`
	ToPort   int          `json:"to_port"`
	Paths    []PathDoc    `json:"paths"`
	Findings []FindingDoc `json:"findings,omitempty"`
	Fix      []string     `json:"fix,omitempty"` // the lines of the fix that answer this forward
	// Unexplained is set when the lab broke paths of the forward and no
	// finding names a cause: it is no "no problem found" (forum38 D2).
	Unexplained string `json:"unexplained,omitempty"`
}

// NoFinding is a forward's diagnosis when it has no finding: "no problem
// found", unless the lab broke paths of it (Unexplained).
func (f ForwardDoc) NoFinding() string {
	if f.Unexplained != "" {
		return f.Unexplained
	}
	return "no problem found"
}

// unexplainedWays are the LAN ways out (lan-reach) the lab broke as the
// export has it while the rules name no cause at all; a probe the lab
// could not carry out (error) took no path.
func unexplainedWays(p *Plan, found []Finding, outs []Outcome) []Outcome {
	if Problems(found) > 0 {
		return nil
	}
	var out []Outcome
	for _, o := range failedWays(outs) {
		// A way out whose cause the export names (a hotspot, a
		// warning) is worded apart (explainedWays).
		if why, _ := p.explainedWay(o); why == "" {
			out = append(out, o)
		}
	}
	return out
}

// unexplainedWaysText says which LANs' ways out failed with no cause
// named.
func unexplainedWaysText(ways []Outcome) string {
	var what []string
	for _, o := range ways {
		what = append(what, fmt.Sprintf("from %s: %s", strings.TrimPrefix(o.Probe.Path, lanReachPrefix), wayResult(o)))
	}
	return fmt.Sprintf("broken, cause not identified: the way out to the internet failed in the lab for %d LAN(s) (%s) and the export's rules show no cause the check knows", len(ways), strings.Join(what, "; "))
}

// unexplainedText says a forward's paths failed in the lab with no
// finding to name the cause.
func unexplainedText(n int) string {
	return fmt.Sprintf("broken, cause not identified: %d path(s) failed in the lab (✗ above) and the export's rules show no cause the check knows", n)
}

// PathDoc is one path to a forward (or to one of the router's services)
// and what each phase saw.
type PathDoc struct {
	Path       string `json:"path"` // internet, hairpin:<segment>, service:<name>@<where>
	What       string `json:"what"` // the path in words
	From       string `json:"from"`
	To         string `json:"to"`
	Before     *Seen  `json:"before,omitempty"`
	Renumbered *Seen  `json:"renumbered,omitempty"`
	Fixed      *Seen  `json:"fixed,omitempty"`
}

// Seen is what a probe saw in one phase; offline, what the rules predict.
type Seen struct {
	Result    string `json:"result"` // the probe's result; offline: works, fails, unsure
	OK        bool   `json:"ok"`
	ServerSaw string `json:"server_saw,omitempty"`
	By        string `json:"answered_by,omitempty"`
	Text      string `json:"text"` // in a few words, as the terminal table says it
}

// FindingDoc is one cause, with the rule behind it.
type FindingDoc struct {
	Path   string `json:"path"`
	Cause  string `json:"cause"`
	Detail string `json:"detail,omitempty"`
	Line   int    `json:"line,omitempty"`
	Rule   string `json:"rule,omitempty"`
}

// FixDoc is the whole fix, in paste order.
type FixDoc struct {
	Method string    `json:"method,omitempty"`
	Lines  []FixLine `json:"lines,omitempty"`
	None   string    `json:"none,omitempty"` // why no rule on this router can fix it
}

// FixLine is one line to paste and what it answers.
type FixLine struct {
	Line     string `json:"line"`
	Why      string `json:"why"`
	Forwards []int  `json:"forwards,omitempty"` // the numbers of the forwards it answers
	// LeftOut: the lab left the line out of its fix step (its router
	// refuses it, the notes say why), so the lab did not try it.
	LeftOut bool `json:"left_out_of_lab,omitempty"`
}

// AsideDoc is a line of the export the lab left out, with the reason.
type AsideDoc struct {
	Line   int    `json:"line"`
	Menu   string `json:"menu"`
	Reason string `json:"reason"`
}

// Verdict words the outcome of a run the way the terminal's last line
// does, with a word for the data and the exit code. Paths through the
// public address of a WAN behind carrier-grade NAT or an ISP router stay
// broken whatever the router does: they make the verdict unfixable, and
// the fix is judged by the other paths alone.
func Verdict(found []Finding, fx Fix, outs []Outcome) (word, text string, code int) {
	return verdictOf(nil, -1, found, fx, outs)
}

// LabVerdict is Verdict for a run of this plan: it knows how many forwards
// the export has, so that none is said to work that the lab did not probe.
func (p *Plan) LabVerdict(found []Finding, fx Fix, outs []Outcome) (word, text string, code int) {
	// The findings the lab cannot test are worded apart below, so that
	// the verdict does not also count them among those no lab host was
	// placed to probe.
	untestable := p.untestableSrcNAT(found, outs)
	rest := slices.DeleteFunc(slices.Clone(found), func(f Finding) bool { return untestable[f.Path] })
	word, text, code = verdictOf(p, len(p.Forwards), rest, fx, outs)
	if n := len(untestable); n > 0 {
		// A host's own src-nat to a private WAN address: the lab's ISP
		// router translates again, so no probe can show it (realcheck18
		// D1); the finding is the export's rules', never "not confirmed".
		const why = "the internet sees the public address of the ISP router or carrier-grade NAT in front, never the WAN address that is not public"
		if code == 0 {
			word, code = "broken", 1
			text = fmt.Sprintf("%d host(s) with a src-nat of their own leave with another address by the export's rules, which the lab cannot test (%s); nothing the lab probed failed", n, why)
		} else {
			text += fmt.Sprintf("; %d src-nat finding(s) not tested in the lab (%s)", n, why)
		}
	}
	if code == 0 {
		// No problem found is not said beside probes of the router from
		// the LAN that nobody answered while nothing the diagnosis reads
		// says why.
		if down := p.unexplainedLAN(found, outs); len(down) > 0 {
			text = fmt.Sprintf("%d probe(s) of the router from the LAN got no answer (%s), and the diagnosis names no cause (see the table); otherwise %s", len(down), resultsOf(down), text)
		}
		text = p.unprobedLANs(text)
	}
	return word, text, code
}

// ResultVerdict is LabVerdict for a lab run, with what the lab router
// stored without enforcing named beside a verdict that is not ok (forum32
// D5, as chrlab lab's FAIL says it): a forward that failed because rosemu
// runs no web proxy must not read as the export's fault alone. The code
// is LabVerdict's.
func (p *Plan) ResultVerdict(res *Result) (word, text string, code int) {
	word, text, code = p.LabVerdict(res.Found, res.Fix, res.Outcomes)
	text = gapWorded(text, res.Outcomes)
	if code != 0 && res.Report != nil && !fixProven(res.Fix, res.Outcomes) {
		text += report.NotEnforcedClause(res.Report.NotEnforced, "this export uses")
	}
	return word, text, code
}

// fixProven says whether the lab proved what failed: the fix ran and,
// with it, no path the lab probed fails any more (no forward broken but
// those no router fix can open, no source hidden, no probe of the router
// from the LAN unanswered, no service taken). A setting rosemu stores
// without enforcing cannot then explain the failure, which the fix
// answered on the same router: the clause would offer a doubt the lab
// removed (realcheck21 D7 a: a bridge-port address, fixed and proven,
// read "IGMP proxy … UPnP …, which may explain it").
func fixProven(fx Fix, outs []Outcome) bool {
	if len(fx.Lines) == 0 || len(fx.Untried) >= len(fx.Lines) {
		return false
	}
	if !slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Phase == "fixed" }) {
		return false
	}
	if slices.ContainsFunc(Broken(outs, "fixed"), func(o Outcome) bool { return !o.Probe.NoPublic }) {
		return false
	}
	return len(hidden(outs, "fixed")) == 0 && len(unanswered(outs, "fixed")) == 0 && !hijacked(outs, "fixed") && len(fixBreaksFailover(outs)) == 0
}

// verdictOf is Verdict with the number of the export's forwards, -1 when
// only the findings and probes tell.
func verdictOf(p *Plan, forwards int, found []Finding, fx Fix, outs []Outcome) (word, text string, code int) {
	word, text, code = verdict(forwards, found, fx, outs)
	if n := len(fixBreaksFailover(outs)); n > 0 {
		// Said whatever else the fix repairs: pasted, it cuts a LAN
		// off the backup line (failoverfix.go).
		word, code = "fix-fails", 1
		text += fmt.Sprintf("; but the fix breaks %d failover path(s) that work as the export has it (see the warnings)", n)
	}
	if n := len(fx.Untried); n > 0 && n < len(fx.Lines) && code != 0 {
		// Part of the fix ran in the lab: what it shows is without the
		// rest.
		text += fmt.Sprintf("; %d of the fix's %d line(s) not tried in the lab (its router refuses them, see the notes)", n, len(fx.Lines))
	}
	if ways := unexplainedWays(p, found, outs); code == 0 && len(ways) > 0 {
		// A LAN's way out that the lab broke with no finding to name a
		// cause is no all-clear: a public DMZ's hosts, now probed
		// (forum47 D2), had no finding of the rules to fail with, and
		// their ✗ stood under "no problem found".
		word, code = "broken", 1
		text = unexplainedWaysText(ways)
	}
	// The ways out the export explains (waysexplained.go): its fault is
	// broken with the cause named, the lab's own shortcoming (a hotspot's
	// host not logged in) is said and not counted.
	broken, apart := p.explainedWays(outs)
	switch {
	case len(broken) > 0 && code == 0:
		word, code, text = "broken", 1, strings.Join(broken, "; ")
	case len(broken) > 0:
		text += "; " + strings.Join(broken, "; ")
	}
	if len(apart) > 0 {
		text += "; not judged in the lab: " + strings.Join(apart, "; ")
	}
	if noUpstreamDNS(outs) {
		// Names that do not resolve at all are the router's DNS, not
		// its NAT: said beside the verdict, not counted in it.
		if code == 0 {
			return "broken", "every forward works by address, but names do not resolve: the router's DNS has no upstream server (see by name)", 1
		}
		text += "; names do not resolve: the router's DNS has no upstream server (see by name)"
	}
	return word, text, code
}

// noUpstreamDNS reports whether a path by name failed with servfail: the
// router's resolver had nobody to ask.
func noUpstreamDNS(outs []Outcome) bool {
	return slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Phase == "before" && unresolved(o) })
}

// unprobedPaths are the paths of the router's own findings (Forward < 0,
// with a Cause) that no probe of the lab answered, in the findings' order.
// A finding stands unless a probe of its path ran, or a probe that shows
// it under another path (probedElsewhere). Only some paths were counted
// before (a host's src-nat, the LAN's way out or its DNS, DHCP, the VPN
// servers): any other finding the lab has no probe for (a routing table
// that leaves the FIB, a VLAN on a bridge port, a recursive route's
// scope) was "not confirmed", exit 0, by a lab that never tried it
// (chkv53).
func unprobedPaths(found []Finding, outs []Outcome) []string {
	var paths []string
	for _, f := range found {
		// A note (no Cause) is no finding to prove: a segment that
		// does not ask the router's broken resolver (realcheck19 D7).
		if f.Forward >= 0 || f.Cause == "" || slices.Contains(paths, f.Path) || probedElsewhere(f, outs) {
			continue
		}
		// A probe of the path that ended in error (no address to send
		// from or to) took no packet down it: it answers nothing, as in
		// probedElsewhere.
		if !slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Path == f.Path && o.Result != "error" }) {
			paths = append(paths, f.Path)
		}
	}
	return paths
}

// unresolved reports whether a path by name failed for want of any DNS
// answer (servfail), not because of the router's NAT.
func unresolved(o Outcome) bool {
	return strings.HasPrefix(o.Probe.Path, "byname:") && o.Result == "servfail"
}

func verdict(forwards int, found []Finding, fx Fix, outs []Outcome) (word, text string, code int) {
	// After a renumbering is as the export has it too: a forward that
	// names the old address breaks there. A name the router's DNS cannot
	// resolve at all (servfail) is counted apart (Verdict).
	before := slices.DeleteFunc(Broken(outs, "before"), unresolved)
	after := slices.DeleteFunc(Broken(outs, "fixed"), unresolved)
	seen := map[string]bool{}
	for _, o := range before {
		seen[fmt.Sprint(o.Probe.Forward, o.Probe.Path)] = true
	}
	for _, o := range Broken(outs, "renumbered") {
		if k := fmt.Sprint(o.Probe.Forward, o.Probe.Path); !seen[k] {
			seen[k] = true
			before = append(before, o)
		}
	}
	// A path from the internet through a private WAN to a forward the
	// rules do not call unreachable (an inner router's public address,
	// which the router in front may route here: no NoPublicAddress
	// finding) meets the lab's own ISP router, which routes nothing
	// behind a private WAN: not judged, never counted broken (the
	// diagnosis said so, the verdict counted it, "1 path(s) broken and no
	// fix on this router").
	innerPaths := 0
	before = slices.DeleteFunc(before, func(o Outcome) bool {
		if o.Probe.NoPublic && !slices.ContainsFunc(found, func(f Finding) bool { return f.Forward == o.Probe.Forward && f.Cause == NoPublicAddress }) {
			innerPaths++
			return true
		}
		return false
	})
	outside := 0
	for _, o := range before {
		if o.Probe.NoPublic {
			outside++
		}
	}
	var left []Outcome // broken with the fix, and the router could open them
	for _, o := range after {
		if !o.Probe.NoPublic {
			left = append(left, o)
		}
	}
	// Forwards the lab could not probe (their server is on none of the
	// LAN segments): said, never counted as working.
	var noRoute, notHeld, unprobed, behind int
	for i, f := range found {
		if f.Forward < 0 || slices.ContainsFunc(found[:i], func(g Finding) bool { return g.Forward == f.Forward }) ||
			slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Forward == f.Forward }) {
			continue
		}
		unprobed++
		if slices.ContainsFunc(found, func(g Finding) bool { return g.Forward == f.Forward && g.Cause == NoRouteToServer }) {
			noRoute++
		}
		if slices.ContainsFunc(found, func(g Finding) bool { return g.Forward == f.Forward && g.Cause == LANAddrNotHeld }) {
			notHeld++
		}
		if slices.ContainsFunc(found, func(g Finding) bool { return g.Forward == f.Forward && g.Cause == NoPublicAddress }) {
			behind++
		}
	}
	// The forwards the lab probed, and those it did not: "every forward
	// works" is said of probed forwards only, and not at all of an
	// export that forwards nothing (realcheck17 D5: three exports without
	// a forward, and one whose five forwards had no lab host, read
	// "every forward works, but ...").
	probed := map[int]bool{}
	for _, o := range outs {
		if o.Probe.Forward >= 0 {
			probed[o.Probe.Forward] = true
		}
	}
	if n := forwards - len(probed); forwards >= 0 && n > unprobed {
		unprobed = n
	}
	works := func(but string) string {
		switch {
		case len(probed) == 0 && unprobed == 0:
			return but
		case len(probed) == 0:
			return fmt.Sprintf("%s; no forward was probed (%d not probed: the lab has no host at their server)", but, unprobed)
		case unprobed > 0:
			return fmt.Sprintf("every forward the lab probed works (%d not probed: the lab has no host at their server), but %s", unprobed, but)
		}
		return "every forward works, but " + but
	}
	// Nothing of the fix ran in the lab: the lab router refuses its every
	// line (the notes say why).
	untried := len(fx.Lines) > 0 && len(fx.Untried) >= len(fx.Lines)
	const notTried = "the fix was not tried in the lab: its router refuses the fix's line(s) (see the notes)"
	// Forwards whose every path fails by design (they admit only some
	// sources): said, never counted as working.
	restricted := map[int]bool{}
	for _, o := range outs {
		if o.Probe.Forward >= 0 && o.Probe.ByDesign {
			restricted[o.Probe.Forward] = true
		}
	}
	for _, o := range outs {
		if o.Probe.Forward >= 0 && !o.Probe.ByDesign {
			delete(restricted, o.Probe.Forward)
		}
	}
	// byFix words a router finding the probes before the fix showed (what)
	// by the fix's phase: fixed says so, still (the probes still failing)
	// words a fix that fails.
	byFix := func(what string, fixedRan bool, still int, fixed, failed string) (string, string, int) {
		switch {
		case untried:
			return "broken", works(what + "; " + notTried), 1
		case len(fx.Lines) > 0 && fixedRan && still == 0:
			return "broken", works(what + fixed), 1
		case len(fx.Lines) > 0 && fixedRan:
			return "fix-fails", works(what + fmt.Sprintf(failed, still)), 1
		}
		return "broken", works(what), 1
	}
	defer func() {
		if innerPaths > 0 {
			const why = "path(s) from the internet to a public address behind the private WAN not judged: the lab's ISP router routes nothing behind a private WAN; on the router they work if the router in front routes the address here"
			// Runs last (deferred first): "every forward works from the
			// internet" is not said of a path no probe could judge.
			if code == 0 && strings.Contains(text, "every forward works") {
				text = fmt.Sprintf("no problem found in the lab for the paths it could judge; %d %s", innerPaths, why)
			} else {
				text += fmt.Sprintf("; %d %s", innerPaths, why)
			}
		}
	}()
	defer func() {
		if len(restricted) > 0 && code == 0 {
			text = fmt.Sprintf("no problem found in the lab for the forwards it could judge; %d forward(s) admit only some sources, which the lab's hosts are not: their paths fail by design and are not judged", len(restricted))
			// An allow list of names the router cannot resolve is
			// empty: such a forward admits nobody, whoever the lab's
			// hosts are.
			nobody := 0
			for fw := range restricted {
				if slices.ContainsFunc(found, func(g Finding) bool {
					return g.Forward == fw && g.Cause == NameListNoDNS && g.Sources
				}) {
					nobody++
				}
			}
			if nobody > 0 {
				word, code = "broken", 1
				text = fmt.Sprintf("%d forward(s) admit only an address list of DNS names, and the router's DNS has no upstream server: the list stays empty and they admit nobody (from the export's rules: the lab's hosts are not among their sources)", nobody)
			}
		}
		switch {
		case noRoute > 0 && code == 0:
			word, code = "broken", 1
			text = fmt.Sprintf("%d forward(s) cannot reach their server: no route leads to it but the default route through the WAN (from the export's rules: the lab has no host there); add a route to it through the router that holds it", noRoute)
		case noRoute > 0:
			text += fmt.Sprintf("; %d forward(s) cannot reach their server: no route leads to it (from the export's rules)", noRoute)
		case notHeld > 0 && code == 0:
			word, code = "broken", 1
			text = fmt.Sprintf("%d dst-nat(s) of a LAN address the router does not hold never see their traffic: the LAN's hosts ask ARP for it themselves (from the export's rules: not probed); the fix gives the router the address", notHeld)
		case behind > 0 && code == 0:
			// Where the server sits does not matter: the internet
			// reaches no address of this router, which is what the
			// offline reading says too.
			word, code = "unfixable", 1
			text = fmt.Sprintf("%d forward(s) cannot be reached from the internet: the WAN address is not public (from the export's rules: the lab has no host at their server); no fix on this router can open them", behind)
		case unprobed > 0 && code == 0:
			text = fmt.Sprintf("no problem found in the lab for the forwards it could probe; %d forward(s) to a server off the LAN segments not probed (the lab has no host there)", unprobed)
		}
	}()
	switch {
	case len(before) == 0 && len(hidden(outs, "before")) > 0:
		// Every forward connects, but the server sees the router where
		// the internet client should be: what the masquerade finding
		// predicted, confirmed by the lab.
		n := len(hidden(outs, "before"))
		hides := fmt.Sprintf("on %d path(s) from the internet the server sees the router's address instead of the client's (a source NAT hides it)", n)
		if untried {
			return "broken", works(hides + "; " + notTried), 1
		}
		if len(fx.Lines) > 0 && len(hidden(outs, "fixed")) == 0 && len(after) == 0 {
			return "broken", works(hides + "; the fix shows the client"), 1
		}
		return "fix-fails", works(hides + ", also with the fix"), 1
	case len(before) == 0 && bridgeAddrs(found) > 0 && len(unanswered(outs, "before")) > 0:
		// LAN addresses on bridge ports: the router is not there for
		// those LANs, which the probes of it from there show.
		down := unanswered(outs, "before")
		what := fmt.Sprintf("%d LAN address(es) of the router sit on a port of a bridge, which RouterOS marks invalid: %d probe(s) of the router from the LAN got no answer (%s)", bridgeAddrs(found), len(down), resultsOf(down))
		fixedRan := slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Phase == "fixed" && lanRouterProbe(o) })
		return byFix(what, fixedRan, len(unanswered(outs, "fixed")), "; with the fix (the addresses on the bridge) the router answers them", "; with the fix %d still get none")
	case len(before) == 0 && wanBridged(found) && len(wanUnaddressed(outs, "before")) > 0:
		// The WAN port in the LAN bridge (forum45 D8): the router held
		// no WAN address, which the probes from the internet met; they
		// reach it with the fix. Before, "the lab did not confirm" the
		// finding its probes had just shown.
		down := wanUnaddressed(outs, "before")
		what := fmt.Sprintf("the WAN port is a port of the LAN bridge: the router held no WAN address, and %d probe(s) of it from the internet found none to probe", len(down))
		fixedRan := slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Phase == "fixed" && strings.HasSuffix(o.Probe.Path, "@wan") })
		return byFix(what, fixedRan, len(wanUnaddressed(outs, "fixed")), "; with the fix (the port out of the bridge) the router leases its WAN address and the probes reach it", "; with the fix %d still find none")
	case len(before) == 0 && len(reachShown(found, outs, "before")) > 0:
		// The LAN's way out, its resolver, an input accept below the
		// drop (forum45 D7): the packets show what the rules read.
		// Before, the lab had no probe of the first two and each was
		// "not confirmed".
		// The fix is judged on the probes of the findings it has a line
		// for: a static WAN's resolver gets none (only the user knows
		// the ISP's servers), and its query fails with the fix too.
		shown := reachShown(found, outs, "before")
		what := fmt.Sprintf("%d probe(s) show what the rules read (%s)", len(shown), reachWords(shown))
		fixes := func(o Outcome) bool { return slices.Contains(fx.Why, string(reachCause(o))) }
		if slices.ContainsFunc(shown, func(o Outcome) bool { return !fixes(o) }) {
			what += "; the fix has no line for some of them (see the diagnosis)"
		}
		// The fix is judged only when the fixed phase carried out the
		// probe of every shown path it has a line for: one that ended in
		// error (reachShown) is no packet of that path, and "the paths it
		// answers work" would speak for a path no probe took.
		ranFixed := func(s Outcome) bool {
			return slices.ContainsFunc(outs, func(o Outcome) bool {
				return o.Probe.Phase == "fixed" && o.Probe.Path == s.Probe.Path && o.Result != "error"
			})
		}
		fixedRan := slices.ContainsFunc(shown, fixes) && !slices.ContainsFunc(shown, func(s Outcome) bool { return fixes(s) && !ranFixed(s) })
		still := slices.DeleteFunc(reachShown(found, outs, "fixed"), func(o Outcome) bool { return !fixes(o) })
		return byFix(what, fixedRan, len(still), "; with the fix the paths it answers work", "; with the fix %d still fail")
	case len(before) == 0 && !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause != "" }):
		// Notes alone (no Cause: a disabled DHCP server's pool, a
		// segment that does not ask the router) are no finding the lab
		// failed to confirm: they stand above the verdict as they are.
		if !slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Forward >= 0 }) {
			// Nothing forwarded to probe (an export of the router's own
			// services, a redirect, a routed block): no forward to speak
			// of; the notes say what the check could not probe.
			return "ok", "no problem found in the lab: the export forwards no port it could probe (the router's services were checked; notes above name what was not probed)", 0
		}
		return "ok", "no problem found: every forward works from the internet and from every LAN segment", 0
	case len(before) == 0 && !hijacked(outs, "before") && hashed(found) > 0:
		// PCC, or the ECMP of tied default routes, picks the WAN of
		// each answer by a hash of its addresses (and ports): the lab's
		// one connection a path took its own WAN, others do not (a
		// hEX's forward on WAN2 worked for 9 connections of 20).
		return "broken", fmt.Sprintf("every probed connection worked in the lab, but %d finding(s) are decided per connection by a hash (PCC, or the ECMP of tied default routes) that sends some answers out of the other WAN: one connection a path cannot show it, so the lab does not clear them", hashed(found)), 1
	case len(before) == 0 && !hijacked(outs, "before"):
		// The rules predicted trouble that the packets did not show (a
		// rule the reading cannot weigh, a copy of the forward for the
		// LAN): the lab has the last word. On what it probed only: a
		// finding whose path no probe took (no lab host at the address
		// a host's src-nat names) stands as the rules read it, not
		// proven with packets, as offline (exit 1); it was counted among
		// those "the lab did not confirm", exit 0 (realcheck18 D10).
		if paths := unprobedPaths(found, outs); len(paths) > 0 {
			return "broken", fmt.Sprintf("no probe failed, but %d finding(s) of the rules alone were not probed: the lab has no probe of their path (%s)%s%s, so they stand as the export's rules read them, not proven with packets", len(paths), strings.Join(paths, ", "), dhcpUnprobed(paths), vpnUnprobed(found)), 1
		}
		if len(probed) == 0 {
			return "ok", fmt.Sprintf("no problem found in the lab (the rules alone suggested %d finding(s), which the lab did not confirm)", len(found)), 0
		}
		return "ok", fmt.Sprintf("no problem found in the lab: every forward works from the internet and from every LAN segment (the rules alone suggested %d finding(s), which the lab did not confirm)", len(found)), 0
	case len(before) == 0:
		if untried {
			return "broken", works(takenWhat(outs) + "; " + notTried), 1
		}
		if len(fx.Lines) > 0 && !hijacked(outs, "fixed") {
			return "broken", works(takenWhat(outs) + "; the fix gives it back"), 1
		}
		return "unfixable", works(takenWhat(outs)), 1
	case untried:
		return "broken", fmt.Sprintf("%d path(s) broken as the export has it; %s", len(before), notTried), 1
	case len(fx.Lines) > 0 && len(left) > 0:
		text := fmt.Sprintf("%d path(s) broken; with the fix %d still are", len(before), len(after))
		if fw := shadowed(left); len(fw) > 0 {
			// Said apart: no fix of one rule chooses between two
			// servers of one public port (realcheck19 D1). Each
			// forward is named with the rule that took its
			// connections, earlier or later in the chain as it is: a
			// forward that matches less (src-port=) loses them to a
			// later rule of the same port (realcheck20 D3).
			var who []string
			for _, t := range fw {
				switch {
				case t.by == 0 || t.line == 0:
					who = append(who, fmt.Sprintf("forward %d", t.forward))
				case t.by < t.line:
					who = append(who, fmt.Sprintf("forward %d (line %d) loses them to the earlier line %d", t.forward, t.line, t.by))
				default:
					who = append(who, fmt.Sprintf("forward %d (line %d) loses them to the later line %d, which matches them where line %d does not", t.forward, t.line, t.by, t.line))
				}
			}
			text += fmt.Sprintf(" (another dst-nat of the same port takes their connections, with the fix too: %s; give each server a port of its own, or remove the rule you no longer need)", strings.Join(who, ", "))
		}
		return "fix-fails", text, 1
	case outside > 0 && fx.None != "" && len(fx.Lines) > 0 && len(before) > outside:
		return "unfixable", fmt.Sprintf("%d path(s) from the internet broken and no fix on this router can open them (no public address); the fix makes the other %d broken path(s) work", outside, len(before)-outside), 1
	case outside > 0 && fx.None != "" && len(before) == outside:
		return "unfixable", fmt.Sprintf("%d path(s) from the internet broken and no fix on this router can open them (no public address); every other path works", outside), 1
	case len(fx.Lines) > 0:
		return "broken", fmt.Sprintf("%d path(s) broken as the export has it; the fix makes every forward work in the lab", len(before)), 1
	default:
		return "unfixable", fmt.Sprintf("%d path(s) broken and no fix on this router", len(before)), 1
	}
}

// Document gathers a lab run's results per forward.
func (p *Plan) Document(res *Result, router string) *Document {
	d := p.skeleton(res.Found, res.Fix)
	d.Proven, d.Router = true, router
	if res.Dir != "" {
		d.Run = lastElem(res.Dir)
	}
	d.Verdict, d.Summary, _ = p.ResultVerdict(res)
	d.Warnings = p.LabWarnings(res)
	d.Summary = Warned(d.Summary, len(d.Warnings))
	d.Notes = p.LabNotes(res)
	if res.Report != nil && res.Report.Dir != "" {
		d.Logged = firewallLogged(res.Report.Dir)
	}
	// A path is found again by its key in each phase; slices grow, so it
	// is kept as an index, not a pointer.
	type at struct{ fw, i int }
	paths := map[string]at{}
	for _, o := range res.Outcomes {
		key := fmt.Sprint(o.Probe.Forward, o.Probe.Path, o.Probe.From, o.Probe.To)
		k, ok := paths[key]
		if !ok {
			// A by-name path's target is the name and port, with the
			// resolver asked, as the terminal table shows it.
			pd := PathDoc{Path: o.Probe.Path, What: p.pathWords(res.Case, o.Probe), From: o.Probe.From, To: o.Probe.target()}
			if o.Probe.Forward >= 0 && o.Probe.Forward < len(d.Forwards) {
				k = at{o.Probe.Forward, len(d.Forwards[o.Probe.Forward].Paths)}
				d.Forwards[o.Probe.Forward].Paths = append(d.Forwards[o.Probe.Forward].Paths, pd)
			} else {
				k = at{-1, len(d.Services)}
				d.Services = append(d.Services, pd)
			}
			paths[key] = k
		}
		var pd *PathDoc
		if k.fw >= 0 {
			pd = &d.Forwards[k.fw].Paths[k.i]
		} else {
			pd = &d.Services[k.i]
		}
		s := &Seen{Result: o.Result, OK: o.Result == "ok" && !o.Hidden, ServerSaw: o.Saw, By: o.By, Text: p.describe(res.Case, o)}
		if o.Probe.Forward < 0 {
			// A service's good outcome depends on where it is asked from.
			s.OK = !serviceBad(o)
		}
		switch o.Probe.Phase {
		case "before":
			pd.Before = s
		case "renumbered":
			pd.Renumbered = s
		case "fixed":
			pd.Fixed = s
		}
	}
	// A forward the lab broke with no finding on it is not "no problem
	// found" in check.md, check.html or check.json (forum38 D2: both
	// paths ✗ and "Diagnosis: no problem found." under them).
	for i := range d.Forwards {
		// A finding without a cause (what the rules alone cannot judge)
		// explains nothing: the forward is still unexplained.
		if slices.ContainsFunc(d.Forwards[i].Findings, func(f FindingDoc) bool { return f.Cause != "" }) {
			continue
		}
		if n := brokenPaths(res.Outcomes, i); n > 0 {
			d.Forwards[i].Unexplained = unexplainedText(n)
		}
	}
	return d
}

// brokenPaths counts the paths of forward fw that failed as the export
// has it (before or after a renumbering), by-design failures left out.
func brokenPaths(outs []Outcome, fw int) int {
	seen := map[string]bool{}
	for _, phase := range []string{"before", "renumbered"} {
		for _, o := range Broken(outs, phase) {
			// A path through a WAN with no public address the lab's own
			// ISP router closes (NoPublic): it says nothing of the
			// export when the forward names a public address routed
			// here (an ISP's inner router, rc32 C3), which the lab does
			// not route.
			if o.Probe.Forward == fw && !o.Probe.NoPublic {
				seen[o.Probe.Path+" "+o.Probe.From+" "+o.Probe.To] = true
			}
		}
	}
	return len(seen)
}

// serviceBad says whether a probe of the router's own service found it
// open to the internet or hijacked by a forward.
func serviceBad(o Outcome) bool {
	if strings.HasPrefix(o.Probe.Path, lanInternetPrefix) {
		return lanInternetWrong(o)
	}
	if strings.HasPrefix(o.Probe.Path, failoverPrefix) {
		return failoverWrong(o)
	}
	if strings.HasPrefix(o.Probe.Path, silentPrefix) || strings.HasPrefix(o.Probe.Path, failbackPrefix) {
		return silentWrong(o) || failbackWrong(o)
	}
	if strings.HasPrefix(o.Probe.Path, lanDNSPrefix) {
		return !dnsAnswered(o)
	}
	where := o.Probe.Path[strings.LastIndex(o.Probe.Path, "@")+1:]
	if where == "wan" && o.Probe.Wanted {
		return o.Result != "open"
	}
	if where == "wan" {
		return o.Result == "open" || o.Probe.Kind == "dns" && dnsAnswered(o)
	}
	return o.Probe.Kind == "http" && o.Result == "ok" && o.By != "" && o.By != "router"
}

// hashed counts the findings a hash decides per connection: PCC that
// classifies the answers, answers by the ECMP of tied default routes.
func hashed(found []Finding) int {
	n := 0
	for _, f := range found {
		if f.Cause == PCCAnswers || f.Cause == RepliesOtherWAN && f.Hash {
			n++
		}
	}
	return n
}

// OfflineDocument is the diagnosis from the export's rules alone: each
// path carries what the rules predict, and nothing is proven with packets.
func (p *Plan) OfflineDocument() *Document {
	found, exp := p.Diagnose()
	found, gaps := p.SplitHairpinGaps(found)
	fx := p.Propose(found)
	p.WarnFailoverGaps()
	d := p.skeleton(found, fx)
	d.Warnings = p.OfflineWarnings(gaps)
	n := Problems(found)
	switch {
	case n == 0 && len(found) > 0:
		d.Verdict, d.Summary = "ok", fmt.Sprintf("no problem found in the export's rules; %d note(s) on what the rules alone cannot judge", len(found))
	case n == 0:
		d.Verdict, d.Summary = "ok", "no problem found in the export's rules"
	case fx.None != "":
		d.Verdict, d.Summary = "unfixable", fmt.Sprintf("%d problem(s) found in the export's rules, and no fix on this router", n)
	case len(fx.Lines) == 0:
		// The findings propose no line (a block only the user can judge,
		// "no fix proposed"): there is no fix below to speak of (chk57
		// D10, rc27's many-fwds export).
		d.Verdict, d.Summary = "broken", fmt.Sprintf("%d problem(s) found in the export's rules; no fix proposed (the diagnosis says why)", n)
	default:
		d.Verdict, d.Summary = "broken", fmt.Sprintf("%d problem(s) found in the export's rules; the fix below is not yet proven", n)
	}
	if n == 0 {
		d.Summary = Warned(p.unprobedLANs(d.Summary), len(d.Warnings))
	}
	// A finding for all paths of a forward that no path escapes (the
	// LAN address on a bridge port routes nothing to or from the LAN, nor
	// does a VLAN the bridge is no tagged member of; an empty
	// dst-address-list never matches) fails each of them, whatever
	// the rules on the way would let through.
	dead := map[int]bool{}
	for _, f := range found {
		if f.Path == "all" && (f.Cause == AddressOnBridgePort || f.Cause == VLANNotOnBridge || f.Cause == VLANNoPort || f.Cause == EmptyList) {
			dead[f.Forward] = true
		}
	}
	for _, e := range exp {
		if e.Forward < 0 || e.Forward >= len(d.Forwards) {
			continue
		}
		s := &Seen{Result: "fails", Text: "✗ fails (predicted)"}
		switch {
		case dead[e.Forward]:
		case e.Works && !e.Might && e.Path == "internet" && e.From == "peer" && e.ServerSees == "router":
			// As the lab judges it (MarkHidden): the connection opens,
			// but a source NAT hides the internet client from the server.
			s.Result, s.Text = "works", "✗ connects (predicted), but the server sees the router, not the internet client"
		case e.Works && e.Might && e.Hash:
			s.Result, s.Text = "unsure", "? works or fails by the connection's addresses: the hash of the main table's ECMP default route picks the WAN the answers leave by (the server sees the "+e.ServerSees+" when it works)"
		case e.Works && e.Might:
			s.Result, s.Text = "unsure", "? works by the rules read (the server sees the "+e.ServerSees+"), but a rule the diagnosis does not model may decide"
		case e.Works:
			s.Result, s.OK, s.Text = "works", true, "✓ works (predicted), the server sees the "+e.ServerSees
		}
		pr := Probe{Forward: e.Forward, Path: e.Path, From: e.From, Name: e.Name}
		fw := p.Forwards[e.Forward]
		to := fmt.Sprintf("public address:%d", fw.DstPort)
		if e.Name != "" {
			to = fmt.Sprintf("%s:%d (the router's static DNS: %s)", e.Name, fw.DstPort, fw.ToAddr)
			if fw.Protocol == "udp" || fw.Protocol == "17" {
				pr.Connect = "udp"
			}
		}
		d.Forwards[e.Forward].Paths = append(d.Forwards[e.Forward].Paths,
			PathDoc{Path: e.Path, What: p.pathWords(nil, pr), From: e.From, To: to, Before: s})
	}
	return d
}

// skeleton fills what both kinds of document share: the router, its
// forwards with their findings and fix lines, the whole fix, what was set
// aside.
func (p *Plan) skeleton(found []Finding, fx Fix) *Document {
	d := &Document{Schema: Schema, Export: p.File, WANs: []string{}, Segments: []string{}, Forwards: []ForwardDoc{}}
	if p.export != nil {
		d.Model, d.Version = p.export.Model, p.export.Version
	}
	for _, w := range p.WANs {
		a := ""
		if w.Address.IsValid() {
			a = " " + w.Address.String()
		}
		if w.Peer.IsValid() {
			a += " peer " + w.Peer.String()
		}
		if w.VLAN > 0 {
			a += fmt.Sprintf(" in VLAN %d", w.VLAN)
		}
		d.WANs = append(d.WANs, fmt.Sprintf("%s on %s, %s%s (%s)", w.Interface, w.Port, w.Kind, a, w.Why))
	}
	for _, s := range p.Segments {
		d.Segments = append(d.Segments, fmt.Sprintf("%s %s (%s)", s.Interface, s.Prefix, s.hostPlace()))
	}
	for i, f := range p.Forwards {
		d.Forwards = append(d.Forwards, ForwardDoc{Number: i + 1, Line: f.Line, Rule: ruleQuote(f.Text), Comment: f.Comment,
			Protocol: f.Protocol, DstPort: f.DstPort, ToAddr: f.ToAddr.String(), ToPort: f.ToPort})
	}
	for _, f := range found {
		fd := FindingDoc{Path: f.Path, Cause: string(f.Cause), Detail: f.Detail, Line: f.Line, Rule: ruleQuote(f.Rule)}
		if f.Forward >= 0 && f.Forward < len(d.Forwards) {
			d.Forwards[f.Forward].Findings = append(d.Forwards[f.Forward].Findings, fd)
		} else {
			d.RouterFindings = append(d.RouterFindings, fd)
		}
	}
	d.Fix = FixDoc{Method: fx.Method, None: fx.None}
	for i, l := range fx.Lines {
		fl := FixLine{Line: l, LeftOut: slices.Contains(fx.Untried, i)}
		if i < len(fx.Why) {
			fl.Why = fx.Why[i]
		}
		if i < len(fx.For) {
			for _, fw := range fx.For[i] {
				fl.Forwards = append(fl.Forwards, fw+1)
				if fw < len(d.Forwards) {
					d.Forwards[fw].Fix = append(d.Forwards[fw].Fix, l)
				}
			}
		}
		d.Fix.Lines = append(d.Fix.Lines, fl)
	}
	for _, a := range p.Aside {
		d.Aside = append(d.Aside, AsideDoc{Line: a.Line, Menu: a.Menu, Reason: a.Reason})
	}
	d.Notes = p.Notes
	return d
}

// pathWords says a path in words: where from, by address.
func (p *Plan) pathWords(c *Case, pr Probe) string {
	switch {
	case pr.Path == "internet":
		return fmt.Sprintf("from the internet (the peer, %s) to the public address", p.PeerAddr())
	case strings.HasPrefix(pr.Path, "hairpin:"):
		seg := strings.TrimPrefix(pr.Path, "hairpin:")
		return fmt.Sprintf("from LAN %s%s to the public address", seg, p.segmentNet(seg))
	case strings.HasPrefix(pr.Path, aliasPrefix):
		al, seg, _ := p.aliasOf(pr.Path)
		return fmt.Sprintf("from LAN %s%s to the LAN alias %s of line %d (for %s)", seg, p.segmentNet(seg), al.Addr, al.Line, al.Target)
	case strings.HasPrefix(pr.Path, "byname:"):
		seg := strings.TrimPrefix(pr.Path, "byname:")
		over := "connecting over TCP"
		if pr.Connect == "udp" {
			over = "exchanging UDP datagrams"
		}
		return fmt.Sprintf("from LAN %s%s by the name %s, %s", seg, p.segmentNet(seg), pr.Name, over)
	case strings.HasPrefix(pr.Path, lanInternetPrefix):
		seg, _, _ := strings.Cut(strings.TrimPrefix(pr.Path, lanInternetPrefix), ":")
		return fmt.Sprintf("from LAN %s%s to a host on the internet (%s)", seg, p.segmentNet(seg), pr.To)
	case strings.HasPrefix(pr.Path, failoverPrefix):
		seg := strings.TrimPrefix(pr.Path, failoverPrefix)
		return fmt.Sprintf("from LAN %s%s to a host on the internet (%s) with the main WAN's cable pulled: the failover", seg, p.segmentNet(seg), pr.To)
	case strings.HasPrefix(pr.Path, silentPrefix):
		seg := strings.TrimPrefix(pr.Path, silentPrefix)
		return fmt.Sprintf("from LAN %s%s to a host on the internet (%s) with the main ISP silent behind a live link: the failover", seg, p.segmentNet(seg), pr.To)
	case strings.HasPrefix(pr.Path, failbackPrefix):
		seg := strings.TrimPrefix(pr.Path, failbackPrefix)
		return fmt.Sprintf("from LAN %s%s to a host on the internet (%s) once the main ISP answers again: back on the main line", seg, p.segmentNet(seg), pr.To)
	case strings.HasPrefix(pr.Path, lanReachPrefix):
		seg := strings.TrimPrefix(pr.Path, lanReachPrefix)
		return fmt.Sprintf("from LAN %s%s to a host on the internet (%s): the LAN's way out", seg, p.segmentNet(seg), pr.To)
	case strings.HasPrefix(pr.Path, lanResolvePrefix):
		seg := strings.TrimPrefix(pr.Path, lanResolvePrefix)
		return fmt.Sprintf("a DNS query from LAN %s%s to the router, the DNS server its DHCP hands out (%s), for a name on the internet", seg, p.segmentNet(seg), pr.To)
	case strings.HasPrefix(pr.Path, inputPrefix):
		return fmt.Sprintf("%s from the internet, which an input accept opens", strings.TrimPrefix(pr.Path, inputPrefix))
	case strings.HasPrefix(pr.Path, lanDNSPrefix):
		seg := strings.TrimPrefix(pr.Path, lanDNSPrefix)
		if pr.To != "dns:53" {
			return fmt.Sprintf("a DNS query from LAN %s%s to the router, the DNS server its DHCP hands out (%s)", seg, p.segmentNet(seg), pr.To)
		}
		return fmt.Sprintf("a DNS query from LAN %s%s to a resolver on the internet (%s)", seg, p.segmentNet(seg), pr.To)
	case strings.HasPrefix(pr.Path, "service:"):
		svc, where, _ := strings.Cut(strings.TrimPrefix(pr.Path, "service:"), "@")
		if where == "wan" {
			return fmt.Sprintf("the router's %s from the internet", svc)
		}
		net := p.segmentNet(where)
		// Segments on one bridge share its name: the subnet of the
		// address asked says which.
		if host, _, ok := strings.Cut(pr.To, ":"); ok {
			if a, err := netip.ParseAddr(host); err == nil {
				for _, s := range p.Segments {
					if s.Interface == where && s.Prefix.Addr() == a {
						net = " (" + s.Prefix.Masked().String() + ")"
					}
				}
			}
		}
		return fmt.Sprintf("the router's %s from LAN %s%s", svc, where, net)
	}
	return pr.Path
}

func (p *Plan) segmentNet(iface string) string {
	for _, s := range p.Segments {
		if s.Interface == iface {
			return " (" + s.Prefix.Masked().String() + ")"
		}
	}
	return ""
}

func lastElem(dir string) string {
	dir = strings.TrimRight(dir, "/")
	return dir[strings.LastIndex(dir, "/")+1:]
}

// JSON renders check.json: snake case keys, no HTML escapes.
func (d *Document) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("render check.json: %w", err)
	}
	return b.Bytes(), nil
}

// Write puts check.md, check.json and, for a run proven with packets,
// check.html into dir.
func (d *Document) Write(dir string) error {
	// Names and comments of the export's own bytes, as text (readable.go).
	readableAll(reflect.ValueOf(d))
	j, err := d.JSON()
	if err != nil {
		return err
	}
	files := map[string][]byte{"check.md": d.Markdown(), "check.json": j}
	if d.Proven {
		h, err := d.HTML()
		if err != nil {
			return err
		}
		files["check.html"] = h
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("write the check's report %s: %w", name, err)
		}
	}
	return nil
}

// takenWhat says which of the router's own services a forward took in the
// run: its web page from the LAN, or a service the input chain opens to
// the internet.
func takenWhat(outs []Outcome) string {
	if wrongSource(outs, "before") {
		return "a host with a src-nat of its own reaches the internet with another address, or not at all"
	}
	if lanDNSUnanswered(outs, "before") {
		return "a LAN client's DNS query goes unanswered"
	}
	if lanInternetTaken(outs, "before") {
		return "a LAN client's connection to a host on the internet fails or reaches another host"
	}
	if slices.ContainsFunc(outs, func(o Outcome) bool {
		return o.Probe.Phase == "before" && o.Probe.Wanted && o.Result != "open" && strings.Contains(o.Probe.Path, "-by-")
	}) {
		return "a dst-nat to the router's own service from the internet is dropped by the input chain"
	}
	if slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Phase == "before" && o.Probe.Wanted && o.Result != "open" }) {
		return "a forward takes a service of the router that its input chain opens to the internet"
	}
	return "a forward takes the router's own web page from the LAN"
}

// Problems counts the findings that are problems: a finding without a
// cause is a note (a forward's server behind another router, which the
// rules alone cannot judge), and a working router with one is not broken.
func Problems(found []Finding) int {
	n := 0
	for _, f := range found {
		if f.Cause != "" {
			n++
		}
	}
	return n
}
