package kernel

import (
	"fmt"
	"slices"
	"strings"
)

// CTTableName is the nftables table (family inet) of /ip firewall
// connection tracking: the timeout policies every new connection gets,
// and with enabled=no the rule that tracks none.
const CTTableName = "rosemu_ct"

// Tracking is /ip firewall connection tracking as the kernel applies it.
// The timeouts are RouterOS's (its defaults where the configuration sets
// none: udp-timeout 10s, tcp-established-timeout 1d, ...), not Linux's
// (30 s and 5 days), so an idle UDP mapping or TCP connection lives as
// long as on a RouterOS router. Each is an nftables ct timeout policy that
// a rule right after conntrack attaches to every new TCP and UDP
// connection, which nft offers for these two protocols only (icmp-timeout
// and generic-timeout stay the kernel's). Source: the Connection tracking
// page, https://help.mikrotik.com/docs/display/ROS/Connection+tracking.
type Tracking struct {
	// Off is enabled=no: RouterOS tracks no connection, so NAT and the
	// connection-state matchers stop working (every packet is untracked).
	Off bool
	// TCP and UDP are the timeouts in seconds by nft's state names:
	// syn_sent, syn_recv, established, fin_wait, close_wait, last_ack,
	// time_wait, close, retrans, unack; unreplied, replied.
	TCP, UDP map[string]int
}

// ctTCPStates and ctUDPStates are nft's state names in its order.
var (
	ctTCPStates = []string{"syn_sent", "syn_recv", "established", "fin_wait", "close_wait", "last_ack", "time_wait", "close", "retrans", "unack"}
	ctUDPStates = []string{"unreplied", "replied"}
)

// RenderCT returns the nft script that replaces the tracking table; "" for
// a state without Tracking (the kernel's own settings stay).
func RenderCT(st *State) string {
	t := st.Tracking
	if t == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "table inet %s {}\ndelete table inet %s\ntable inet %s {\n", CTTableName, CTTableName, CTTableName)
	policy := func(states []string, secs map[string]int) string {
		var parts []string
		for _, s := range states {
			if v, ok := secs[s]; ok {
				parts = append(parts, fmt.Sprintf("%s : %d", s, max(v, 1)))
			}
		}
		return strings.Join(parts, ", ")
	}
	var set []string
	for _, fam := range []struct{ nf, l3, v string }{{"ipv4", "ip", "4"}, {"ipv6", "ip6", "6"}} {
		for _, p := range []struct {
			proto  string
			states []string
			secs   map[string]int
		}{{"tcp", ctTCPStates, t.TCP}, {"udp", ctUDPStates, t.UDP}} {
			pol := policy(p.states, p.secs)
			if pol == "" {
				continue
			}
			name := p.proto + fam.v
			fmt.Fprintf(&b, "\tct timeout %s {\n\t\tprotocol %s; l3proto %s\n\t\tpolicy = { %s }\n\t}\n", name, p.proto, fam.l3, pol)
			set = append(set, fmt.Sprintf("meta nfproto %s meta l4proto %s ct timeout set %q", fam.nf, p.proto, name))
		}
	}
	// Both hooks a new connection can start at. The policy goes on the
	// entry conntrack (priority -200) has just made and not yet confirmed,
	// so its chains come right after conntrack; notrack must come before
	// it, at raw.
	for _, hook := range []string{"prerouting", "output"} {
		if t.Off {
			fmt.Fprintf(&b, "\tchain %s_off {\n\t\ttype filter hook %s priority raw - 10; policy accept;\n", hook, hook)
			fmt.Fprintf(&b, "\t\tnotrack comment \"connection tracking enabled=no\"\n\t}\n")
		}
		fmt.Fprintf(&b, "\tchain %s {\n\t\ttype filter hook %s priority -190; policy accept;\n", hook, hook)
		for _, s := range set {
			fmt.Fprintf(&b, "\t\t%s\n", s)
		}
		fmt.Fprintf(&b, "\t}\n")
	}
	fmt.Fprintf(&b, "}\n")
	return b.String()
}

// noCTTimeout is the warning of a kernel that refuses the table (no
// nf_conntrack_timeout): the timeouts stay the kernel's.
const noCTTimeout = "the kernel refused conntrack timeout policies (nf_conntrack_timeout): connection tracking timeouts are the kernel's (udp 30s, tcp established 5d), not RouterOS's"

// syncTracking loads the tracking table when it changed. A kernel without
// timeout policies keeps its own and the router says so once; the rest of
// the configuration applies.
func (d *Dataplane) syncTracking(st *State) {
	text := RenderCT(st)
	if text == d.appliedCT {
		return
	}
	if text == "" {
		text = fmt.Sprintf("table inet %s {}\ndelete table inet %s\n", CTTableName, CTTableName)
	}
	if err := d.loadRuleset(text); err != nil {
		if w := noCTTimeout + ": " + err.Error(); !slices.ContainsFunc(d.warnings, func(s string) bool { return strings.HasPrefix(s, noCTTimeout) }) {
			d.warnings = append(d.warnings, w)
		}
		return
	}
	d.appliedCT = RenderCT(st)
}
