package kernel

import (
	"fmt"
	"strconv"
	"strings"
)

// mangleMatches renders the matchers that filter, nat, mangle and raw share
// beyond the basic ones of render: marks, the per-connection classifier,
// TCP and IP header fields, rates and chance. Each returns one expression
// but a negated tcp-mss, which comes back as the variants of the rule's
// lines (tcpMSSMatch); nil without one.
func (r *ruleCtx) mangleMatches(add func(string, error) error) ([][]string, error) {
	if r.table == "raw" {
		for _, p := range []string{"connection-state", "connection-nat-state", "connection-mark", "connection-bytes", "connection-limit", "connection-rate", "connection-type"} {
			if r.has(p) {
				return nil, fmt.Errorf("%s: not available in /ip firewall raw, which runs before connection tracking", p)
			}
		}
	}
	var variants [][]string
	type m struct {
		prop string
		fn   func(v string) (string, error)
	}
	for _, x := range []m{
		{"connection-mark", r.connMarkMatch},
		{"packet-mark", r.packetMarkMatch},
		{"routing-mark", r.routingMarkMatch},
		{"per-connection-classifier", pccMatch},
		{"tcp-flags", r.tcpFlagsMatch},
		{"tcp-mss", nil}, // tcpMSSMatch, which may give variants
		{"icmp-options", r.icmpOptionsMatch},
		{"packet-size", func(v string) (string, error) { return rangeMatch("ip length", v, 0, 65535) }},
		{"dscp", func(v string) (string, error) { return rangeMatch("ip dscp", v, 0, 63) }},
		{"ttl", ttlMatch},
		{"fragment", fragmentMatch},
		{"ipv4-options", ipv4OptionsMatch},
		{"connection-bytes", connBytesMatch},
		{"src-mac-address", r.srcMACMatch},
		{"time", timeMatch},
		// Stateful matchers (a token bucket, a packet counter) come last,
		// after every other match of the rule, so that only packets the
		// rule otherwise matches use them up.
		{"random", randomMatch},
		{"nth", nthMatch},
		{"limit", r.limitObject},
	} {
		if !r.has(x.prop) {
			continue
		}
		if x.prop == "tcp-mss" {
			s, mv, err := r.tcpMSSMatch(r.take(x.prop))
			if err := add(s, err); err != nil {
				return nil, fmt.Errorf("tcp-mss: %w", err)
			}
			variants = mv
			continue
		}
		s, err := x.fn(r.take(x.prop))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", x.prop, err)
		}
		switch x.prop {
		case "random", "nth", "limit":
			r.late = append(r.late, s)
		default:
			if err := add(s, nil); err != nil {
				return nil, err
			}
		}
	}
	return variants, nil
}

// connection-mark=[!]name -> ct mark & 0x00ffffff [!=] N; no-mark is 0. The
// mask leaves out the helper bits (marks.go).
func (r *ruleCtx) connMarkMatch(v string) (string, error) {
	neg, name := negated(v)
	n, err := r.marks.connMark(name)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("ct mark & 0x%08x %s0x%x", uint32(connMarkMask), op(neg), n), nil
}

// packet-mark=[!]name -> meta mark & 0x00ffff00 [!=] N<<8.
func (r *ruleCtx) packetMarkMatch(v string) (string, error) {
	neg, name := negated(v)
	n, err := r.marks.packetMark(name)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("meta mark & 0x%08x %s0x%x", uint32(packetMarkMask), op(neg), n), nil
}

// routing-mark=[!]table -> meta mark & 0xff [!=] table id.
func (r *ruleCtx) routingMarkMatch(v string) (string, error) {
	neg, name := negated(v)
	n, err := r.marks.routingMark(name)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("meta mark & 0x%02x %s0x%x", routingMarkMask, op(neg), n), nil
}

// pccFields maps the classifier's fields to the hashed nft expressions.
var pccFields = map[string]string{
	"src-address":              "ip saddr",
	"dst-address":              "ip daddr",
	"both-addresses":           "ip saddr . ip daddr",
	"src-port":                 "th sport",
	"dst-port":                 "th dport",
	"both-ports":               "th sport . th dport",
	"src-address-and-port":     "ip saddr . th sport",
	"dst-address-and-port":     "ip daddr . th dport",
	"both-addresses-and-ports": "ip saddr . th sport . ip daddr . th dport",
}

