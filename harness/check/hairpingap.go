package check

import (
	"fmt"
	"slices"
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
// finding. Offline only: a lab run still probes the LAN's paths, counts
// them broken and proves the hairpin fix, as the lab specs in
// scenarios/check_test.go expect (changing that needs their lab runs).
// A forward whose rule lets LAN traffic in (no in-interface,
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
// hairpin lines that close it.
func (p *Plan) HairpinGapWarnings(gaps []Finding) []string {
	var out []string
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
			fix = fmt.Sprintf("; if they should, add the hairpin (method %s): %s", fx.Method, strings.Join(fx.Lines, " ; "))
		}
		out = append(out, fmt.Sprintf("hairpin gap: forward %d (line %d, %s/%d → %s:%d) is bound to the WAN (%s) and works from the internet, but LAN clients on %s cannot reach it by the public address or name, only by the server's own address %s: not a fault unless they should%s",
			i+1, fw.Line, fw.Protocol, fw.DstPort, fw.ToAddr, fw.ToPort, by, strings.Join(segs, ", "), fw.ToAddr, fix))
	}
	return out
}
