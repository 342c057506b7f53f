package check

import (
	"fmt"
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// RoadWarriorFasttrack is the cause of an IKEv2 (or IKEv1 mode-config)
// road-warrior server whose clients' connections the forward chain
// fasttracks: a fasttracked packet skips the IPsec policy lookup, so the
// LAN's answers to a client leave unencrypted towards its private
// mode-config address and are lost. defconf keeps them out of the
// fasttrack with its "accept in ipsec policy" and "accept out ipsec
// policy" rules above it (IPsec page of the manual, "NAT and Fasttrack
// Bypass": fasttracked packets are not matched against IPsec policies,
// https://help.mikrotik.com/docs/display/ROS/IPsec); firewalls written
// without them are the forum's "IKEv2 connects, nothing passes".
const RoadWarriorFasttrack Cause = "the fasttrack rule takes the IPsec road warriors' connections: fasttracked packets skip the IPsec policies, so the LAN's answers leave unencrypted towards the client's mode-config address and are lost (the tunnel comes up, nothing passes); accept what IPsec carries above the fasttrack, as defconf does"

// rwPools are the addresses the passive IPsec peers' mode-configs hand
// out: an identity of an enabled passive peer names the mode-config, whose
// address-pool (or address) the clients get.
func (p *Plan) rwPools() (out []netip.Addr, identity *export.Command) {
	f := p.export
	keep := p.keeper(f)
	passive := map[string]bool{}
	configs := map[string]*export.Command{}
	pools := map[string][]dhcpRange{}
	for _, c := range f.Commands {
		if !keep(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ip ipsec peer":
			if enabled(c) && c.Value("passive") == "yes" {
				passive[c.Value("name")] = true
			}
		case "ip ipsec mode-config":
			configs[c.Value("name")] = c
		case "ip pool":
			if rs, all := poolRangesOf(c.Value("ranges")); all && len(rs) > 0 {
				pools[c.Value("name")] = rs
			}
		}
	}
	for _, c := range f.Commands {
		if !keep(c) || c.Verb != "add" || !enabled(c) || c.MenuPath() != "ip ipsec identity" || !passive[c.Value("peer")] {
			continue
		}
		mc := configs[c.Value("mode-config")]
		if mc == nil {
			continue
		}
		if a, err := netip.ParseAddr(mc.Value("address")); err == nil {
			out = append(out, a)
		}
		for _, r := range pools[mc.Value("address-pool")] {
			out = append(out, r.lo)
		}
		if len(out) > 0 {
			return out, c
		}
	}
	return nil, nil
}

// rwFasttrackFindings follows a LAN host's answer to a road warrior (an
// established connection, leaving by the main WAN under an IPsec policy)
// through the forward chain: a fasttrack rule it meets first takes it.
func (p *Plan) rwFasttrackFindings() []Finding {
	addrs, ident := p.rwPools()
	wans := p.lanOutWANs()
	if len(addrs) == 0 || len(wans) != 1 {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	w := p.WANs[wans[0]]
	for _, s := range p.Segments {
		if s.Port == "" {
			continue
		}
		ans := packet{src: hostIn(s.Prefix, 10), dst: addrs[0], proto: "tcp", in: s.Interface, out: w.Interface, state: "established", ipsecOut: true}
		r, how := m.first(f, keep, "ip firewall filter", "forward", ans, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true})
		if r == nil || how != yes || r.Value("action") != "fasttrack-connection" {
			continue
		}
		return []Finding{{Forward: -1, Path: "ipsec-rw:" + w.Interface, Cause: RoadWarriorFasttrack, Line: r.Line, Rule: r.Raw,
			Detail: fmt.Sprintf("the identity at line %d gives the clients %s; the answers from %s's LAN meet this rule first", ident.Line, addrs[0], s.Interface)}}
	}
	return nil
}

// rwFasttrackFix puts defconf's two IPsec accepts above the fasttrack,
// narrowed to established and related connections: defconf's accept
// every new connection IPsec carries, which above a firewall's own rules
// for the road warriors (a drop of the pool to a guest LAN below the
// fasttrack) would let the clients past them. What the fasttrack would
// take is established already; a new connection still meets the rules.
func (p *Plan) rwFasttrackFix(f Finding) []string {
	sel := p.ruleSelector(f.Line)
	return []string{
		fmt.Sprintf("/ip firewall filter add chain=forward action=accept connection-state=established,related ipsec-policy=in,ipsec comment=%s place-before=%s", export.Quote("accept in ipsec policy"), sel),
		fmt.Sprintf("/ip firewall filter add chain=forward action=accept connection-state=established,related ipsec-policy=out,ipsec comment=%s place-before=%s", export.Quote("accept out ipsec policy"), sel),
	}
}