// pccMatch renders per-connection-classifier=[!]fields:N/M: the packet
// belongs to class M of N by a hash of the fields. The hash is the same for
// every packet of a connection in its original direction, which is all
// RouterOS promises (rules pair it with connection-mark=no-mark).
//
//	both-addresses:2/1 -> jhash ip saddr . ip daddr mod 2 seed 0x0 == 1
func pccMatch(v string) (string, error) {
	c, err := parsePCC(v)
	if err != nil {
		return "", err
	}
	// A remainder of N or more is no class of N: the hash, taken mod N,
	// never equals it. Negated, the matcher always holds and adds nothing;
	// plain, the rule never matches and NeverMatches leaves it out (nft
	// refuses the comparison as out of range).
	if c.never() {
		if c.neg {
			return "", nil
		}
		return "", fmt.Errorf("parse %q: remainder %d is no class of %d: the rule never matches", v, c.num, c.den)
	}
	cmp := "== "
	if c.neg {
		cmp = "!= "
	}
	return fmt.Sprintf("jhash %s mod %d seed 0x0 %s%d", c.expr, c.den, cmp, c.num), nil
}

// pcc is a parsed per-connection-classifier=[!]fields:N/M.
type pcc struct {
	neg      bool
	expr     string // the hashed fields in nft's words
	den, num uint64
}

// never reports whether the remainder is no class of the denominator.
func (c pcc) never() bool { return c.num >= c.den }

func parsePCC(v string) (pcc, error) {
	neg, v := negated(v)
	field, rest, ok := strings.Cut(v, ":")
	expr := pccFields[field]
	n, m, ok2 := strings.Cut(rest, "/")
	den, err1 := strconv.ParseUint(n, 10, 32)
	num, err2 := strconv.ParseUint(m, 10, 32)
	if !ok || !ok2 || expr == "" || err1 != nil || err2 != nil || den < 1 {
		return pcc{}, fmt.Errorf("parse %q: want [!]<fields>:N/M with N 1..4294967295 and M 0..4294967295, fields one of both-addresses, both-addresses-and-ports, both-ports, src-address, dst-address, src-port, dst-port, src-address-and-port, dst-address-and-port", v)
	}
	return pcc{neg: neg, expr: expr, den: den, num: num}, nil
}

var tcpFlagNames = []string{"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"}

// tcpFlagsMatch renders tcp-flags=syn,!ack: every named flag set, every
// negated flag clear.
//
//	syn,!ack -> tcp flags & (syn | ack) == syn
func (r *ruleCtx) tcpFlagsMatch(v string) (string, error) {
	if r.proto != 6 || r.protoNeg {
		return "", fmt.Errorf("needs protocol=tcp on the same rule")
	}
	var mask, set []string
	for _, f := range strings.Split(v, ",") {
		neg, name := negated(f)
		if !contains(tcpFlagNames, name) {
			return "", fmt.Errorf("parse flag %q: want fin, syn, rst, psh, ack, urg, ece or cwr, each with an optional !", f)
		}
		if name == "ece" {
			// nft calls the ECN-Echo flag (0x40) "ecn", and refuses
			// "ece": "Could not parse TCP flag".
			name = "ecn"
		}
		mask = append(mask, name)
		if !neg {
			set = append(set, name)
		}
	}
	val := "0x0"
	if len(set) > 0 {
		val = strings.Join(set, " | ")
	}
	return "tcp flags & (" + strings.Join(mask, " | ") + ") == " + val, nil
}

// tcp-mss=A[-B] -> tcp option maxseg size A-B. Negated, it also matches a
// packet that carries no MSS option (every TCP packet but a SYN, as a
// rule): Linux's tcpmss match, which RouterOS's firewall is built on
// [verify], answers its inversion for such a packet, while nft's "tcp
// option maxseg size != A-B" matches no packet without the option (it
// matched only SYNs). One nft rule cannot say "missing or outside", so the
// negation comes back as two exclusive variants of the rule's lines:
//
//	tcp-mss=!A-B -> tcp option maxseg missing ; tcp option maxseg size != A-B
//
// A plain value is one expression of every line (variants nil).
func (r *ruleCtx) tcpMSSMatch(v string) (string, [][]string, error) {
	if r.proto != 6 || r.protoNeg {
		return "", nil, fmt.Errorf("needs protocol=tcp on the same rule")
	}
	neg, _ := negated(v)
	s, err := rangeMatch("tcp option maxseg size", v, 0, 65535)
	if err != nil || !neg {
		return s, nil, err
	}
	return "", [][]string{{"tcp option maxseg missing"}, {s}}, nil
}

