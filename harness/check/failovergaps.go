package check

import "slices"

// Two dual-WAN faults the reading names for sure and the lab proves: a
// failover by distance alone (no check-gateway, no recursive next hop
// that is watched) follows a dead link only, and a backup WAN no srcnat
// rule takes sends the LAN out with private addresses. Both were notes,
// and offline the verdict under them read "no problem found" (chk52 D5)
// while the lab, pulling the cable and silencing the ISP, warned of
// each. Offline they are warnings now, with the line and the fix; in the
// lab they stay notes, since the lab's own probes say whether they hold
// (silentWarning, the failover phase).

// noteFailoverGap adds a note that an offline run turns into a warning.
func (p *Plan) noteFailoverGap(text string) {
	p.Notes = append(p.Notes, text)
	p.failoverGaps = append(p.failoverGaps, text)
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
// router's services as the lab saw them, and the export's faults no
// probe shows (gathered once for the terminal and check.md).
func (p *Plan) LabWarnings(res *Result) []string {
	return append(append(p.CompromiseWarnings(), p.LabServiceWarnings(res.Outcomes, res.Dir)...), p.ExportWarnings()...)
}
