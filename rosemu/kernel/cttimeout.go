package kernel

import (
	"fmt"
	"slices"
	"strings"
)

// CTTableName is the nftables table (family inet) of /ip firewall
// connection tracking: the timeout policies every new connection gets,
// and with enabled=no the rule that tracks none; with enabled=auto the
// tables of that name in families ip and ip6 hold the notrack rule of a
// family without firewall rules.
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
	// IdleIPv4 and IdleIPv6 are enabled=auto with no firewall rule of that
	// family: RouterOS tracks nothing until a rule needs it (Connection
	// tracking page), so the family's packets are untracked as with Off.
	IdleIPv4, IdleIPv6 bool
	// TCP and UDP are the timeouts in seconds by nft's state names:
	// syn_sent, syn_recv, established, fin_wait, close_wait, last_ack,
	// time_wait, close, retrans, unack; unreplied, replied.
	TCP, UDP map[string]int
	// ICMP and Generic are icmp-timeout and generic-timeout in seconds (0:
	// leave the kernel's). nft has timeout policies for TCP and UDP only,
	// so these go to the namespace's nf_conntrack_icmp_timeout,
	// nf_conntrack_icmpv6_timeout and nf_conntrack_generic_timeout, which
	// are per network namespace.
	ICMP, Generic int
}

// trackingSysctls are the sysctls the tracking settings write, with their
// values ("" leaves one alone).
func (t *Tracking) trackingSysctls() [][2]string {
	var out [][2]string
	if t.ICMP > 0 {
		v := fmt.Sprint(t.ICMP)
		out = append(out, [2]string{"net.netfilter.nf_conntrack_icmp_timeout", v}, [2]string{"net.netfilter.nf_conntrack_icmpv6_timeout", v})
	}
	if t.Generic > 0 {
		out = append(out, [2]string{"net.netfilter.nf_conntrack_generic_timeout", fmt.Sprint(t.Generic)})
	}
	return out
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
	b.WriteString(resetCT)
	fmt.Fprintf(&b, "table inet %s {\n", CTTableName)
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
		if len(set) > 0 {
			fmt.Fprintf(&b, "\t\t%s\n", unconfirmedOnly)
		}
		for _, s := range set {
			fmt.Fprintf(&b, "\t\t%s\n", s)
		}
		fmt.Fprintf(&b, "\t}\n")
	}
	fmt.Fprintf(&b, "}\n")
	// enabled=auto leaves a family without firewall rules untracked. Its
	// notrack chains go in a table of that family alone, not in the inet
	// table: a base chain of an inet table sees both families, and every
	// IPv4 packet of a router without IPv6 rules (most labs) crossed two
	// chains to be told it was not IPv6 (issue 12's hairpin path).
	if !t.Off {
		for _, f := range []struct {
			idle    bool
			fam, nf string
		}{{t.IdleIPv4, "ip", "ipv4"}, {t.IdleIPv6, "ip6", "ipv6"}} {
			if !f.idle {
				continue
			}
			fmt.Fprintf(&b, "table %s %s {\n", f.fam, CTTableName)
			for _, hook := range []string{"prerouting", "output"} {
				fmt.Fprintf(&b, "\tchain %s_off {\n\t\ttype filter hook %s priority raw - 10; policy accept;\n", hook, hook)
				fmt.Fprintf(&b, "\t\tnotrack comment \"connection tracking enabled=auto: no %s firewall rule\"\n\t}\n", f.nf)
			}
			fmt.Fprintf(&b, "}\n")
		}
	}
	return b.String()
}

// resetCT creates and deletes every table of the tracking settings (a
// no-op for one that exists and a cleared name for the rest), so that the
// script that follows replaces them in one transaction and a family no
// longer idle loses its notrack table.
var resetCT = func() string {
	var b strings.Builder
	for _, fam := range []string{"inet", "ip", "ip6"} {
		fmt.Fprintf(&b, "table %s %s {}\ndelete table %s %s\n", fam, CTTableName, fam, CTTableName)
	}
	return b.String()
}()

// noCTTimeout is the warning of a kernel that refuses the table (no
// nf_conntrack_timeout): the timeouts stay the kernel's.
const noCTTimeout = "the kernel refused conntrack timeout policies (nf_conntrack_timeout): connection tracking timeouts are the kernel's (udp 30s, tcp established 5d), not RouterOS's"

// syncTracking loads the tracking table when it changed. A kernel without
// timeout policies keeps its own and the router says so once; the rest of
// the configuration applies.
func (d *Dataplane) syncTracking(st *State) {
	if st.Tracking != nil {
		d.syncTrackingSysctls(st.Tracking)
	}
	text := RenderCT(st)
	if text == d.appliedCT {
		return
	}
	if text == "" {
		text = resetCT
	}
	if err := d.loadRuleset(text); err != nil {
		if w := noCTTimeout + ": " + err.Error(); !slices.ContainsFunc(d.warnings, func(s string) bool { return strings.HasPrefix(s, noCTTimeout) }) {
			d.warnings = append(d.warnings, w)
		}
		return
	}
	d.appliedCT = RenderCT(st)
}

// noCTSysctl is the warning of a namespace whose ICMP or generic timeout
// rosemu could not write: those entries keep the kernel's timeout.
const noCTSysctl = "connection tracking: could not set the kernel's timeout"

// syncTrackingSysctls writes icmp-timeout and generic-timeout to the
// router namespace's conntrack sysctls when they differ from what is there,
// so an ICMP entry lives RouterOS's 10 s, not Linux's 30 s. A failure is
// warned once per sysctl; the rest of the configuration applies.
func (d *Dataplane) syncTrackingSysctls(t *Tracking) {
	for _, kv := range t.trackingSysctls() {
		if cur, err := readSysctl(d.ns, kv[0]); err == nil && cur == kv[1] {
			continue
		}
		if err := writeSysctl(d.ns, kv[0], kv[1]); err != nil {
			w := noCTSysctl + " " + kv[0] + ": " + err.Error()
			if !slices.ContainsFunc(d.warnings, func(s string) bool { return strings.HasPrefix(s, noCTSysctl+" "+kv[0]) }) {
				d.warnings = append(d.warnings, w)
			}
		}
	}
}

// unconfirmedOnly opens the timeout chains: a timeout policy takes only on
// an entry the kernel has not confirmed yet, so only a connection's first
// packet needs the chain's rules. Not newOnly's "ct state != new": the first
// packet of a related connection (an FTP data connection) is "related", not
// "new", and would have skipped the configured timeouts (review of the
// change that added newOnly).
const unconfirmedOnly = "ct status confirmed accept"