// icmp-options=type[:code] -> icmp type N [icmp code M]; each may be a range.
func (r *ruleCtx) icmpOptionsMatch(v string) (string, error) {
	if r.proto != 1 || r.protoNeg {
		return "", fmt.Errorf("needs protocol=icmp on the same rule")
	}
	return icmpOptionsExpr(v)
}

// ValidICMPOptions reports whether v is an icmp-options= value of an IPv4
// rule rosemu renders (numbers, not names: echo-request is refused), so
// that the configuration refuses the others at their line.
func ValidICMPOptions(v string) error {
	_, err := icmpOptionsExpr(v)
	return err
}

func icmpOptionsExpr(v string) (string, error) {
	neg, v := negated(v)
	typ, code, hasCode := strings.Cut(v, ":")
	if neg && hasCode {
		// !type:code -> icmp type . icmp code != { T . C }: not this
		// type and code together (nft negates a concatenation only
		// against a set).
		var keys []string
		for _, f := range []string{typ, code} {
			m, err := rangeMatch("x", f, 0, 255)
			if err != nil {
				return "", err
			}
			keys = append(keys, strings.TrimPrefix(m, "x "))
		}
		return "icmp type . icmp code != { " + keys[0] + " . " + keys[1] + " }", nil
	}
	if neg {
		return rangeMatch("icmp type", "!"+typ, 0, 255)
	}
	s, err := rangeMatch("icmp type", typ, 0, 255)
	if err != nil {
		return "", err
	}
	if hasCode {
		c, err := rangeMatch("icmp code", code, 0, 255)
		if err != nil {
			return "", err
		}
		s += " " + c
	}
	return s, nil
}

