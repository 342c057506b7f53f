package check

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/chrlab/chrlab/harness/export"
)

// Summary prints what the import found: the port map, the WANs, the LAN
// segments, the forwards and what was set aside.
func (p *Plan) Summary(w io.Writer) {
	fmt.Fprintf(w, "%s", p.File)
	if p.export != nil && p.export.Version != "" {
		fmt.Fprintf(w, " (RouterOS %s", p.export.Version)
		if p.export.Model != "" {
			fmt.Fprintf(w, ", %s", p.export.Model)
		}
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
	// Names are quoted as RouterOS writes them: a port named "ether2 "
	// (trailing space) read "ether2 →ether2" (realcheck21 D7d).
	var ports []string
	for _, pt := range p.Ports {
		if pt.Name == pt.Lab {
			ports = append(ports, export.Quote(pt.Name))
		} else {
			ports = append(ports, export.Quote(pt.Name)+"→"+pt.Lab)
		}
	}
	fmt.Fprintf(w, "ports: %s\n", strings.Join(ports, " "))
	for _, x := range p.WANs {
		a := ""
		if x.Address.IsValid() {
			a = " " + x.Address.String()
		}
		if x.Peer.IsValid() {
			a += " peer " + x.Peer.String()
		}
		if x.VLAN > 0 {
			a += fmt.Sprintf(" in VLAN %d", x.VLAN)
		}
		fmt.Fprintf(w, "WAN: %s on %s, %s%s (%s)\n", export.Quote(x.Interface), export.Quote(x.Port), x.Kind, a, x.Why)
	}
	for _, s := range p.Segments {
		fmt.Fprintf(w, "LAN: %s %s (%s)\n", export.Quote(s.Interface), s.Prefix, s.hostPlace())
	}
	if len(p.Forwards) == 0 && !p.isGateway() {
		// The lab does not probe a non-gateway's services from its
		// internet (lab.go): saying they were checked contradicted it.
		fmt.Fprintln(w, "forwards: none (and the router translates nothing, so its services are not checked from the WAN)")
	} else if len(p.Forwards) == 0 && len(p.WANs) > 0 && p.WANs[0].Behind() != "" {
		// Nor on a WAN with no public address (lab.go): the internet
		// reaches the upstream's address there, not this router.
		fmt.Fprintln(w, "forwards: none (and the WAN has no public address, so the router's services are not checked from the internet)")
	} else if len(p.Forwards) == 0 {
		fmt.Fprintln(w, "forwards: none (the router's own services are still checked from the WAN)")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "#\tLINE\tFORWARD\tTO\tCOMMENT\t")
		for i, f := range p.Forwards {
			fmt.Fprintf(tw, "%d\t%d\t%s/%d\t%s:%d\t%s\t\n", i+1, f.Line, f.Protocol, f.DstPort, f.ToAddr, f.ToPort, readable(f.Comment))
		}
		tw.Flush()
	}
	hw, refused := splitAside(p.Aside)
	if len(hw) > 0 {
		fmt.Fprintf(w, "set aside (%s a lab router cannot have):\n", countLines(len(hw)))
		for _, a := range hw {
			if a.Menu == "" { // a script's line (:local ...) is in no menu
				fmt.Fprintf(w, "  line %d: %s\n", a.Line, a.Reason)
				continue
			}
			fmt.Fprintf(w, "  line %d /%s: %s\n", a.Line, readable(a.Menu), a.Reason)
		}
	}
	if len(refused) > 0 {
		fmt.Fprintf(w, "refused, left out (%s the lab router refuses):\n", countLines(len(refused)))
		for _, a := range refused {
			if a.Menu == "" { // a line that cannot be read has no menu of its own
				fmt.Fprintf(w, "  line %d: %s\n", a.Line, a.Reason)
				continue
			}
			fmt.Fprintf(w, "  line %d /%s: %s\n", a.Line, readable(a.Menu), a.Reason)
		}
	}
	for _, n := range p.Notes {
		fmt.Fprintln(w, "note:", readable(n))
	}
}

