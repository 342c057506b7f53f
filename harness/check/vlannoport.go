package check

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// On a VLAN-filtering bridge a frame reaches the router's address only in
// a VLAN some port carries: untagged on a port whose pvid it is, or tagged
// on a port the bridge's VLAN table lists as tagged in it; the bridge
// interface itself is an untagged member of its own pvid (1 unless set),
// a VLAN interface on the bridge hears its vlan-id (RouterOS manual,
// Bridging and Switching, "Bridge VLAN Filtering",
// https://help.mikrotik.com/docs/spaces/ROS/pages/328068/Bridging+and+Switching).
// A VLAN interface whose vlan-id no port carries (VLAN12 with vlan-id=256
// where the access ports are pvid=12), or an address on the bridge when
// every port is in another VLAN, serves no host: the check only noted the
// segment as not probed, and its fix for a forward into it tagged the
// bridge in a VLAN no port carries, after which it said "no problem found"
// (realcheck25 D3); the fix that moved an address off a bridge port onto
// such a bridge did the same (D2).

// allLines keeps every line of the export: what is carried is the
// export's truth, set-aside radio ports included.
func allLines(*export.Command) bool { return true }

// portPVID is a bridge port's untagged VLAN, 1 unless set.
func portPVID(ix *ifaces, bp *export.Command) int {
	if v := ix.portValue(bp, "pvid"); v != "" {
		// A pvid outside 1..4094 (or not a number) is one RouterOS
		// refuses, so the port keeps its default, 1 (Bridging and
		// Switching, pvid: "Default: 1", 1..4094,
		// https://help.mikrotik.com/docs/spaces/ROS/pages/328068/Bridging+and+Switching).
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 4094 {
			return n
		}
	}
	return 1
}

// bridgePVID is the bridge interface's own untagged VLAN, 1 unless set.
func bridgePVID(ix *ifaces, br string) int {
	if c := ix.bridges[br]; c != nil {
		if n, err := strconv.Atoi(c.Value("pvid")); err == nil {
			return n
		}
	}
	return 1
}

// dynamicPorts says whether something other than the bridge port menu may
// add ports to br at run time (a CAPsMAN or wifi datapath, a PPP profile's
// bridge=): the export then does not show every port and its VLAN.
func dynamicPorts(f *export.File, br string) bool {
	return slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		m := c.MenuPath()
		return m != "interface bridge port" && m != "interface bridge vlan" && m != "interface bridge" && c.Value("bridge") == br
	})
}

// vlanCarried reports whether a port of the VLAN-filtering bridge br
// carries vid, untagged or tagged.
func vlanCarried(ix *ifaces, br string, vid int) bool {
	for _, bp := range ix.ports {
		if bp.Value("bridge") == br && portPVID(ix, bp) == vid && ix.portValue(bp, "frame-types") != "admit-only-vlan-tagged" {
			return true
		}
	}
	for _, bv := range ix.bvlans {
		if bv.Value("bridge") != br || !inIDs(bv.Value("vlan-ids"), vid) {
			continue
		}
		for _, t := range strings.Split(bv.Value("tagged"), ",") {
			if t = strings.TrimSpace(t); t != "" && t != br && t != "none" {
				return true
			}
		}
	}
	return false
}

// uncarried says, for an L3 interface, whether it sits on a VLAN-filtering
// bridge in a VLAN no port carries: the bridge and the VLAN; ok false when
// it does not, or when the export cannot tell (a bridge without ports is a
// loopback; a datapath may add ports).
func (p *Plan) uncarried(iface string) (br string, vid int, ok bool) {
	if p.export == nil {
		return "", 0, false
	}
	ix := index(p.export, allLines)
	switch {
	case ix.vlans[iface] != nil:
		br = ix.vlans[iface].Value("interface")
		n, err := strconv.Atoi(ix.vlans[iface].Value("vlan-id"))
		if err != nil || n < 1 || n > 4094 {
			return "", 0, false
		}
		vid = n
	case ix.bridges[iface] != nil:
		br, vid = iface, bridgePVID(ix, iface)
	default:
		return "", 0, false
	}
	if ix.bridges[br] == nil || !ix.filtering[br] || dynamicPorts(p.export, br) ||
		!slices.ContainsFunc(ix.ports, func(bp *export.Command) bool { return bp.Value("bridge") == br }) {
		return "", 0, false
	}
	return br, vid, !vlanCarried(ix, br, vid)
}