// rangeMatch renders [!]A or [!]A-B of an integer field.
func rangeMatch(field, v string, min, max int) (string, error) {
	neg, v := negated(v)
	a, b, isRange := strings.Cut(v, "-")
	x, err1 := strconv.Atoi(a)
	y := x
	var err2 error
	if isRange {
		y, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil || x < min || y > max || y < x {
		return "", fmt.Errorf("parse %q: want a number or an ascending range %d-%d", v, min, max)
	}
	if x == y {
		return fmt.Sprintf("%s %s%d", field, op(neg), x), nil
	}
	return fmt.Sprintf("%s %s%d-%d", field, op(neg), x, y), nil
}

// ttl=equal:N | not-equal:N | less-than:N | greater-than:N
func ttlMatch(v string) (string, error) {
	kind, n, _ := strings.Cut(v, ":")
	x, err := strconv.Atoi(n)
	if err != nil || x < 0 || x > 255 {
		return "", fmt.Errorf("parse %q: want equal|not-equal|less-than|greater-than:0-255", v)
	}
	ops := map[string]string{"equal": "", "not-equal": "!= ", "less-than": "< ", "greater-than": "> "}
	o, ok := ops[kind]
	if !ok {
		return "", fmt.Errorf("parse %q: want equal|not-equal|less-than|greater-than:0-255", v)
	}
	return fmt.Sprintf("ip ttl %s%d", o, x), nil
}

// fragment=yes matches the non-first fragments of a packet.
func fragmentMatch(v string) (string, error) {
	switch v {
	case "yes":
		return "ip frag-off & 0x1fff != 0", nil
	case "no":
		return "ip frag-off & 0x1fff == 0", nil
	}
	return "", fmt.Errorf("parse %q: want yes or no", v)
}

// random=N matches a packet with probability N percent.
func randomMatch(v string) (string, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 99 {
		return "", fmt.Errorf("parse %q: want 1-99", v)
	}
	return fmt.Sprintf("numgen random mod 100 < %d", n), nil
}

// nth=[!]every[,packet] matches one packet in every "every", the
// packet-th ("nth=2,1 will match every first packet of 2"); negated, the
// others. The CLI reference of /ip/firewall/mangle types it "super { !,
// every: num [1 .. ], [packet] [ ,num [1 .. ]] }"
// (https://manual.mikrotik.com/docs/cli-reference/ip/firewall/mangle.md):
// the "!" and a value without the packet were refused before (forum59
// D2); without it the first packet of each group matches [verify on a
// CHR].
func nthMatch(v string) (string, error) {
	neg, v := negated(v)
	a, b, ok := strings.Cut(v, ",")
	if !ok {
		b = "1"
	}
	every, err1 := strconv.Atoi(a)
	nth, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || every < 1 || nth < 1 || nth > every {
		return "", fmt.Errorf("parse %q: want [!]every[,packet] with 1 <= packet <= every", v)
	}
	cmp := "=="
	if neg {
		cmp = "!="
	}
	return fmt.Sprintf("numgen inc mod %d %s %d", every, cmp, nth-1), nil
}

// nftUnits are nft's rate periods, shortest first.
var nftUnits = []struct {
	name string
	secs int64
}{{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}, {"week", 604800}}

// limitRate turns RouterOS's count per period (the period any time, "5s",
// "1m", "2h30m"; none is 1s) into nft's count per second, minute, hour,
// day or week: the shortest of them that keeps the rate exact, else the
// week's count rounded (50/5s is 10/second, 1/10s is 6/minute).
func limitRate(n int64, period string) (int64, string, bool) {
	secs := int64(1)
	if period != "" {
		var ok bool
		if secs, ok = durationSeconds(period); !ok || secs < 1 {
			return 0, "", false
		}
	}
	if n < 1 {
		return 0, "", false
	}
	for _, u := range nftUnits {
		if n*u.secs%secs == 0 {
			return n * u.secs / secs, u.name, true
		}
	}
	w := nftUnits[len(nftUnits)-1]
	return max(1, (n*w.secs+secs/2)/secs), w.name, true
}

// ValidLimit reports whether v is a limit= value rosemu renders (the
// configuration refuses the others at their line, not when applied).
func ValidLimit(v string) error {
	_, err := limitMatch(v)
	return err
}

// ValidDstLimit reports whether v is a dst-limit= value rosemu renders,
// apart from the protocol a port mode needs on the rule.
func ValidDstLimit(v string) error {
	_, err := parseDstLimit(v)
	return err
}

// ValidNth and ValidTTL report whether v is an nth= or ttl= value rosemu
// renders; the configuration refuses the others at their line (they were
// taken and failed only when the rules were rendered, with no line).
func ValidNth(v string) error {
	_, err := nthMatch(v)
	return err
}

func ValidTTL(v string) error {
	_, err := ttlMatch(v)
	return err
}

// limitObject renders limit= as the rule's named limit object (lim_<id>)
// and the rule's reference to it. A RouterOS rule has one token bucket,
// but rosemu may write a rule as several nft lines (port=, an address
// list that rules add to, connection-type) and a jumped-to chain once per
// built-in chain that reaches it: an anonymous limit in each line gave
// each line a bucket of its own, and the rule let a multiple of its rate
// through (forum59 D1). The lines share the object; its declaration is
// the same text for each and is written once (Render's seen).
//
//	limit=1/10s,1 -> limit lim_R { rate 6/minute burst 1 packets } ... limit name "lim_R"
func (r *ruleCtx) limitObject(v string) (string, error) {
	s, err := limitMatch(v)
	if err != nil {
		return "", err
	}
	name, err := ident("lim_", r.id)
	if err != nil {
		return "", err
	}
	r.sets = append(r.sets, fmt.Sprintf("\t# limit=%s of rule %s\n\tlimit %s {\n\t\t%s\n\t}\n", quoteText(v, 64), r.id, name, strings.TrimPrefix(s, "limit ")))
	return fmt.Sprintf("limit name %q", name), nil
}

// limitMatch renders limit=[!]rate[/period][,burst][:packet]: the rule
// matches while the rate is not exceeded, as nft limit does; negated
// ("!": the CLI reference of /ip/firewall/mangle types limit as
// "super { !, count ... }"), while it is exceeded (nft's "over").
//
//	50/1s,5:packet  -> limit rate 50/second burst 5 packets
//	!50/1s,5:packet -> limit rate over 50/second burst 5 packets
func limitMatch(v string) (string, error) {
	neg, body0 := negated(v)
	s, err := limitRateText(v, body0)
	if err != nil || !neg {
		return s, err
	}
	return "limit rate over " + strings.TrimPrefix(s, "limit rate "), nil
}

// limitRateText renders the limit body (without its "!").
func limitRateText(v, body0 string) (string, error) {
	body, mode, _ := strings.Cut(body0, ":")
	if mode == "bit" {
		return limitBits(v, body)
	}
	if mode != "" && mode != "packet" {
		return "", fmt.Errorf("parse %q: want the packet or bit mode", v)
	}
	rp, burst, hasBurst := strings.Cut(body, ",")
	rate, period, _ := strings.Cut(rp, "/")
	n0, err := parseCount(rate)
	n, unit, ok := limitRate(n0, period)
	if err != nil || !ok {
		return "", fmt.Errorf("parse %q: want count[/time][,burst][:packet]", v)
	}
	s := fmt.Sprintf("limit rate %d/%s", n, unit)
	if hasBurst {
		b, err := strconv.Atoi(burst)
		if err != nil || b < 0 {
			return "", fmt.Errorf("parse burst %q: want a number", burst)
		}
		if b > 0 {
			s += fmt.Sprintf(" burst %d packets", b)
		}
	}
	return s, nil
}

// limitBits renders limit=rate[/period][,burst]:bit, a rate in bits (with
// an optional k, M or G), as nft's byte rate.
func limitBits(v, body string) (string, error) {
	rp, burst, hasBurst := strings.Cut(body, ",")
	rate, period, _ := strings.Cut(rp, "/")
	n0, ok1 := bitCount(rate)
	n, unit, ok2 := limitRate(max(n0/8, 1), period)
	if !ok1 || !ok2 || n0 < 1 {
		return "", fmt.Errorf("parse %q: want rate[/time][,burst]:bit", v)
	}
	s := fmt.Sprintf("limit rate %d bytes/%s", n, unit)
	if hasBurst {
		b, ok := bitCount(burst)
		if !ok {
			return "", fmt.Errorf("parse burst %q: want a number of bits", burst)
		}
		if b > 0 {
			s += fmt.Sprintf(" burst %d bytes", max(b/8, 1))
		}
	}
	return s, nil
}

// bitCount parses a number of bits with an optional k, M or G.
func bitCount(s string) (int64, bool) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1000, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "M"):
		mult, s = 1000000, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1000000000, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mult, true
}

