package kernel

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Matchers that keep state per address (connection-limit, dst-limit) get a
// dynamic set of their own, named after the rule, that the kernel fills as
// packets pass.

// meterMatches renders connection-limit, dst-limit and connection-rate into
// r.late and their sets into r.sets.
func (r *ruleCtx) meterMatches(id string) error {
	if r.has("connection-rate") {
		s, err := r.connRate(id, r.take("connection-rate"))
		if err != nil {
			return fmt.Errorf("connection-rate: %w", err)
		}
		r.late = append(r.late, s)
	}
	if r.has("connection-limit") {
		s, err := r.connLimit(id, r.take("connection-limit"))
		if err != nil {
			return fmt.Errorf("connection-limit: %w", err)
		}
		r.late = append(r.late, s)
	}
	if r.has("dst-limit") {
		s, err := r.dstLimit(id, r.take("dst-limit"))
		if err != nil {
			return fmt.Errorf("dst-limit: %w", err)
		}
		r.late = append(r.late, s)
	}
	return nil
}

// connLimit renders connection-limit=[!]N[,mask]: the rule matches while
// the source address block (the address masked to mask bits) has more
// than N connections; negated, while it has N or fewer.
//
//	100,32  -> add @cl_R { ip saddr & 255.255.255.255 ct count over 100 }
//	!100,32 -> add @cl_R { ip saddr & 255.255.255.255 ct count 100 }
//
// An /ipv6 firewall rule keys on the IPv6 source masked the same way
// (netmask 0-128, the whole address without one).
func (r *ruleCtx) connLimit(id, v string) (string, error) {
	parse, typ, field := parseConnLimit, "ipv4_addr", "ip saddr"
	if r.v6 {
		parse, typ, field = parseConnLimit6, "ipv6_addr", "ip6 saddr"
	}
	n, bits, neg, err := parse(v)
	if err != nil {
		return "", err
	}
	set, err := ident("cl_", id)
	if err != nil {
		return "", err
	}
	r.sets = append(r.sets, fmt.Sprintf("\t# connection-limit of rule %s\n\tset %s {\n\t\ttype %s\n\t\tsize 65535\n\t\tflags dynamic\n\t}\n", id, set, typ))
	var mask string
	if r.v6 {
		mask = maskText6(bits)
	} else {
		mask = maskText(bits)
	}
	over := "over "
	if neg {
		over = ""
	}
	return fmt.Sprintf("add @%s { %s & %s ct count %s%d }", set, field, mask, over, n), nil
}