// vlanNoPortFinding is VLANNoPort for seg (its forward and path left for
// the caller); ok false when a port carries its VLAN.
func (p *Plan) vlanNoPortFinding(seg *Segment) (Finding, bool) {
	if seg == nil || seg.onPort != "" || seg.tunnel != "" {
		return Finding{}, false
	}
	br, vid, ok := p.uncarried(seg.Interface)
	if !ok {
		return Finding{}, false
	}
	var d string
	if seg.Interface == br {
		d = fmt.Sprintf("%s is on bridge %s itself, an untagged member of its own pvid %d, and no port of %s has pvid=%d or is tagged in VLAN %d", seg.Prefix, br, vid, br, vid, vid)
	} else {
		d = fmt.Sprintf("%s is on %s, VLAN %d on bridge %s, and no port of %s has pvid=%d or is tagged in VLAN %d", seg.Prefix, seg.Interface, vid, br, br, vid, vid)
	}
	if other := p.spareVLAN(br, seg.Interface); other > 0 {
		d += fmt.Sprintf("; the ports carry VLAN %d, in which the bridge is tagged and which no VLAN interface takes", other)
	}
	f := Finding{Path: "router's address on " + seg.Interface, Cause: VLANNoPort, Detail: d}
	for _, ac := range p.export.Commands {
		if ac.Line == seg.line {
			f.Line, f.Rule = ac.Line, ac.Raw
		}
	}
	return f, true
}

// vlanNoPortFindings returns a finding on the router for each segment in
// a VLAN no port carries, unless a forward's finding names it already: a
// DHCP server there serves nobody, with or without a forward.
func (p *Plan) vlanNoPortFindings(have []Finding) []Finding {
	var out []Finding
	for i := range p.Segments {
		seg := &p.Segments[i]
		f, ok := p.vlanNoPortFinding(seg)
		if !ok || slices.ContainsFunc(have, func(h Finding) bool { return h.Cause == VLANNoPort && h.Line == f.Line }) {
			continue
		}
		f.Forward = -1
		out = append(out, f)
	}
	return out
}

// spareVLAN is the one VLAN that ports of br carry, in which the bridge is
// tagged, and which no VLAN interface on br other than iface takes: where
// a VLAN interface with a mistyped vlan-id (256 for 12) belongs. 0 when
// there is none or more than one.
func (p *Plan) spareVLAN(br, iface string) int {
	ix := index(p.export, allLines)
	cand := map[int]bool{}
	for _, bp := range ix.ports {
		if bp.Value("bridge") == br {
			cand[portPVID(ix, bp)] = true
		}
	}
	for _, bv := range ix.bvlans {
		if bv.Value("bridge") != br {
			continue
		}
		for _, part := range strings.Split(bv.Value("vlan-ids"), ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(part)); err == nil {
				cand[n] = true
			}
		}
	}
	found := 0
	for vid := range cand {
		if vid == bridgePVID(ix, br) || !vlanCarried(ix, br, vid) || !p.taggedIn(ix, br, br, vid) {
			continue
		}
		taken := false
		for name, v := range ix.vlans {
			if name != iface && v.Value("interface") == br && v.Value("vlan-id") == strconv.Itoa(vid) {
				taken = true
			}
		}
		if taken {
			continue
		}
		if found != 0 {
			return 0
		}
		found = vid
	}
	return found
}

// vlanNoPortFix is the fix of a VLAN interface whose vlan-id no port
// carries: the spare VLAN the ports do carry. "" when there is no single
// one (or iface is the bridge itself): the finding then says what is
// wrong and no line is offered that would change nothing.
func (p *Plan) vlanNoPortFix(iface string) (key, line string) {
	br, _, ok := p.uncarried(iface)
	if !ok || br == iface {
		return "", ""
	}
	vid := p.spareVLAN(br, iface)
	if vid == 0 {
		return "", ""
	}
	return "vlan-id " + iface, fmt.Sprintf("/interface vlan set [ find where name=%s ] vlan-id=%d", export.Quote(iface), vid)
}