// PrintFindings prints the diagnosis and the fix.
func PrintFindings(w io.Writer, p *Plan, found []Finding, fx Fix) {
	if len(found) == 0 {
		fmt.Fprintln(w, "diagnosis:", p.unprobedLANs("no problem found"))
		return
	}
	if Problems(found) == 0 {
		fmt.Fprintln(w, "diagnosis: no problem found; what the rules alone cannot judge:")
	} else {
		fmt.Fprintln(w, "diagnosis:")
		// What the rules alone cannot judge (a finding without a
		// cause: a forward to a server behind another router) is no
		// problem: listed apart, after the problems, as when there are
		// none (rc29 C7: it read as one of the problems).
		found = append(slices.DeleteFunc(slices.Clone(found), func(f Finding) bool { return f.Cause == "" }),
			slices.DeleteFunc(slices.Clone(found), func(f Finding) bool { return f.Cause != "" })...)
	}
	judged := false
	for _, f := range found {
		if f.Cause == "" && Problems(found) > 0 && !judged {
			judged = true
			fmt.Fprintln(w, "what the rules alone cannot judge:")
		}
		what := "router"
		if strings.HasPrefix(f.Path, "srcnat:") || strings.HasPrefix(f.Path, lanInternetPrefix) || strings.HasPrefix(f.Path, lanDNSPrefix) || f.Cause == TableNoFIBOut {
			what = "outbound"
		}
		if f.Forward >= 0 && f.Forward < len(p.Forwards) {
			fw := p.Forwards[f.Forward]
			what = fmt.Sprintf("forward %d (%s/%d → %s:%d)", f.Forward+1, fw.Protocol, fw.DstPort, fw.ToAddr, fw.ToPort)
		}
		fmt.Fprintf(w, "  %s, %s\n", what, f)
	}
	// A forward whose hairpin fails by address while the router's static
	// DNS gives its name the server's own address (method 1): by name the
	// LAN never hairpins, and the user may rely on that.
	for i, fw := range p.Forwards {
		hairpin := false
		for _, f := range found {
			hairpin = hairpin || f.Forward == i && strings.HasPrefix(f.Path, "hairpin:")
		}
		if name, direct := p.byNameTarget(fw); hairpin && direct && p.routerResolves() && fw.ToPort == fw.DstPort {
			// The name leads a client straight to the server, through
			// the forward chain when the server is on another segment.
			var dropped []string
			var rule *export.Command
			for _, s := range p.Segments {
				if r := p.directDrop(fw, s); r != nil && s.Port != "" {
					dropped, rule = append(dropped, s.Interface), r
				}
			}
			if len(dropped) == 0 {
				fmt.Fprintf(w, "  by name: forward %d from the LAN by %s works: the router's static DNS answers it with the server's own address %s (method 1), no hairpin needed; by the public address it does not\n", i+1, name, fw.ToAddr)
			} else {
				fmt.Fprintf(w, "  by name: forward %d by %s leads to the server's own address %s (method 1), but the forward chain drops it from %s (line %d: %s); by the public address it does not work either\n", i+1, name, fw.ToAddr, strings.Join(dropped, ", "), rule.Line, ruleQuote(rule.Raw))
			}
		}
	}
	if fx.None != "" {
		fmt.Fprintln(w, "no fix on this router:", fx.None)
	}
	if len(fx.Lines) > 0 {
		fmt.Fprintf(w, "fix (%s), to paste:\n", methodLabel(fx.Method))
		for _, l := range fx.Lines {
			fmt.Fprintln(w, "  "+l)
		}
	}
}

