package kernel

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// IPsecPolicy is an IPv4 IPsec policy the router holds in its outgoing
// direction: an enabled /ip ipsec policy (not a template), or the
// transport policy RouterOS makes for a GRE, IPIP or EoIP tunnel with an
// ipsec-secret (GRE page: "router adds dynamic IPsec peer to
// remote-address with pre-shared key and policy").
//
// The lab kernel has no ESP (CONFIG_INET_ESP is off on the machines
// chrlab runs on, so no xfrm state can be made): rosemu/service/ipsec
// runs strongSwan with ESP in user space, and a policy whose SA it
// installed (Tun) sends what it covers into its TUN. A policy without one
// is modelled as on a RouterOS whose tunnel is not up (forum34 D1, D3):
// what it covers with action=encrypt and level=require or unique is
// dropped ("require - drop packet and acquire SA", IPsec page,
// https://help.mikrotik.com/docs/display/ROS/IPsec), level=use lets it
// go in clear text ("skip this transform if no SA is available"),
// action=discard drops and action=none lets it go. The match is made
// after srcnat, as RouterOS's is (the IPsec page's "NAT and Fasttrack
// Bypass": a masqueraded packet no longer matches the policy), and
// ipsec-policy=out,ipsec|none matches by the same selectors (ipsecOut).
type IPsecPolicy struct {
	What     string // for the rule's comment: "ipsec policy *3", "gre1 ipsec-secret"
	Src, Dst []netip.Prefix
	Proto    int    // 0: all protocols
	SrcPort  string // a RouterOS port or range, "" for any
	DstPort  string
	Action   string // encrypt, discard or none
	Level    string // require, unique or use
	// Tun is the TUN of strongSwan's user-space ESP while the policy's SA
	// is installed (rosemu/service/ipsec), "" while it is not: what the
	// policy covers is then sent into the TUN, where charon encrypts it.
	Tun string
}

// ipsecSentMark is the skb priority the original of a packet sent into
// ESP carries after its copy went to the TUN: the egress table
// (RenderIPsecEgress) drops it on every link, after connection tracking
// confirmed its connection. Dropping it in postrouting would leave the
// connection unconfirmed, and every reply would be a new connection. A
// priority and not a mark: rosemu's marks take all 32 bits (marks.go),
// and no queue class has major 0xfffe.
const ipsecSentMark = "fffe:e5"

// IPsecTun is the TUN strongSwan's kernel-libipsec makes in the router's
// namespace (its first, "ipsec%d"), which the decrypted packets come out
// of: what ipsec-policy=in,ipsec matches.
const IPsecTun = "ipsec0"

// IPsecEgressTable is the netdev table of that drop.
const IPsecEgressTable = "rosemu_ipsec"

// ipsecCarried says whether a policy of st is carried by an SA now.
func ipsecCarried(st *State) bool {
	for _, p := range st.IPsecPolicies {
		if p.Tun != "" && p.Action == "encrypt" {
			return true
		}
	}
	return false
}

// RenderIPsecEgress writes the egress table on the links devs (every link
// of the router but the TUN and lo): it drops the originals of the
// packets sent into ESP (ipsecSentMark). Without a carried policy the
// text only deletes the table.
func RenderIPsecEgress(st *State, devs []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "table netdev %s {}\ndelete table netdev %s\n", IPsecEgressTable, IPsecEgressTable)
	if !ipsecCarried(st) || len(devs) == 0 {
		return b.String()
	}
	q := make([]string, len(devs))
	for i, d := range devs {
		q[i] = strconv.Quote(d)
	}
	fmt.Fprintf(&b, "table netdev %s {\n\tchain egress {\n\t\ttype filter hook egress devices = { %s } priority 0; policy accept;\n", IPsecEgressTable, strings.Join(q, ", "))
	fmt.Fprintf(&b, "\t\tmeta priority %s counter drop comment \"sent into ESP: the clear original\"\n\t}\n}\n", ipsecSentMark)
	return b.String()
}