// connection-bytes=A-B counts both directions of the connection; B=0 means
// no upper bound. The kernel counts only with nf_conntrack_acct on, which
// rosemu's namespace set-up turns on. A lone A (the CLI reference of
// /ip/firewall/mangle types the matcher "super { from: num, [to] -num }",
// https://manual.mikrotik.com/docs/cli-reference/ip/firewall/mangle.md)
// is A and up, as Linux's connbytes match, which RouterOS's is, reads an
// omitted end ("if TO is omitted only FROM check is done", libxt_connbytes
// manual) [verify on a CHR]; it was refused when the rules were rendered
// (forum59 D5).
func connBytesMatch(v string) (string, error) {
	a, b, ok := strings.Cut(v, "-")
	if !ok {
		b = "0"
	}
	x, err1 := strconv.ParseUint(a, 10, 64)
	y, err2 := strconv.ParseUint(b, 10, 64)
	if err1 != nil || err2 != nil || (y != 0 && y < x) {
		return "", fmt.Errorf("parse %q: want A[-B] bytes, B=0 for no upper bound", v)
	}
	if y == 0 {
		return fmt.Sprintf("ct bytes >= %d", x), nil
	}
	return fmt.Sprintf("ct bytes %d-%d", x, y), nil
}

// ValidConnBytes reports whether v is a connection-bytes= value rosemu
// renders, so that the configuration refuses any other at its line (it
// was taken as any text and refused when the rules were rendered).
func ValidConnBytes(v string) error {
	_, err := connBytesMatch(v)
	return err
}

// src-mac-address=[!]MAC -> ether saddr [!=] MAC; only where a packet has
// an Ethernet header of its own: arriving packets.
func (r *ruleCtx) srcMACMatch(v string) (string, error) {
	switch r.hook {
	case "prerouting", "input", "forward", "":
	default:
		return "", fmt.Errorf("only valid in chains of arriving packets (prerouting, input, forward)")
	}
	neg, mac := negated(v)
	parts := strings.Split(mac, ":")
	if len(parts) != 6 {
		return "", fmt.Errorf("parse MAC address %q", mac)
	}
	for _, p := range parts {
		if _, err := strconv.ParseUint(p, 16, 8); err != nil || len(p) != 2 {
			return "", fmt.Errorf("parse MAC address %q", mac)
		}
	}
	return "ether saddr " + op(neg) + strings.ToLower(mac), nil
}

