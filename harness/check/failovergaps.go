package check

import (
	"fmt"
	"slices"
	"strings"
)

// Two dual-WAN faults the reading names for sure and the lab proves: a
// failover by distance alone (no check-gateway, no recursive next hop
// that is watched) follows a dead link only, and a backup WAN no srcnat
// rule takes sends the LAN out with private addresses. Both were notes,
// and offline the verdict under them read "no problem found" (chk52 D5)
// while the lab, pulling the cable and silencing the ISP, warned of
// each. Offline they are warnings, with the line and the fix. In the lab
// the probe of each decides (labFailoverGaps): one that failed confirms
// it (the probe's own warning, silentWarning or failoverWarning, and the
// note with the line), one that worked clears it, and a lab that ran no
// such probe (its failover phase skipped: a PPPoE main line, no port of
// its own) leaves it a warning as offline. It stayed a note there, exit
// 0, where offline said exit 4 (chk54).

// noteFailoverGap adds a note that an offline run turns into a warning;
// probe is the path, or the prefix of the paths, of the lab's probes
// that show it.
func (p *Plan) noteFailoverGap(probe, text string) {
	p.Notes = append(p.Notes, text)
	p.failoverGaps = append(p.failoverGaps, text)
	if p.gapProbes == nil {
		p.gapProbes = map[string]string{}
	}
	p.gapProbes[text] = probe
}

// WarnFailoverGaps takes the failover gaps out of the notes, for a run
// that reports them as warnings (offline); OfflineWarnings lists them.
// It may be called more than once.
func (p *Plan) WarnFailoverGaps() {
	p.Notes = slices.DeleteFunc(p.Notes, func(n string) bool { return slices.Contains(p.failoverGaps, n) })
}

// OfflineWarnings are the warnings of a run without a lab: signs of
// compromise, the router's services open to the internet, the export's
// faults no probe shows, the failover gaps, and the hairpin gaps
// (SplitHairpinGaps).
func (p *Plan) OfflineWarnings(hairpinGaps []Finding) []string {
	w := append(append(p.CompromiseWarnings(), p.OfflineServiceWarnings()...), p.ExportWarnings()...)
	return append(append(w, p.failoverGaps...), p.HairpinGapWarnings(hairpinGaps)...)
}

// LabWarnings are the warnings of a lab run: signs of compromise, the
// router's services as the lab saw them, the export's faults no probe
// shows, the failover gaps no probe of the lab tried, and the hairpin
// gaps the lab confirmed (gathered once for the terminal and check.md).
func (p *Plan) LabWarnings(res *Result) []string {
	w := append(append(p.CompromiseWarnings(), p.LabServiceWarnings(res.Outcomes, res.Dir)...), p.ExportWarnings()...)
	unprobed, _ := p.labFailoverGaps(res.Outcomes)
	aliases, _ := p.AliasResults(res.Case, res.Outcomes)
	return append(append(append(w, unprobed...), p.labHairpinGaps(res)...), aliases...)
}

// LabCleared says which faults the rules name and the lab's own probes
// cleared: a failover gap whose probes reached the internet, a hairpin
// gap whose LAN paths worked. Printed beside the lab's warnings, as
// notes: the reading said one thing and the packets another.
func (p *Plan) LabCleared(res *Result) []string {
	_, cleared := p.labFailoverGaps(res.Outcomes)
	_, aliases := p.AliasResults(res.Case, res.Outcomes)
	return append(append(cleared, p.clearedHairpinGaps(res)...), aliases...)
}

// labFailoverGaps sorts the failover gaps by the lab's probes of them
// (phase before): unprobed are those no probe tried, worded as warnings;
// cleared those whose every probe reached the internet's host. A gap one
// of whose probes failed is in neither: the probe's own warning says it.
func (p *Plan) labFailoverGaps(outs []Outcome) (unprobed, cleared []string) {
	for _, g := range p.failoverGaps {
		ran := p.gapRan(g, outs)
		switch {
		case len(ran) == 0 && p.ecmpShown(g, outs) != "":
			// No probe of the tie's route ran, but the LAN's way out
			// failed as the gap predicts (waysexplained.go).
			unprobed = append(unprobed, g+" (the lab's way out from "+p.ecmpShown(g, outs)+", as this predicts for a connection on that route)")
		case len(ran) == 0:
			unprobed = append(unprobed, g+" (from the export's rules: the lab ran no probe of it, the notes say why)")
		case !slices.ContainsFunc(ran, func(o Outcome) bool { return !reachedPeer(o) }):
			cleared = append(cleared, fmt.Sprintf("the rules read a failover gap, and the lab's probe(s) %s reached the internet's host: cleared in the lab (%s)", pathsOf(ran), g))
		}
	}
	return unprobed, cleared
}

// pathsOf lists the probes' paths once each.
func pathsOf(outs []Outcome) string {
	var paths []string
	for _, o := range outs {
		if !slices.Contains(paths, o.Probe.Path) {
			paths = append(paths, o.Probe.Path)
		}
	}
	return strings.Join(paths, ", ")
}

// gapRan are the lab's probes of failover gap g that ran (phase before).
func (p *Plan) gapRan(g string, outs []Outcome) []Outcome {
	var ran []Outcome
	for _, o := range outs {
		if o.Probe.Phase == "before" && strings.HasPrefix(o.Probe.Path, p.gapProbes[g]) && o.Result != "error" {
			ran = append(ran, o)
		}
	}
	return ran
}

// LabNotes are the notes of a lab run's report: the plan's, less the
// failover gaps no probe tried (warnings now, LabWarnings), with what
// the lab cleared (LabCleared).
func (p *Plan) LabNotes(res *Result) []string {
	notes := slices.DeleteFunc(slices.Clone(p.Notes), func(n string) bool {
		return slices.Contains(p.failoverGaps, n) && len(p.gapRan(n, res.Outcomes)) == 0
	})
	return append(notes, p.LabCleared(res)...)
}

// ecmpShown says that the way out of the segment of an equal-distance gap
// g (the "ecmp:" probe prefix) failed in the lab ("bridge failed
// (timeout)"); "" for another gap or a way out that worked.
func (p *Plan) ecmpShown(g string, outs []Outcome) string {
	seg, ok := strings.CutPrefix(p.gapProbes[g], "ecmp:")
	if !ok {
		return ""
	}
	for _, o := range failedWays(outs) {
		if o.Probe.Path == lanReachPrefix+seg {
			return seg + " failed (" + wayResult(o) + ")"
		}
	}
	return ""
}