// ipsecOutSet is the set of the (source, destination) prefixes of the
// policies that send what they cover into IPsec, for the ipsec-policy=out
// matcher.
const ipsecOutSet = "ipsec_out"

// holds reports whether the policy, with no SA, keeps what it covers from
// leaving in clear text: encrypt at level require or unique, or discard.
func (p IPsecPolicy) holds() bool {
	return p.Action == "discard" || p.Action != "none" && p.Level != "use"
}

// usesIPsecOut says whether a rule of st matches ipsec-policy=out,...:
// then the set is written, with no policy too (empty).
func usesIPsecOut(st *State) bool {
	for _, rs := range [][]Rule{st.Filter, st.NAT, st.Mangle, st.Raw} {
		for _, r := range rs {
			if strings.HasPrefix(r.Props["ipsec-policy"], "out") {
				return true
			}
		}
	}
	return false
}

// renderIPsecSet writes the set ipsec-policy=out matches, before the
// chains that refer to it, when a rule uses it or a policy exists.
func renderIPsecSet(b *strings.Builder, st *State) {
	ps := st.IPsecPolicies
	if len(ps) == 0 && !usesIPsecOut(st) {
		return
	}
	var elems []string
	for _, p := range ps {
		if p.Action != "encrypt" || p.Level == "use" || p.Proto != 0 || p.SrcPort != "" || p.DstPort != "" {
			continue
		}
		for _, s := range p.Src {
			for _, d := range p.Dst {
				if e := s.Masked().String() + " . " + d.Masked().String(); !slices.Contains(elems, e) {
					elems = append(elems, e)
				}
			}
		}
	}
	fmt.Fprintf(b, "\n\t# RouterOS IPsec policies (out): what ipsec-policy=out,ipsec matches; rosemu makes no SA\n")
	fmt.Fprintf(b, "\tset %s {\n\t\ttype ipv4_addr . ipv4_addr\n\t\tflags interval\n", ipsecOutSet)
	if len(elems) > 0 {
		fmt.Fprintf(b, "\t\telements = { %s }\n", strings.Join(elems, ", "))
	}
	b.WriteString("\t}\n")
}

// renderIPsec writes, with policies, the chain that applies them after
// srcnat, so that the addresses it sees are the translated ones: at
// priority 450, after the queue tree's chains (300, 400), which set the
// skb priority that ipsecSentMark takes over.
//
// With a fasttrack rule (fasttrack: its connections are labelled), a
// fasttracked connection's packets skip the policies and leave as they
// are, in clear text: RouterOS's fast path bypasses IPsec policy lookup,
// which is why defconf accepts ipsec-policy=in,ipsec and out,ipsec before
// its fasttrack rule (the IPsec page's "NAT and Fasttrack Bypass",
// https://help.mikrotik.com/docs/display/ROS/IPsec).
func renderIPsec(b *strings.Builder, ps []IPsecPolicy, fasttrack bool) error {
	if len(ps) == 0 {
		return nil
	}
	b.WriteString("\n\t# RouterOS IPsec policies, applied after srcnat: an installed SA's into its TUN, the others as with no SA\n")
	b.WriteString("\tchain ipsec_policy {\n\t\ttype filter hook postrouting priority 450; policy accept;\n")
	var tuns []string
	for _, p := range ps {
		if p.Tun != "" && !slices.Contains(tuns, p.Tun) {
			tuns = append(tuns, p.Tun)
			// The copy sent into the TUN crosses postrouting again.
			fmt.Fprintf(b, "\t\toifname %q accept\n", p.Tun)
		}
	}
	if fasttrack {
		fmt.Fprintf(b, "\t\tct label %d counter accept comment \"fasttracked: bypasses the IPsec policies\"\n", fasttrackLabel)
	}
	for _, p := range ps {
		var m []string
		if len(p.Src) > 0 {
			m = append(m, "ip saddr "+prefixSet(p.Src))
		}
		if len(p.Dst) > 0 {
			m = append(m, "ip daddr "+prefixSet(p.Dst))
		}
		if p.Proto != 0 {
			m = append(m, "meta l4proto "+protoText(p.Proto))
		}
		for _, x := range []struct{ field, v string }{{"th sport", p.SrcPort}, {"th dport", p.DstPort}} {
			if x.v == "" {
				continue
			}
			s, err := portSet(x.v)
			if err != nil {
				return fmt.Errorf("%s: %w", p.What, err)
			}
			m = append(m, x.field+" "+s)
		}
		verdict, why := "accept", "action=none"
		switch {
		case p.Action == "encrypt" && p.Tun != "":
			verdict, why = fmt.Sprintf("dup to ip daddr device %q meta priority set %s accept", p.Tun, ipsecSentMark), "SA installed: into ESP"
		case p.Action == "discard":
			verdict, why = "drop", "action=discard"
		case p.holds():
			verdict, why = "drop", "no SA, level="+p.Level
		case p.Action != "none":
			why = "no SA, level=use: clear text"
		}
		m = append(m, "counter", verdict, "comment "+quoteText(p.What+": "+why, maxComment))
		b.WriteString("\t\t" + strings.Join(m, " ") + "\n")
	}
	b.WriteString("\t}\n")
	return nil
}