var dayNumbers = map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

// timeMatch renders time=[!]HH:MM:SS-HH:MM:SS[,day,...] in UTC, the
// clock of the lab's kernels and nft (rosemu/config shifts a window from
// the router's time zone into UTC before it gets here). A window that
// wraps over midnight is its two ranges. "!" matches outside the window
// (the CLI reference of /ip/firewall/mangle types time "super { !, start
// ... }", https://manual.mikrotik.com/docs/cli-reference/ip/firewall/mangle.md);
// it was refused when the rules were rendered (forum59 D2). With days,
// outside means not (in the hours and on one of the days), which one nft
// match says only as a day . hour set.
func timeMatch(v string) (string, error) {
	neg, v := negated(v)
	if w, ok := strings.CutPrefix(v, "utc:"); ok {
		s, err := utcPieces(w)
		if err != nil || !neg {
			return s, err
		}
		return strings.Replace(s, "meta day . meta hour {", "meta day . meta hour != {", 1), nil
	}
	parts := strings.Split(v, ",")
	from, to, ok := strings.Cut(parts[0], "-")
	f, ok1 := clockOf(from)
	t, ok2 := clockOf(to)
	if !ok || !ok1 || !ok2 {
		return "", fmt.Errorf("parse %q: want [!]HH:MM:SS-HH:MM:SS[,sun,mon,...]", v)
	}
	var hours []string // "from"-"to" ranges of the day
	switch {
	case t > f:
		hours = []string{fmt.Sprintf("\"%s\"-\"%s\"", clockText(f), clockText(t-1))}
	case t == f:
		// An empty window (10h-10h): the kernel's time match (xt_time)
		// reads a start not before the stop as a window over midnight
		// and refuses only the times after the stop and before the
		// start, which are none: it holds all day, on the days given
		// [verify] RouterOS's time matcher. It was a render error, and a
		// configuration RouterOS accepts failed to apply.
		hours = []string{fmt.Sprintf("\"%s\"-\"%s\"", clockText(0), clockText(86399))}
	case t == 0:
		// Up to midnight (22h-0s).
		hours = []string{fmt.Sprintf("\"%s\"-\"%s\"", clockText(f), clockText(86399))}
	default:
		// A window over midnight (22h-6h) is the two ranges either side
		// of it; the days, when given, apply to both.
		hours = []string{fmt.Sprintf("\"%s\"-\"%s\"", clockText(f), clockText(86399)), fmt.Sprintf("\"%s\"-\"%s\"", clockText(0), clockText(t-1))}
	}
	var days []string
	for _, d := range parts[1:] {
		n, ok := dayNumbers[d]
		if !ok {
			return "", fmt.Errorf("parse day %q: want sun, mon, tue, wed, thu, fri or sat", d)
		}
		days = append(days, strconv.Itoa(n))
	}
	if neg && len(days) > 0 {
		var elems []string
		for _, d := range days {
			for _, h := range hours {
				elems = append(elems, d+" . "+h)
			}
		}
		return "meta day . meta hour != { " + strings.Join(elems, ", ") + " }", nil
	}
	s := "meta hour " + op(neg) + hours[0]
	if len(hours) > 1 {
		s = "meta hour " + op(neg) + "{ " + strings.Join(hours, ", ") + " }"
	}
	if len(days) > 0 {
		s += " meta day { " + strings.Join(days, ", ") + " }"
	}
	return s, nil
}

// ValidTime reports whether v is a time= value rosemu renders, so that
// the configuration refuses any other at its line: the property was taken
// as any text and a bad window failed only when the rules were rendered.
func ValidTime(v string) error {
	_, err := timeMatch(v)
	return err
}