// hostPlace says where the lab's host of the segment sits.
func (s Segment) hostPlace() string {
	switch {
	case s.secondOn != "":
		return "a second address on " + s.secondOn + ", whose lab host is another segment's: no lab host"
	case s.Port == "" && s.tunnel != "":
		return "a " + s.tunnel + " tunnel interface: its peers are not in the lab"
	case s.Port == "":
		return "no port a lab host can reach it on: no lab host"
	case s.Tagged:
		return fmt.Sprintf("host on %s, tagged in VLAN %d", export.Quote(s.Port), s.VLAN)
	}
	return "host on " + export.Quote(s.Port)
}

// countLines is "1 line" or "n lines".
func countLines(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}

// splitAside parts the lines left out into hardware a lab router cannot
// have and configuration lines the lab router refuses: a refused line is
// no radio or serial port, and was listed as one (realcheck19 D10).
func splitAside[T Aside | AsideDoc](as []T) (hw, refused []T) {
	for _, a := range as {
		if r := reasonOf(a); strings.HasPrefix(r, refusedPrefix) || strings.HasPrefix(r, routerOSRefuses) {
			refused = append(refused, a)
		} else {
			hw = append(hw, a)
		}
	}
	return hw, refused
}

func reasonOf[T Aside | AsideDoc](a T) string {
	switch x := any(a).(type) {
	case Aside:
		return x.Reason
	case AsideDoc:
		return x.Reason
	}
	return ""
}

// PrintLabFindings prints the diagnosis and the fix after a lab run: a
// forward whose paths the lab broke with no finding on it reads "broken,
// cause not identified", never "no problem found" (forum38 D2).
func PrintLabFindings(w io.Writer, p *Plan, found []Finding, fx Fix, outs []Outcome) {
	var unexplained []string
	for i, fw := range p.Forwards {
		// A finding without a cause (what the rules alone cannot judge)
		// does not explain broken paths.
		if slices.ContainsFunc(found, func(f Finding) bool { return f.Forward == i && f.Cause != "" }) {
			continue
		}
		if n := brokenPaths(outs, i); n > 0 {
			unexplained = append(unexplained, fmt.Sprintf("forward %d (%s/%d → %s:%d): %s", i+1, fw.Protocol, fw.DstPort, fw.ToAddr, fw.ToPort, unexplainedText(n)))
		}
	}
	if ways := unexplainedWays(p, found, outs); len(ways) > 0 {
		unexplained = append(unexplained, "the router: "+unexplainedWaysText(ways))
	}
	// The ways out the export explains (waysexplained.go): a fault of
	// its own is listed with the unexplained, the lab's shortcoming (a
	// hotspot's host not logged in) after the diagnosis.
	broken, apart := p.explainedWays(outs)
	for _, b := range broken {
		unexplained = append(unexplained, "the router: "+b)
	}
	defer func() {
		for _, a := range apart {
			fmt.Fprintln(w, "not judged in the lab:", a)
		}
	}()
	if Problems(found) == 0 && len(unexplained) > 0 {
		// Never "no problem found" above broken paths: the unexplained
		// forwards first, then the asides and what was not probed.
		fmt.Fprintln(w, "diagnosis:")
		for _, u := range unexplained {
			fmt.Fprintln(w, " ", u)
		}
		if len(found) > 0 {
			fmt.Fprintln(w, "what the rules alone cannot judge:")
			for _, f := range found {
				fmt.Fprintf(w, "  %s\n", f)
			}
		}
		if len(p.scriptLANs) > 0 {
			fmt.Fprintf(w, "LAN segment(s) %s not probed (a script the check cannot read makes their ports; see the notes)\n", strings.Join(p.scriptLANs, ", "))
		}
		return
	}
	PrintFindings(w, p, found, fx)
	for _, u := range unexplained {
		fmt.Fprintln(w, "diagnosis:", u)
	}
}

// methodLabel names a fix's methods: "method 2: src-nat hairpin rule +
// narrow masquerade" when one of the forum post's numbered methods leads,
// and the changes alone when none does: "fix (method the host's own
// src-nat above ...)" read as a method that is none.
func methodLabel(m string) string {
	if m != "" && m[0] >= '0' && m[0] <= '9' {
		return "method " + m
	}
	return m
}
