package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// NAT rules are taken in order and the first dst-nat that matches wins
// (NAT page of the manual, https://help.mikrotik.com/docs/display/ROS/NAT):
// a port range forwarded above a single port of it ("12560-12570 to the
// NVR, 12566 to one camera") takes that port, and the single port's rule
// never sees a packet. The rule for fewer ports goes above the range.

// earlierFix moves the forward above the wider dst-nat that takes its
// traffic. It proposes nothing when the earlier rule is no wider (two
// forwards of the same port to different servers: moving one above the
// other only changes which of them is lost).
func (p *Plan) earlierFix(fw *Forward, f Finding) (key, line, method string, ok bool) {
	var hit *export.Command
	for _, c := range p.export.Commands {
		if c.Line == f.Line && c.MenuPath() == "ip firewall nat" && c.Verb == "add" {
			hit = c
		}
	}
	if hit == nil || fw == nil || fw.cmd == nil || hit.Value("chain") != fw.cmd.Value("chain") {
		return "", "", "", false
	}
	key = fmt.Sprintf("move %d", fw.Line)
	line = fmt.Sprintf("/ip firewall nat move %s destination=%s", p.selector(fw), p.ruleSelector(hit.Line))
	switch hit.Value("action") {
	case "accept":
		// An accept in dstnat above the forward (meant to keep some
		// traffic from NAT: a VPN, the router's own services) ends the
		// chain for the forward's port too: the forward goes above it.
		// NAT rules are taken in order and the first that matches
		// decides (help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT).
		if !orderOf(p.export).before(hit, fw.cmd) {
			return "", "", "", false
		}
		return key, line, "the forward above the dstnat accept that takes its traffic", true
	case "redirect":
		// A redirect to a service of the router's own (the transparent
		// web proxy on the LAN's port 80) above a forward of the same
		// port: it is meant for traffic bound elsewhere, so it leaves the
		// router's own addresses (the public one among them) alone with
		// dst-address-type=!local, and the forward gets them, from the
		// internet and the LAN.
		to, err := strconv.Atoi(hit.Value("to-ports"))
		if err != nil || !p.routerListens(hit.Value("protocol"), to) || hit.Value("dst-address-type") != "" || hit.Value("dst-address") != "" || hit.Value("dst-address-list") != "" {
			return "", "", "", false
		}
		return fmt.Sprintf("narrow redirect %d", hit.Line), fmt.Sprintf("/ip firewall nat set %s dst-address-type=!local", p.ruleSelector(hit.Line)),
			"the redirect kept to traffic bound elsewhere (dst-address-type=!local)", true
	case "dst-nat", "netmap":
		wide, narrow := portCount(hit.Value("dst-port")), portCount(fw.cmd.Value("dst-port"))
		if narrow == 0 || wide != 0 && wide <= narrow {
			// Another dst-nat there is a conflict only the user can
			// settle: no line.
			return "", "", "", false
		}
		return key, line, "the forward for fewer ports above the wider one", true
	}
	return "", "", "", false
}

// portCount is how many ports a dst-port value names: 0 for none (every
// port) or a negated one, which the caller reads as the widest.
func portCount(v string) int {
	if v == "" || strings.HasPrefix(v, "!") {
		return 0
	}
	n := 0
	for _, part := range strings.Split(v, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		if !isRange {
			if err1 == nil {
				n++
			}
			continue
		}
		b, err2 := strconv.Atoi(strings.TrimSpace(hi))
		if err1 == nil && err2 == nil && b >= a {
			n += b - a + 1
		}
	}
	return n
}