// ProtocolNumber is the IP protocol a RouterOS protocol value names
// ("gre", "tcp", "47").
func ProtocolNumber(v string) (int, error) { return parseProtocol(v) }

// ipsecTunPresent returns st, or a copy whose policies carry nothing when
// the TUN they name is gone (charon exited): a rule naming a missing
// device would fail the whole ruleset.
func (d *Dataplane) ipsecTunPresent(st *State) *State {
	if !ipsecCarried(st) {
		return st
	}
	if _, err := d.nl.LinkByName(IPsecTun); err == nil {
		return st
	}
	cp := *st
	cp.IPsecPolicies = slices.Clone(st.IPsecPolicies)
	for i := range cp.IPsecPolicies {
		cp.IPsecPolicies[i].Tun = ""
	}
	return &cp
}

// syncIPsecEgress loads the egress table on every link of the namespace
// but lo and the TUN while a policy is carried, and deletes it after.
func (d *Dataplane) syncIPsecEgress(st *State) error {
	var devs []string
	if ipsecCarried(st) {
		links, err := d.nl.LinkList()
		if err != nil {
			return err
		}
		for _, l := range links {
			if n := l.Attrs().Name; n != "lo" && n != IPsecTun {
				devs = append(devs, n)
			}
		}
		slices.Sort(devs)
	}
	text := RenderIPsecEgress(st, devs)
	if len(devs) == 0 {
		text = RenderIPsecEgress(&State{}, nil)
	}
	if (len(devs) == 0 && d.appliedEgress == "") || text == d.appliedEgress {
		return nil
	}
	if err := d.loadRuleset(text); err != nil {
		return err
	}
	d.appliedEgress = ""
	if len(devs) > 0 {
		d.appliedEgress = text
	}
	return nil
}

// ipsecNewLink puts the egress drop on a link made after the last Apply
// (a PPPoE session's, a tunnel's) while a policy is carried: the original
// of a packet sent into ESP that leaves by it would otherwise go out in
// clear text beside its encrypted copy until the next commit.
func (d *Dataplane) ipsecNewLink(name string) {
	d.mu.Lock()
	var err error
	if d.last != nil && ipsecCarried(d.last) {
		err = d.syncIPsecEgress(d.last)
	}
	d.mu.Unlock()
	if err != nil {
		d.warn(fmt.Sprintf("link %s: put the IPsec egress drop on it: %v", name, err))
	}
}
