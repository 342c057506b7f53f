package check

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A forward written for the internet alone (its dst-nat bound to the WAN
// by in-interface or a WAN list, and no hairpin rule) works from the
// internet and not from the LAN by the public address: LAN clients reach
// the server by its own address instead. check counted that as a broken
// path, "N problem(s) found", exit 1, like a forward that works for nobody
// (chk52 F1: a PPPoE camera forward, the forum's usual shape). Whether the
// LAN should use the public address is the user's choice: it is a hairpin
// gap, a warning that says so and gives the hairpin lines to paste, not a
// finding. A lab run says the same (chk54; it said broken, exit 1, where
// offline said a warning, exit 4): the gap's LAN probes are marked
// (Probe.Gap) and not counted broken, a probe that failed confirms the
// warning and one that worked clears it (labHairpinGaps), and the fixed
// phase tries the hairpin lines all the same (labCaseFix), so that the
// warning says whether they work. A forward whose rule lets LAN traffic in (no in-interface,
// dst-address-type=local, the public address) tried a hairpin method, and
// its hairpin findings stay findings; so do a forward's whose internet
// path fails too, and any other cause on its hairpin paths.

// gapCauses are the hairpin findings of a forward bound to the WAN that
// only say it was written for the internet.
var gapCauses = []Cause{NoHairpin, BoundToWAN}

// SplitHairpinGaps takes the hairpin gaps out of found: kept are the
// findings left, gaps those of the forwards written for the internet
// alone (hairpinGapForwards).
func (p *Plan) SplitHairpinGaps(found []Finding) (kept, gaps []Finding) {
	gap := p.hairpinGapForwards(found)
	for _, f := range found {
		if gap[f.Forward] && strings.HasPrefix(f.Path, "hairpin:") {
			gaps = append(gaps, f)
			continue
		}
		kept = append(kept, f)
	}
	return kept, gaps
}

// hairpinGapForwards are the forwards whose only findings are the gap
// causes on hairpin paths, whose dst-nat is bound to the WAN, and whose
// server no other forward bound elsewhere reaches (forum: the internet
// forward beside a LAN copy that misses its src-nat keeps its findings).
func (p *Plan) hairpinGapForwards(found []Finding) map[int]bool {
	out := map[int]bool{}
	if p.export == nil {
		return out
	}
	inc, exc := listDefs(p.export, p.keeper(p.export))
	bound := func(fw Forward) bool {
		if fw.cmd == nil || fw.jump != nil || fw.Sources != "" {
			return false
		}
		if v := fw.cmd.Value("in-interface"); v != "" && !strings.HasPrefix(v, "!") {
			return slices.ContainsFunc(p.WANs, func(w WAN) bool { return w.Interface == v })
		}
		if v := fw.cmd.Value("in-interface-list"); v != "" && !strings.HasPrefix(v, "!") {
			return roleList(inc, exc, v, "wan")
		}
		return false
	}
	for i, fw := range p.Forwards {
		if !bound(fw) {
			continue
		}
		hairpin, other := false, false
		for _, f := range found {
			if f.Forward != i || f.Cause == "" {
				continue
			}
			if strings.HasPrefix(f.Path, "hairpin:") && slices.Contains(gapCauses, f.Cause) {
				hairpin = true
			} else {
				other = true
			}
		}
		if !hairpin || other {
			continue
		}
		if slices.ContainsFunc(p.Forwards, func(o Forward) bool { return o.ToAddr == fw.ToAddr && o.ToPort == fw.ToPort && !bound(o) }) {
			continue
		}
		out[i] = true
	}
	return out
}

// HairpinGapWarnings words the gaps, a warning per forward, with the
// hairpin lines that close them (hairpinGapTexts).
func (p *Plan) HairpinGapWarnings(gaps []Finding) []string {
	texts, order := p.hairpinGapTexts(gaps)
	var out []string
	for _, i := range order {
		out = append(out, texts[i])
	}
	return out
}

// hairpinGapTexts words each forward's gap (texts, by forward, in order).
// The hairpin lines of one gap close it in its own warning. Those of
// several are given once, as one step in the last gap's warning, which
// the others point to (a step of its own would count as a warning): the
// lines the gaps share (the LAN subnets' list, a server's masquerade) had
// come in every warning, so that pasting the warnings in turn added the
// list's entries again and again, and two identical masquerades for two
// forwards of one server (chk57 D6, rc27's many-fwds: 6 warnings, 30 list
// lines).
func (p *Plan) hairpinGapTexts(gaps []Finding) (texts map[int]string, order []int) {
	texts = map[int]string{}
	var withLines []int
	for i, fw := range p.Forwards {
		var segs []string
		var mine []Finding
		for _, f := range gaps {
			if f.Forward != i {
				continue
			}
			mine = append(mine, f)
			if seg := strings.TrimPrefix(f.Path, "hairpin:"); !slices.Contains(segs, seg) {
				segs = append(segs, seg)
			}
		}
		if len(mine) == 0 {
			continue
		}
		by := "in-interface=" + fw.cmd.Value("in-interface")
		if v := fw.cmd.Value("in-interface-list"); v != "" {
			by = "in-interface-list=" + v
		}
		fix := ""
		if fx := p.Propose(mine); len(fx.Lines) > 0 {
			fix = fmt.Sprintf("; if they should, add the hairpin (%s): %s", methodLabel(fx.Method), strings.Join(fx.Lines, " ; "))
			withLines = append(withLines, i)
		}
		reach := fmt.Sprintf("cannot reach it by the public address or name, only by the server's own address %s", fw.ToAddr)
		if name := p.splitDNSName(fw, segs); name != "" {
			// The router's static DNS gives the name the server's own
			// address (method 1): by name the LAN never hairpins, as the
			// lab's by-name probe shows. The warning said "or name" and
			// offered hairpin lines the user had no need of (chk57 D5,
			// rc27's many-fwds export: john2143.com → 192.168.6.11).
			reach = fmt.Sprintf("reach it by the name %s (the router's static DNS answers it with the server's own address %s, method 1) and by that address, not by the public address", name, fw.ToAddr)
		}
		texts[i] = fmt.Sprintf("hairpin gap: forward %d (line %d, %s/%d → %s:%d) is bound to the WAN (%s) and works from the internet, but LAN clients on %s %s: not a fault unless they should",
			i+1, fw.Line, fw.Protocol, fw.DstPort, fw.ToAddr, fw.ToPort, by, strings.Join(segs, ", "), reach)
		if fix != "" {
			texts[i] += fix
		}
		order = append(order, i)
	}
	if len(withLines) < 2 {
		return texts, order
	}
	var all []Finding
	var names []string
	for _, i := range withLines {
		for _, f := range gaps {
			if f.Forward == i {
				all = append(all, f)
			}
		}
		names = append(names, strconv.Itoa(i+1))
	}
	fx := p.Propose(all)
	if len(fx.Lines) == 0 {
		return texts, order
	}
	last := withLines[len(withLines)-1]
	for _, i := range withLines {
		cut := texts[i][:strings.Index(texts[i], "; if they should, add the hairpin")]
		if i != last {
			texts[i] = cut + fmt.Sprintf("; if they should, add the hairpin: forward %d's warning gives the lines of every gap, one step", last+1)
			continue
		}
		texts[i] = cut + fmt.Sprintf("; if they should, add the hairpin, for the gaps of forwards %s at once: one step, each line once (%s): %s",
			strings.Join(names, ", "), methodLabel(fx.Method), strings.Join(fx.Lines, " ; "))
	}
	return texts, order
}

// labCaseFix is the fix a lab case runs: the fix of the findings and,
// when there are hairpin gaps, their hairpin lines too, so that the
// fixed phase shows whether the lines the gap's warning gives work. The
// verdict and the printed fix stay those of the findings (fx).
func (p *Plan) labCaseFix(found, gaps []Finding, fx Fix) Fix {
	if len(gaps) == 0 {
		return fx
	}
	return p.Propose(append(slices.Clone(found), gaps...))
}

// labCase is the lab's case for the findings' fix fx, its fixed phase
// running the gaps' hairpin lines too (labCaseFix), with fx.Untried set
// to what the lab left out of fx.
func (p *Plan) labCase(found, gaps []Finding, fx *Fix) (*Case, error) {
	caseFix := p.labCaseFix(found, gaps, *fx)
	c, err := p.Case(caseFix)
	if err != nil {
		return nil, err
	}
	fx.Untried = untriedOf(*fx, caseFix, c.FixUntried)
	c.HairpinOnly = len(fx.Lines) == 0 && len(caseFix.Lines) > 0
	return c, nil
}

// untriedOf maps the case fix's untried lines (indexes into caseFx.Lines)
// onto fx's lines.
func untriedOf(fx, caseFx Fix, untried []int) []int {
	var out []int
	for _, i := range untried {
		if i < len(caseFx.Lines) {
			if j := slices.Index(fx.Lines, caseFx.Lines[i]); j >= 0 {
				out = append(out, j)
			}
		}
	}
	return out
}

// gapOutcomes are the marked probes of forward fw's gap paths in phase.
func gapOutcomes(res *Result, fw int, phase string) []Outcome {
	var out []Outcome
	for _, o := range res.Outcomes {
		if o.Probe.Gap && o.Probe.Forward == fw && o.Probe.Phase == phase && o.Result != "error" {
			out = append(out, o)
		}
	}
	return out
}

// labHairpinGaps words the hairpin gaps a lab run confirmed: a LAN probe
// of the gap failed before the fix. What the fixed phase showed of the
// hairpin lines follows.
func (p *Plan) labHairpinGaps(res *Result) []string {
	lab := map[int]string{}
	var confirmed []Finding
	for i := range p.Forwards {
		var mine []Finding
		for _, f := range res.HairpinGaps {
			if f.Forward == i {
				mine = append(mine, f)
			}
		}
		before := gapOutcomes(res, i, "before")
		failed := slices.DeleteFunc(slices.Clone(before), func(o Outcome) bool { return o.Result == "ok" })
		if len(mine) == 0 || len(failed) == 0 {
			continue
		}
		var seen []string
		for _, o := range failed {
			seen = append(seen, o.Probe.Path+" "+o.Result)
		}
		text := fmt.Sprintf("; the lab confirmed it (%s)", strings.Join(seen, ", "))
		if fixed := gapOutcomes(res, i, "fixed"); len(fixed) > 0 {
			if still := slices.DeleteFunc(slices.Clone(fixed), func(o Outcome) bool { return o.Result == "ok" }); len(still) == 0 {
				text += ", and with the hairpin lines its LAN path(s) worked"
			} else {
				text += fmt.Sprintf(", and with the hairpin lines %d of its LAN path(s) still failed", len(still))
			}
		}
		lab[i] = text
		confirmed = append(confirmed, mine...)
	}
	texts, order := p.hairpinGapTexts(confirmed)
	var out []string
	for _, i := range order {
		out = append(out, texts[i]+lab[i])
	}
	return out
}

// clearedHairpinGaps are the hairpin gaps whose every LAN probe worked in
// the lab: the rules read a gap the packets did not show.
func (p *Plan) clearedHairpinGaps(res *Result) []string {
	var out []string
	for i, fw := range p.Forwards {
		if !slices.ContainsFunc(res.HairpinGaps, func(f Finding) bool { return f.Forward == i }) {
			continue
		}
		before := gapOutcomes(res, i, "before")
		if len(before) == 0 || slices.ContainsFunc(before, func(o Outcome) bool { return o.Result != "ok" }) {
			continue
		}
		out = append(out, fmt.Sprintf("the rules read forward %d (line %d) as a hairpin gap, and the lab's LAN probe(s) %s reached it: cleared in the lab", i+1, fw.Line, pathsOf(before)))
	}
	return out
}

// gapWorded keeps a lab verdict from saying that every forward works
// from every LAN segment when a hairpin gap's path failed.
func gapWorded(text string, outs []Outcome) string {
	n := 0
	for _, o := range outs {
		if o.Probe.Phase == "before" && o.Probe.Gap && o.Result != "ok" {
			n++
		}
	}
	if n == 0 {
		return text
	}
	return strings.Replace(text, "every forward works from the internet and from every LAN segment",
		fmt.Sprintf("every forward works from the internet and from every LAN segment but %d LAN path(s) of forwards bound to the WAN (hairpin gaps, in a warning)", n), 1)
}

// splitDNSName is the name by which the LAN clients of segs reach fw's
// server straight (method 1): the router answers its LAN, a static entry
// gives the name the server's own address, the forward keeps its port, and
// no forward filter rule drops a segment's clients on their way to the
// server (print.go's by-name line, for a forward whose hairpin paths are
// findings); "" when there is none.
func (p *Plan) splitDNSName(fw Forward, segs []string) string {
	name, direct := p.byNameTarget(fw)
	if !direct || !p.routerResolves() || fw.ToPort != fw.DstPort {
		return ""
	}
	for _, s := range p.Segments {
		if slices.Contains(segs, s.Interface) && s.Port != "" && p.directDrop(fw, s) != nil {
			return ""
		}
	}
	return name
}
