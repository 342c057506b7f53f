package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// render writes the lab-ready configuration: a prologue that makes a
// fresh lab router (rosemu or CHR) ready to take the export, then every
// command not set aside, one per line, with the ports whose names are not
// etherN moved onto their lab port.
func (p *Plan) render(f *export.File, keep func(*export.Command) bool) {
	var b strings.Builder
	p.Lines = nil // a new rendering maps its own lines
	emit := func(line int, text string) {
		b.WriteString(text)
		b.WriteByte('\n')
		p.Lines = append(p.Lines, line)
		// A script's block (:foreach ... do={ ... }) is written as it
		// came, over several lines: each maps to its own line of the
		// export, or a refusal below it would name the wrong line.
		for k := 1; k <= strings.Count(text, "\n"); k++ {
			if line > 0 {
				p.Lines = append(p.Lines, line+k)
			} else {
				p.Lines = append(p.Lines, 0)
			}
		}
	}
	emit(0, fmt.Sprintf("# lab-ready configuration made by chrlab check from %s", f.Name))
	emit(0, "# what was set aside is listed in the check's report; nothing else changed")
	if p.labVersion != "" {
		// The header chrlab lab reads the version from: the case runs
		// on the version check chose without --routeros, and its fix
		// is checked as that version's (a v6 routing mark needs no
		// table), not as the emulator's default or a guess.
		emit(0, fmt.Sprintf("# to run by RouterOS %s, the version the lab router runs for this export", p.labVersion))
	}
	// A fresh CHR runs a DHCP client on ether1; the export brings its own.
	emit(0, "/ip dhcp-client remove [ find ]")
	renamed := map[string]bool{}
	for _, c := range f.Commands {
		if c.MenuPath() == "interface ethernet" && c.Verb == "set" {
			if def, ok := c.FindArg("default-name"); ok {
				renamed[def] = true
			}
		}
	}
	for _, pt := range p.Ports {
		if pt.DefaultName != pt.Lab && !renamed[pt.DefaultName] {
			emit(0, fmt.Sprintf("/interface ethernet set [ find default-name=%s ] name=%s", pt.Lab, export.Quote(pt.Name)))
		}
	}
	// D9: ports renamed onto each other's names (ether1 named ether2 and
	// ether2 named ether1, or a shift ether1→ether2→ether3): the export
	// describes a router that has those names, but line by line each
	// rename names a port that still holds the name, and the lab router
	// refuses it as RouterOS does ("already have interface with such
	// name"). The ports whose name a rename takes get a temporary name
	// first, so that every rename of the export applies and the lab's
	// ports are named as the user's router names them.
	for _, lab := range p.renameClashes(f, keep) {
		emit(0, fmt.Sprintf("/interface ethernet set [ find default-name=%s ] name=%s", lab, renameTemp(lab)))
	}
	// A PPP client names its PPP profile (profile=wan-up), and exports
	// write /ppp profile after /interface: the router has both, but line
	// by line the client would name a profile that does not exist yet.
	// Such profiles go just before the first line that names them.
	hoisted := pppProfilesNamedEarly(f, keep)
	emitOne := func(c *export.Command) { p.renderOne(c, emit) }
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		if _, ok := hoisted[c]; ok {
			continue // written before the client that names it
		}
		// Only a PPP client looks for its profile: looking on every line
		// made 100k address-list entries take minutes.
		if len(hoisted) > 0 && strings.HasSuffix(c.MenuPath(), "-client") {
			for _, pc := range f.Commands {
				if done, ok := hoisted[pc]; ok && !done && c.Value("profile") == pc.Value("name") {
					emitOne(pc)
					hoisted[pc] = true
				}
			}
		}
		emitOne(c)
	}
	for _, l := range p.labLines {
		emit(0, l)
	}
	p.RSC = b.String()
}

// pppProfilesNamedEarly returns the /ppp profile add commands that a PPP
// client interface (pppoe-client, l2tp-client, ...) names on an earlier
// line of the export, each false until it is written.
func pppProfilesNamedEarly(f *export.File, keep func(*export.Command) bool) map[*export.Command]bool {
	out := map[*export.Command]bool{}
	named := map[string]bool{}
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		m := c.MenuPath()
		if strings.HasPrefix(m, "interface ") && strings.HasSuffix(m, "-client") && c.Value("profile") != "" {
			named[c.Value("profile")] = true
		}
		if m == "ppp profile" && c.Verb == "add" && named[c.Value("name")] {
			out[c] = false // not written yet
		}
	}
	return out
}