// maskText6 is the IPv6 netmask of bits ones (ffff:ffff:ffff:ffff:: for 64).
func maskText6(bits int) string {
	var a [16]byte
	for i := 0; i < bits; i++ {
		a[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom16(a).String()
}

// maxConnRate is the largest connection-rate RouterOS takes (bits/s).
const maxConnRate = 4294967295

// connRateSpec is a parsed connection-rate=[!]A-B: the rule matches a
// connection whose rate (bits/s, measured over the last second) lies in
// [lo, hi], or with neg outside it.
type connRateSpec struct {
	lo, hi uint64
	neg    bool
}

// parseConnRate reads [!]A-B in bits per second (k, M, G allowed). The
// wiki gives the grammar "ConnectionRate ::= [!]From-To, From,To ::=
// 0..4294967295" (Manual:Connection_Rate), so both ends are needed and
// neither may pass 4294967295; a descending range is refused as other
// ranges are [verify] RouterOS's answer to one.
func parseConnRate(v string) (connRateSpec, error) {
	neg, r := negated(v)
	a, b, ok := strings.Cut(r, "-")
	lo, ok1 := bitCount(a)
	hi, ok2 := bitCount(b)
	// strconv takes a sign ("+5k"), which is no RouterOS number.
	if !ok || !ok1 || !ok2 || hi < lo || hi > maxConnRate || strings.Contains(r, "+") {
		return connRateSpec{}, fmt.Errorf("parse %q: want [!]A-B bits per second, each 0..4294967295", v)
	}
	return connRateSpec{lo: uint64(lo), hi: uint64(hi), neg: neg}, nil
}

// parseConnLimit reads connection-limit=[!]limit[,netmask]. The CLI
// reference of /ip/firewall/mangle types it "super { !, limit: num,
// [netmask] ,num }" (https://manual.mikrotik.com/docs/cli-reference/ip/firewall/mangle.md):
// the "!" and a value without the netmask were refused before (forum59
// D2). Without a netmask each address counts alone (32), as Linux's
// connlimit, which RouterOS's matcher is, defaults to the full prefix
// length [verify on a CHR].
func parseConnLimit(v string) (n, bits int, neg bool, err error) {
	neg, v = negated(v)
	a, b, ok := strings.Cut(v, ",")
	if !ok {
		b = "32"
	}
	n, err1 := strconv.Atoi(a)
	bits, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || n < 0 || bits < 0 || bits > 32 || strings.HasPrefix(a, "+") || strings.HasPrefix(b, "+") {
		return 0, 0, false, fmt.Errorf("parse %q: want [!]limit[,netmask (0-32)]", v)
	}
	return n, bits, neg, nil
}

// parseConnLimit6 reads an /ipv6 firewall rule's connection-limit: as
// parseConnLimit, with a netmask of 0-128 and 128 when it is left out
// [verify on a CHR: the Filter page types the value "integer,netmask"
// for both families].
func parseConnLimit6(v string) (n, bits int, neg bool, err error) {
	neg, v = negated(v)
	a, b, ok := strings.Cut(v, ",")
	if !ok {
		b = "128"
	}
	n, err1 := strconv.Atoi(a)
	bits, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || n < 0 || bits < 0 || bits > 128 || strings.HasPrefix(a, "+") || strings.HasPrefix(b, "+") {
		return 0, 0, false, fmt.Errorf("parse %q: want [!]limit[,netmask (0-128)]", v)
	}
	return n, bits, neg, nil
}

// ValidConnLimit6 reports whether v is an /ipv6 firewall connection-limit=
// value rosemu renders; the configuration refuses any other at its line.
func ValidConnLimit6(v string) error {
	_, _, _, err := parseConnLimit6(v)
	return err
}

// ValidConnLimit reports whether v is a connection-limit= value rosemu
// renders; the configuration refuses any other at its line.
func ValidConnLimit(v string) error {
	_, _, _, err := parseConnLimit(v)
	return err
}

// DstLimitNeedsPorts reports whether the dst-limit= value's mode keys on
// a port (dst-address-and-port, addresses-and-dst-port), which only a
// rule whose protocol has ports can render.
func DstLimitNeedsPorts(v string) (mode string, ports bool) {
	d, err := parseDstLimit(v)
	if err != nil {
		return "", false
	}
	return d.mode, strings.Contains(d.key.expr, "th ")
}

// ValidConnRate reports whether v is a connection-rate= value: the
// configuration refuses any other at its line (it was taken and failed
// only when the rules were rendered).
func ValidConnRate(v string) error {
	_, err := parseConnRate(v)
	return err
}

// matches reports whether a connection measured at rate bits/s matches.
func (c connRateSpec) matches(rate uint64) bool {
	return (rate >= c.lo && rate <= c.hi) != c.neg
}

// every: the range holds every rate (0-4294967295), so the rule matches
// every TCP or UDP connection and needs no measurement.
func (c connRateSpec) every() bool { return c.lo == 0 && c.hi >= maxConnRate && !c.neg }

// none: the negation of every rate; on RouterOS such a rule matches no
// connection (NeverMatches).
func (c connRateSpec) none() bool { return c.lo == 0 && c.hi >= maxConnRate && c.neg }

// inverse: a connection at rate 0 matches, so the rule's set holds the
// measured connections that do not match and the rule matches the ct ids
// outside it. A connection in its first second (not measured yet) is in
// no set and so reads 0 either way, as on RouterOS.
func (c connRateSpec) inverse() bool { return c.matches(0) }

// connRateHead starts the comment line above a connection-rate set; the
// sampler (connrate.go) reads the value and the set's name back from the
// loaded text.
const connRateHead = "\t# connection-rate="

// connRate renders connection-rate=[!]A-B. RouterOS computes a TCP or UDP
// connection's rate from the change of its byte count (both directions),
// recalculated every second with no averaging (Manual:Connection Rate), so
// a connection's first second reads 0. The kernel cannot measure that
// itself: rosemu's sampler (connrate.go) dumps the conntrack table once a
// second, computes each connection's rate over that second and keeps the
// rule's set of ct ids; the rule looks the packet's connection up in it.
// Where rate 0 matches (inverse), the set holds the measured connections
// that do not match, so that a connection not measured yet matches as
// rate 0 does.
//
//	0-100k    -> meta l4proto { tcp, udp } ct id != @cr_R  (set: measured above 100k)
//	200k-100M -> meta l4proto { tcp, udp } ct id @cr_R     (set: measured within)
func (r *ruleCtx) connRate(id, v string) (string, error) {
	c, err := parseConnRate(v)
	if err != nil {
		return "", err
	}
	if c.none() {
		return "", fmt.Errorf("%q matches no connection", v)
	}
	if c.every() {
		return "meta l4proto { tcp, udp }", nil
	}
	set, err := ident("cr_", id)
	if err != nil {
		return "", err
	}
	holds := "the measured connections that match"
	if c.inverse() {
		holds = "the measured connections that do not match"
	}
	r.sets = append(r.sets, fmt.Sprintf("%s%s of rule %s: %s\n\tset %s {\n\t\ttypeof ct id\n\t}\n", connRateHead, v, id, holds, set))
	return fmt.Sprintf("meta l4proto { tcp, udp } ct id %s@%s", op(c.inverse()), set), nil
}

func maskText(bits int) string {
	m := uint64(0xffffffff) << (32 - bits) & 0xffffffff
	return addrOf(m).String()
}

// dstLimitKeys are the dst-limit modes rosemu models and what they key on:
// RouterOS's five modes (Filter page of the manual: dst-address,
// dst-address-and-port, src-address, src-and-dst-addresses,
// addresses-and-dst-port).
var dstLimitKeys = map[string]struct{ typ, expr string }{
	"dst-address":            {"ipv4_addr", "ip daddr"},
	"src-address":            {"ipv4_addr", "ip saddr"},
	"src-and-dst-addresses":  {"ipv4_addr . ipv4_addr", "ip saddr . ip daddr"},
	"dst-address-and-port":   {"ipv4_addr . inet_service", "ip daddr . th dport"},
	"addresses-and-dst-port": {"ipv4_addr . ipv4_addr . inet_service", "ip saddr . ip daddr . th dport"},
}

// dstLimitKeys6 are dstLimitKeys for an /ipv6 firewall rule.
var dstLimitKeys6 = map[string]struct{ typ, expr string }{
	"dst-address":            {"ipv6_addr", "ip6 daddr"},
	"src-address":            {"ipv6_addr", "ip6 saddr"},
	"src-and-dst-addresses":  {"ipv6_addr . ipv6_addr", "ip6 saddr . ip6 daddr"},
	"dst-address-and-port":   {"ipv6_addr . inet_service", "ip6 daddr . th dport"},
	"addresses-and-dst-port": {"ipv6_addr . ipv6_addr . inet_service", "ip6 saddr . ip6 daddr . th dport"},
}

// dstLimit renders dst-limit=rate[/period],burst,mode[/expire]: like limit,
// but one bucket per key of the mode; buckets idle for expire are dropped.
//
//	10/1s,5,dst-address/1m -> update @dl_R { ip daddr limit rate 10/second burst 5 packets }
//
// dstLimitSpec is a parsed dst-limit value.
type dstLimitSpec struct {
	n          int64
	unit, mode string
	burst      int
	expire     int64
	key        struct{ typ, expr string }
}

// parseDstLimit reads rate[/period],burst,mode[/expire]; the period is any
// time, as for limit.
func parseDstLimit(v string) (dstLimitSpec, error) {
	var d dstLimitSpec
	parts := strings.Split(v, ",")
	if len(parts) < 1 || len(parts) > 3 {
		return d, fmt.Errorf("parse %q: want rate[/period],burst,mode[/expire]", v)
	}
	rate, period, _ := strings.Cut(parts[0], "/")
	n0, err := strconv.ParseInt(rate, 10, 64)
	n, unit, ok := limitRate(n0, period)
	if err != nil || !ok {
		return d, fmt.Errorf("parse rate %q: want count[/time]", parts[0])
	}
	d.n, d.unit, d.burst = n, unit, 5
	if len(parts) > 1 && parts[1] != "" {
		if d.burst, err = strconv.Atoi(parts[1]); err != nil || d.burst < 0 {
			return d, fmt.Errorf("parse burst %q", parts[1])
		}
	}
	mode, expire := "dst-address", "10m"
	if len(parts) > 2 {
		m, e, hasExp := strings.Cut(parts[2], "/")
		mode = m
		if hasExp {
			expire = e
		}
	}
	key, ok := dstLimitKeys[mode]
	if !ok {
		return d, fmt.Errorf("invalid mode %s (dst-address, dst-address-and-port, src-address, src-and-dst-addresses, addresses-and-dst-port)", mode)
	}
	secs, ok := durationSeconds(expire)
	if !ok || secs < 1 {
		return d, fmt.Errorf("parse expire %q", expire)
	}
	d.mode, d.key, d.expire = mode, key, secs
	return d, nil
}

func (r *ruleCtx) dstLimit(id, v string) (string, error) {
	d, err := parseDstLimit(v)
	if err != nil {
		return "", err
	}
	key, mode, secs, burst := d.key, d.mode, d.expire, d.burst
	if r.v6 {
		key = dstLimitKeys6[mode]
	}
	if strings.Contains(key.expr, "th ") && (!portProtocols[r.proto] || r.protoNeg) {
		return "", fmt.Errorf("mode %s needs a protocol with ports on the same rule", mode)
	}
	set, err := ident("dl_", id)
	if err != nil {
		return "", err
	}
	r.sets = append(r.sets, fmt.Sprintf("\t# dst-limit of rule %s\n\tset %s {\n\t\ttype %s\n\t\tsize 65535\n\t\tflags dynamic, timeout\n\t\ttimeout %ds\n\t}\n", id, set, key.typ, secs))
	s := fmt.Sprintf("update @%s { %s limit rate %d/%s", set, key.expr, d.n, d.unit)
	if burst > 0 {
		s += fmt.Sprintf(" burst %d packets", burst)
	}
	return s + " }", nil
}

// meterPrefixes start the names of the sets meterMatches declares.
var meterPrefixes = []string{"cl_", "dl_", "cr_"}

// keepMeters lets the per-address state of connection-limit and dst-limit
// (the elements of their sets, each holding its connections or its bucket)
// live through a reload, as RouterOS does not forget a rule's counts when
// something else in the configuration changes [verify]: replacing the
// table would empty them on every change, a scheduler's address-list
// update or a netwatch route switch included. A meter set is kept when it
// and every rule line that names it are the same in prev (the text loaded
// last) and next; then loaded, the text about to be loaded, empties and
// deletes the old chains and the other sets instead of the whole table,
// and its declaration of the kept set adds nothing to it. A changed rule
// starts from empty sets, as its elements hold the old limit. A
// connection-rate set, which the sampler fills, is kept the same way, so
// that its connections keep their measured rates through the reload. It
// returns the names of the sets kept (nil when the table is replaced).
// family is the table's, "ip" or "ip6": the IPv6 firewall's meters live
// through its reloads as the IPv4 firewall's do.
func keepMeters(family, prev, next, loaded string) (string, map[string]bool) {
	if prev == "" {
		return loaded, nil
	}
	keep := map[string]bool{}
	for _, name := range declared(prev, "set") {
		if !hasMeterPrefix(name) {
			continue
		}
		old, ok1 := setBlock(prev, name)
		cur, ok2 := setBlock(next, name)
		if ok1 && ok2 && old == cur && slices.Equal(usesOf(prev, name), usesOf(next, name)) {
			keep[name] = true
		}
	}
	header := fmt.Sprintf("table %s %s {}\ndelete table %s %s\n", family, TableName, family, TableName)
	if len(keep) == 0 || !strings.Contains(loaded, header) {
		return loaded, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "table %s %s {}\n", family, TableName)
	chains := declared(prev, "chain")
	// Rules first (a jump is a reference), then the chains, then the
	// sets nothing names any more.
	for _, c := range chains {
		fmt.Fprintf(&b, "flush chain %s %s %s\n", family, TableName, c)
	}
	for _, c := range chains {
		fmt.Fprintf(&b, "delete chain %s %s %s\n", family, TableName, c)
	}
	for _, s := range declared(prev, "set") {
		if !keep[s] {
			fmt.Fprintf(&b, "delete set %s %s %s\n", family, TableName, s)
		}
	}
	// The rules' limit objects (limitObject) start afresh, as an
	// anonymous limit in a replaced table did; the text declares them
	// again.
	for _, o := range declared(prev, "limit") {
		fmt.Fprintf(&b, "delete limit %s %s %s\n", family, TableName, o)
	}
	return strings.Replace(loaded, header, b.String(), 1), keep
}

func hasMeterPrefix(name string) bool {
	for _, p := range meterPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// declared lists the names of the table's sets or chains ("\tset NAME {").
func declared(text, kind string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(l, "\t"+kind+" "); ok {
			if name, ok := strings.CutSuffix(rest, " {"); ok {
				out = append(out, name)
			}
		}
	}
	return out
}

// setBlock is the declaration of set name, from its line to its "\t}".
func setBlock(text, name string) (string, bool) {
	head := "\tset " + name + " {\n"
	i := strings.Index(text, head)
	if i < 0 {
		return "", false
	}
	j := strings.Index(text[i:], "\n\t}\n")
	if j < 0 {
		return "", false
	}
	return text[i : i+j], true
}

// usesOf lists the lines that name set name (@name), in order.
func usesOf(text, name string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "@"+name+" ") {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}
