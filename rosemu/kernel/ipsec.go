package kernel

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// IPsecPolicy is an IPv4 IPsec policy the router holds in its outgoing
// direction: an enabled /ip ipsec policy (not a template), or the
// transport policy RouterOS makes for a GRE, IPIP or EoIP tunnel with an
// ipsec-secret (GRE page: "router adds dynamic IPsec peer to
// remote-address with pre-shared key and policy").
//
// rosemu makes no security association: the lab kernel has no ESP
// (CONFIG_INET_ESP is off on the machines chrlab runs on, so no xfrm
// state can be made), and rosemu speaks no IKE. A policy is therefore
// modelled as on a RouterOS whose tunnel is not up (forum34 D1, D3):
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
// srcnat: priority srcnat + 10, so that the addresses it sees are the
// translated ones.
func renderIPsec(b *strings.Builder, ps []IPsecPolicy) error {
	if len(ps) == 0 {
		return nil
	}
	b.WriteString("\n\t# RouterOS IPsec policies with no SA (rosemu makes none): applied after srcnat\n")
	b.WriteString("\tchain ipsec_policy {\n\t\ttype filter hook postrouting priority srcnat + 10; policy accept;\n")
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