// renderOne writes one kept command of the export, without its hardware
// parameters and with a renamed port's lab name.
func (p *Plan) renderOne(c *export.Command, emit func(int, string)) {
	if drop := p.hwArgs[c]; len(drop) > 0 {
		cc := *c
		cc.Args = append([]export.Arg(nil), c.Args...)
		for _, n := range drop {
			cc.Del(n)
		}
		// A line left empty is still written when it renames a port: the
		// rename is what lets later lines name the port by its export name
		// (D1: `set [ find default-name=sfp-sfpplus1 ] sfp-shutdown-temperature=100C`
		// alone made the bridge-port line naming sfp-sfpplus1 refused).
		if len(cc.Args) == 0 && len(cc.Unset) == 0 && !p.renamesPort(c) {
			return // nothing left to set
		}
		c = &cc
	}
	if cut := p.memberCuts[c]; len(cut) > 0 {
		cc := *c
		cc.Args = append([]export.Arg(nil), c.Args...)
		for name, gone := range cut {
			var kept []string
			for _, n := range strings.Split(cc.Value(name), ",") {
				if n != "" && !slices.Contains(gone, n) {
					kept = append(kept, n)
				}
			}
			if len(kept) == 0 {
				cc.Del(name)
			} else {
				cc.Set(name, strings.Join(kept, ","))
			}
		}
		c = &cc
	}
	if c.MenuPath() == "interface ethernet" && c.Verb == "set" {
		if def, ok := c.FindArg("default-name"); ok {
			for _, pt := range p.Ports {
				if pt.DefaultName == def && pt.Lab != def {
					cc := *c
					cc.Args = append([]export.Arg(nil), c.Args...)
					cc.Target = "[ find default-name=" + pt.Lab + " ]"
					if cc.Value("name") == "" {
						cc.Set("name", pt.Name)
					}
					c = &cc
				}
			}
		}
	}
	emit(c.Line, c.Text())
}

// renameClashes returns the lab ports that a kept rename of the export
// (set [ find default-name=ether1 ] name=ether2) would find holding its new
// name, each renamed itself by a later line of the export: the shift and
// the swap of port names. A name that a port keeps (no later rename frees
// it) is not in the list: RouterOS refuses that rename, and so does the
// lab.
func (p *Plan) renameClashes(f *export.File, keep func(*export.Command) bool) []string {
	labs, _ := p.renameClashLines(f, keep)
	return labs
}

// renameClashLines is renameClashes with the export's lines whose rename
// takes a name another port holds at that line.
func (p *Plan) renameClashLines(f *export.File, keep func(*export.Command) bool) ([]string, []int) {
	type rename struct {
		lab, name string
		line      int
	}
	var renames []rename
	for _, c := range f.Commands {
		if !keep(c) || c.MenuPath() != "interface ethernet" || c.Verb != "set" {
			continue
		}
		def, ok := c.FindArg("default-name")
		name := c.Value("name")
		if !ok || name == "" {
			continue
		}
		for _, pt := range p.Ports {
			if pt.DefaultName == def {
				renames = append(renames, rename{pt.Lab, name, c.Line})
			}
		}
	}
	// cur is each renamed port's name as the lines apply, from its lab
	// name (the prologue renames only ports the export does not).
	cur := map[string]string{}
	for _, r := range renames {
		cur[r.lab] = r.lab
	}
	var out []string
	var lines []int
	// A lab port the export never names (the lab fills the numbers below
	// its highest port: m7's ether3 when ether2 is renamed ether3) is not
	// the user's port of that name: the export gives the name to another
	// port, so the user's router has none of that name.
	named := map[string]bool{}
	for _, pt := range p.Ports {
		named[pt.Lab] = true
	}
	for _, r := range renames {
		if i, ok := etherIndex(r.name); ok && i <= p.PortCount() && !named[r.name] && !slices.Contains(out, r.name) {
			out = append(out, r.name)
			lines = append(lines, r.line)
		}
	}
	for i, r := range renames {
		for _, o := range renames {
			lab := o.lab
			if lab == r.lab || cur[lab] != r.name {
				continue
			}
			later := false
			for _, r2 := range renames[i+1:] {
				later = later || r2.lab == lab
			}
			if later && !slices.Contains(out, lab) {
				out = append(out, lab)
				cur[lab] = renameTemp(lab)
				lines = append(lines, r.line)
			}
		}
		cur[r.lab] = r.name
	}
	slices.Sort(lines)
	return out, slices.Compact(lines)
}

// renameTemp is the name a port holds until the export's own line renames
// it (renameClashes): no export names an interface so.
func renameTemp(lab string) string { return "chrlab-rename-" + lab }

// renamesPort reports whether c is an /interface ethernet set line whose
// port the lab gives another name, so that renderOne writes name=.
func (p *Plan) renamesPort(c *export.Command) bool {
	if c.MenuPath() != "interface ethernet" || c.Verb != "set" {
		return false
	}
	def, ok := c.FindArg("default-name")
	if !ok {
		return false
	}
	for _, pt := range p.Ports {
		if pt.DefaultName == def && pt.Lab != def {
			return true
		}
	}
	return false
}

// ExportLine maps a line of the lab-ready configuration to the export's.
func (p *Plan) ExportLine(rscLine int) int {
	if rscLine < 1 || rscLine > len(p.Lines) {
		return 0
	}
	return p.Lines[rscLine-1]
}
