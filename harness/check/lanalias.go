package check

import (
	"fmt"
	"net/netip"
	"strings"
)

// A portless dst-nat from a private address of a LAN subnet to another
// LAN host is the LAN's alias (chk61 C1): not a port forward, so it was
// neither probed nor counted, and the report could only say what it
// needs (an address on the router, a hairpin masquerade), not whether it
// works. The lab puts a server at the alias's target and each LAN's
// client connects to the alias's address (chk62 A): the report says
// from which LANs the alias reaches its target and how the others fail.

// lanAlias is such a rule: connections to Addr land on Target.
type lanAlias struct {
	Line         int
	Addr, Target netip.Addr
}

// aliasPort is the port the lab's server at an alias's target serves and
// the clients connect to when the export names none: the alias takes
// every port, so any one tells whether the address and the hairpin hold.
const aliasPort = 80

// portOf is the TCP port an alias's probe connects to, and why: the port
// a forward of the export sends to the alias's target (what the target
// serves, by the export's own word: a NAS's 5001, a camera's 554), else
// aliasPort. A probe on 80 only said nothing of the port the target
// serves, and the report did not say which port was probed (chk63 c).
func (p *Plan) portOf(al lanAlias) (int, string) {
	for _, fw := range p.Forwards {
		if fw.ToAddr == al.Target && fw.ToPort > 0 && fw.Protocol != "udp" {
			return fw.ToPort, fmt.Sprintf("the port line %d forwards to %s", fw.Line, al.Target)
		}
	}
	return aliasPort, fmt.Sprintf("no forward of the export names a port of %s", al.Target)
}

// aliasPrefix starts an alias's probe path: alias:<line>:<segment>.
const aliasPrefix = "alias:"

// aliasSteps probes each alias from each LAN's client, before the fix
// (which leaves aliases as they are).
func (p *Plan) aliasSteps(c *Case, b *strings.Builder, phase string) {
	if phase != "before" {
		return
	}
	for _, al := range p.aliases {
		if _, ok := c.Servers[al.Target]; !ok {
			continue // its subnet is not in the lab
		}
		for si, s := range p.Segments {
			client := c.segClient[si]
			if client == "" {
				continue
			}
			port, _ := p.portOf(al)
			p.add(c, b, Probe{Forward: -1, Path: fmt.Sprintf("%s%d:%s", aliasPrefix, al.Line, s.Interface), Phase: phase, From: client,
				To: fmt.Sprintf("%s:%d", al.Addr, port), Kind: "tcp"}, "")
		}
	}
}

// aliasOf returns the alias a probe path names.
func (p *Plan) aliasOf(path string) (lanAlias, string, bool) {
	rest, ok := strings.CutPrefix(path, aliasPrefix)
	if !ok {
		return lanAlias{}, "", false
	}
	line, seg, _ := strings.Cut(rest, ":")
	for _, al := range p.aliases {
		if fmt.Sprint(al.Line) == line {
			return al, seg, true
		}
	}
	return lanAlias{}, "", false
}

// aliasReached reports whether an alias's probe reached the server at its
// target.
func (c *Case) aliasReached(al lanAlias, o Outcome) bool {
	return o.Result == "ok" && c != nil && o.By == c.Servers[al.Target]
}

// AliasResults says, for each alias the lab probed, from which LANs it
// reached its target and from which it did not (with the probe's result):
// a warning for each alias that fails from some LAN, a note for one that
// works from every LAN.
func (p *Plan) AliasResults(c *Case, outs []Outcome) (warnings, notes []string) {
	for _, al := range p.aliases {
		var works, fails []string
		for _, o := range outs {
			a, seg, ok := p.aliasOf(o.Probe.Path)
			if !ok || a.Line != al.Line || o.Probe.Phase != "before" {
				continue
			}
			where := seg + p.segmentNet(seg)
			if c.aliasReached(al, o) {
				works = append(works, where)
			} else {
				fails = append(fails, fmt.Sprintf("%s (%s, answered by %s)", where, o.Result, orNobody(o.By)))
			}
		}
		port, why := p.portOf(al)
		switch {
		case len(fails) > 0:
			w := fmt.Sprintf("the LAN alias of line %d (%s for %s) does not reach %s on TCP port %d (%s) from LAN %s", al.Line, al.Addr, al.Target, al.Target, port, why, strings.Join(fails, ", "))
			if len(works) > 0 {
				w += "; it does from " + strings.Join(works, ", ")
			}
			warnings = append(warnings, w+" (the note on line "+fmt.Sprint(al.Line)+" says what it needs)")
		case len(works) > 0:
			notes = append(notes, fmt.Sprintf("the LAN alias of line %d works: a connection to %s:%d (%s) from LAN %s reached the server at %s", al.Line, al.Addr, port, why, strings.Join(works, ", "), al.Target))
		}
	}
	return warnings, notes
}