// bridgePortAddrFix is the fix of a LAN address on a bridge port: onto
// the bridge when the bridge is in the port's VLAN (no VLAN filtering, or
// the port's pvid is the bridge's own); on a VLAN-filtering bridge whose
// own VLAN the port is not in, onto the VLAN interface of the port's pvid
// when that one has no address of its own and the bridge is tagged in
// it, else the port out of the bridge (out of the interface list that
// made it a port), which leaves the address on a plain port where RouterOS
// takes it (realcheck25 D2: the address moved onto the bridge served
// VLAN 1, the port's hosts were in VLAN 10).
func (p *Plan) bridgePortAddrFix(seg *Segment) (method, key, line string) {
	addr := export.Quote(seg.addr.Value("address"))
	port, br := seg.onPort, seg.Interface
	onto := func(iface string) string {
		return fmt.Sprintf("/ip address set [ find where address=%s interface=%s ] interface=%s", addr, export.Quote(port), export.Quote(iface))
	}
	key = fmt.Sprintf("bridge address %s %d", br, seg.addr.Line)
	ix := index(p.export, allLines)
	var bp *export.Command
	for _, c := range ix.ports {
		if c.Value("interface") == port && c.Value("bridge") == br {
			bp = c
			break
		}
	}
	if !ix.filtering[br] || bp == nil || portPVID(ix, bp) == bridgePVID(ix, br) {
		return "the LAN address on its bridge", key, onto(br)
	}
	pvid := portPVID(ix, bp)
	for name, v := range ix.vlans {
		if v.Value("interface") != br || v.Value("vlan-id") != strconv.Itoa(pvid) || !p.taggedIn(ix, br, br, pvid) {
			continue
		}
		if slices.ContainsFunc(ix.addrs, func(a *export.Command) bool { return a.Value("interface") == name }) {
			break // that VLAN has its router address: the port was meant out of it
		}
		return "the LAN address on the VLAN interface of the port's pvid", key, onto(name)
	}
	// The port line may name an interface list the port is a member of.
	for _, c := range p.export.Commands {
		if c.Line == bp.Line && c.Value("interface") != port {
			return "the port out of its bridge", key, fmt.Sprintf("/interface list member remove [ find where interface=%s list=%s ]", export.Quote(port), export.Quote(c.Value("interface")))
		}
	}
	return "the port out of its bridge", key, fmt.Sprintf("/interface bridge port remove [ find where interface=%s bridge=%s ]", export.Quote(port), export.Quote(br))
}

// deafVLANFindings returns a finding on the router for each LAN segment on
// a VLAN interface whose VLAN-filtering bridge is not tagged in its VLAN
// (the forum's lockout: vlan-filtering turned on with the bridge left out
// of its own tagged lists), unless a forward's finding names it already.
// The diagnosis said so only for a forward's paths, so an export without
// forwards whose every VLAN interface was deaf read "no problem found"
// (forum52 D3).
func (p *Plan) deafVLANFindings(have []Finding) []Finding {
	keep := p.keeper(p.export)
	var out []Finding
	for i := range p.Segments {
		seg := &p.Segments[i]
		if seg.onPort != "" || seg.tunnel != "" {
			continue
		}
		if _, ok := p.vlanNoPortFinding(seg); ok {
			continue // VLANNoPort says it: tagging the bridge would not help
		}
		br, vid, entry, deaf := p.deafVLAN(seg.Interface, keep)
		if !deaf || slices.ContainsFunc(out, func(h Finding) bool { return h.Path == "router's address on "+seg.Interface }) ||
			slices.ContainsFunc(have, func(h Finding) bool {
				return h.Cause == VLANNotOnBridge && strings.Contains(h.Detail, seg.Interface+" is VLAN ")
			}) {
			continue
		}
		f := deafVLANFinding(-1, "router's address on "+seg.Interface, seg.Interface, br, vid, entry)
		out = append(out, f)
	}
	return out
}
