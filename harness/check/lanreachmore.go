package check

import (
	"fmt"
	"strings"
)

// The first private LAN segment's way out stands for the others
// (lanReachSteps): they leave by the same masquerade. rc31 C2: a bridge
// with three subnets got three lab hosts, and only the first one's way
// out was probed; a masquerade narrowed to the first subnet's
// src-address would have gone unproven, and nothing said the others were
// not probed. A segment whose connection to the internet the srcnat chain
// takes by another rule than the first segment's (or by none) is probed
// too now, and those left to the first one's probe are named in a note.

// outNATRule is the first srcnat rule that takes a new connection from a
// host of s to the internet's peer out of the main WAN, and whether the
// reading is sure of it.
func (p *Plan) outNATRule(s Segment) (line int, sure bool) {
	wans := p.lanOutWANs()
	if len(wans) == 0 {
		return 0, false
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: p.WANs[wans[0]].Interface, state: "new"}
	hit, how := m.first(f, keep, "ip firewall nat", "srcnat", pk,
		map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true})
	if how == unknown {
		return 0, false
	}
	if hit == nil {
		return 0, true
	}
	return hit.Line, true
}

// firstOut is the first probed segment's srcnat rule (outNATRule), read
// once: every later segment is weighed against it.
type firstOut struct {
	read, sure bool
	line       int
}

// leavesApart reports whether s's way out is taken by another srcnat rule
// than the first probed segment's: its own probe shows it. sure says the
// reading could tell both rules; when it could not, s is not probed, and
// its note must not say it leaves by the same rule (unsureNote).
func (p *Plan) leavesApart(s, first Segment, out *firstOut) (apart, sure bool) {
	if !out.read {
		out.line, out.sure = p.outNATRule(first)
		out.read = true
	}
	a, sureA := p.outNATRule(s)
	return sureA && out.sure && a != out.line, sureA && out.sure
}

// standInNote names the segments whose way out the first segment's probe
// stands for.
func standInNote(first string, others []string) string {
	return fmt.Sprintf("the way out to the internet is probed from %s; LAN segment(s) %s leave by the same srcnat rule, so that probe stands for them (not probed on their own)", first, strings.Join(others, ", "))
}

// unsureNote names the segments not probed on their own whose way out the
// reading cannot weigh (a srcnat rule on a connection mark, say): the
// first segment's probe need not stand for them.
func unsureNote(first string, others []string) string {
	return fmt.Sprintf("the way out to the internet is probed from %s; LAN segment(s) %s are not probed on their own, and check cannot tell whether the srcnat chain takes them by the same rule (a rule it cannot weigh, such as one on a connection mark)", first, strings.Join(others, ", "))
}