// utcPieces renders the UTC pieces of a window with days in a zone other
// than UTC ("5@75600-86400;6@0-21600": day number, seconds from, to) as one
// set of day . hour intervals: the day a piece falls on in UTC goes with its
// hours, which two separate day and hour matches cannot say.
func utcPieces(v string) (string, error) {
	var elems []string
	for _, p := range strings.Split(v, ";") {
		day, span, ok1 := strings.Cut(p, "@")
		from, to, ok2 := strings.Cut(span, "-")
		d, err1 := strconv.Atoi(day)
		f, err2 := strconv.Atoi(from)
		t, err3 := strconv.Atoi(to)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || err3 != nil || d < 0 || d > 6 || f < 0 || t > 86400 || f >= t {
			return "", fmt.Errorf("parse UTC window piece %q", p)
		}
		elems = append(elems, fmt.Sprintf("%d . \"%s\"-\"%s\"", d, clockText(f), clockText(t-1)))
	}
	return "meta day . meta hour { " + strings.Join(elems, ", ") + " }", nil
}

// ipv4Options maps RouterOS's ipv4-options values to nft matches: any and
// none by the header length (options make it longer than 20 bytes), the
// rest by nft's IP option expression. Neither nft nor the kernel's
// nft_exthdr reads the timestamp option (ipv4_find_option knows source
// routing, record route and router alert only): timestamp never matches
// (NeverMatches leaves its rule out) and no-timestamp matches the packets
// without options, which certainly carry none; a packet with other
// options is missed. Both are reported as not enforced; they were refused
// when the rules were rendered, and a configuration RouterOS takes failed
// to apply (forum59 D4).
var ipv4Options = map[string]string{
	"any":                   "ip hdrlength > 5",
	"none":                  "ip hdrlength 5",
	"loose-source-routing":  "ip option lsrr exists",
	"strict-source-routing": "ip option ssrr exists",
	"record-route":          "ip option rr exists",
	"router-alert":          "ip option ra exists",
	"no-record-route":       "ip option rr missing",
	"no-router-alert":       "ip option ra missing",
	"no-source-routing":     "ip option lsrr missing ip option ssrr missing",
	"no-timestamp":          "ip hdrlength 5",
}

func ipv4OptionsMatch(v string) (string, error) {
	if s, ok := ipv4Options[v]; ok {
		return s, nil
	}
	return "", fmt.Errorf("unknown value %q", v)
}

// clockOf parses RouterOS's time of day (8h, 08:00:00, 1d for midnight).
func clockOf(s string) (int, bool) {
	if s == "1d" || s == "24:00:00" {
		return 86400, true
	}
	if strings.Contains(s, ":") {
		p := strings.Split(s, ":")
		if len(p) < 2 || len(p) > 3 {
			return 0, false
		}
		total := 0
		for i, mul := range []int{3600, 60, 1} {
			if i >= len(p) {
				break
			}
			n, err := strconv.Atoi(p[i])
			if err != nil || n < 0 {
				return 0, false
			}
			total += n * mul
		}
		return total, total <= 86400
	}
	d, ok := durationSeconds(s)
	return int(d), ok && d <= 86400
}

func clockText(sec int) string {
	return fmt.Sprintf("%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// durationSeconds parses RouterOS's compact durations (1w2d3h4m5s, plain
// seconds, or HH:MM:SS).
func durationSeconds(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ":") {
		p := strings.Split(s, ":")
		if len(p) != 3 {
			return 0, false
		}
		var total int64
		for i, mul := range []int64{3600, 60, 1} {
			n, err := strconv.ParseInt(p[i], 10, 64)
			if err != nil || n < 0 {
				return 0, false
			}
			total += n * mul
		}
		return total, true
	}
	units := map[byte]int64{'w': 604800, 'd': 86400, 'h': 3600, 'm': 60, 's': 1}
	var total, cur int64
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			cur = cur*10 + int64(c-'0')
			digits = true
		case units[c] != 0 && digits:
			total += cur * units[c]
			cur, digits = 0, false
		default:
			return 0, false
		}
	}
	return total + cur, true
}

// parseCount is a packet count as RouterOS writes it, with a decimal
// multiplier: a 7.22.1 export's SYN-flood chain has "limit=10k,100:packet"
// and "limit=1k,10:packet" (10000 and 1000 packets). [verify] that
// RouterOS multiplies a packet count by 1000 (not 1024) for k.
func parseCount(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "K"):
		mult, s = 1000, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1000000, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("parse count %q", s)
	}
	return n * mult, nil
}
