// Package routefilter translates RouterOS 7's routing filter rules
// (/routing filter rule: "if (dst in 10.0.0.0/8 && dst-len > 24) { reject
// }", "set bgp-local-pref 200; accept") into BIRD 2 filter functions, so
// that rosemu's BGP (BIRD) takes and announces routes as the chains say.
//
// A chain is a BIRD function that returns 1 when a rule accepts, 2 when
// one rejects and 0 when the chain ends or a rule returns; a jump calls
// the other chain's function and passes its accept or reject on. A route
// no rule accepts is rejected, as on RouterOS 7. What the package does
// not know (AS-path expressions, next hops, ...) is an error naming the
// rule, and the caller leaves the chain unapplied. "set distance" writes
// the route's RouterOS distance to the attribute ros_distance that
// Prelude declares; the caller writes Prelude once, before the chains.
package routefilter

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Chains maps a chain name to the rule texts of its enabled rules, in
// order.
type Chains map[string][]string

// Lists maps a firewall address list's name to its prefixes (a host is a
// /32): "dst in bogons" matches a route within any of them, as RouterOS 7
// reads /ip firewall address-list there.
type Lists map[string][]netip.Prefix

// BIRD renders the function of chain entry and of every chain it jumps
// to, named prefix0, prefix1, ... (prefix must be a BIRD identifier), for
// a session of local AS localAS (the AS a prepend repeats). It returns
// the functions' code and the entry function's name.
func BIRD(chains Chains, lists Lists, entry, prefix string, localAS uint32) (code, fn string, err error) {
	r := &renderer{chains: chains, lists: lists, prefix: prefix, localAS: localAS, names: map[string]string{}}
	fn, err = r.chain(entry, 0)
	if err != nil {
		return "", "", err
	}
	return r.out.String(), fn, nil
}

type renderer struct {
	chains  Chains
	lists   Lists
	prefix  string
	localAS uint32
	names   map[string]string
	done    int // functions written so far
	out     strings.Builder
}

// chain renders one chain's function once, the chains it jumps to first
// (BIRD wants a function defined before it is called).
func (r *renderer) chain(name string, depth int) (string, error) {
	if fn, ok := r.names[name]; ok {
		if fn == "" {
			return "", fmt.Errorf("chain %s jumps back into itself", name)
		}
		return fn, nil
	}
	if depth > 16 {
		return "", fmt.Errorf("chain %s: jumps nested too deep", name)
	}
	r.names[name] = "" // in progress
	var body strings.Builder
	for _, text := range r.chains[name] {
		stmts, err := Parse(text)
		if err != nil {
			return "", fmt.Errorf("chain %s, rule %q: %w", name, text, err)
		}
		if err := r.stmts(&body, stmts, depth, "\t"); err != nil {
			return "", fmt.Errorf("chain %s, rule %q: %w", name, text, err)
		}
	}
	fn := fmt.Sprintf("%s%d", r.prefix, r.done)
	r.done++
	r.names[name] = fn
	fmt.Fprintf(&r.out, "# /routing filter rule chain=%s\nfunction %s()\n{\n%s\treturn 0;\n}\n", quote(name), fn, body.String())
	return fn, nil
}

func (r *renderer) stmts(b *strings.Builder, ss []Stmt, depth int, ind string) error {
	for _, s := range ss {
		switch s := s.(type) {
		case If:
			c, err := s.Cond.bird(r.lists)
			if err != nil {
				return err
			}
			fmt.Fprintf(b, "%sif %s then {\n", ind, c)
			if err := r.stmts(b, s.Then, depth, ind+"\t"); err != nil {
				return err
			}
			fmt.Fprintf(b, "%s}", ind)
			if len(s.Else) > 0 {
				b.WriteString(" else {\n")
				if err := r.stmts(b, s.Else, depth, ind+"\t"); err != nil {
					return err
				}
				fmt.Fprintf(b, "%s}", ind)
			}
			b.WriteString("\n")
		case Action:
			if err := r.action(b, s, depth, ind); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *renderer) action(b *strings.Builder, a Action, depth int, ind string) error {
	switch a.Verb {
	case "accept":
		fmt.Fprintf(b, "%sreturn 1;\n", ind)
	case "reject":
		fmt.Fprintf(b, "%sreturn 2;\n", ind)
	case "return":
		fmt.Fprintf(b, "%sreturn 0;\n", ind)
	case "jump":
		fn, err := r.chain(a.Prop, depth+1)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "%scase %s() {\n%s\t1: return 1;\n%s\t2: return 2;\n%s}\n", ind, fn, ind, ind, ind)
	case "set", "append":
		switch a.Prop {
		case "bgp-local-pref", "bgp-med":
			n, err := strconv.ParseUint(a.Value, 10, 32)
			if err != nil || a.Verb != "set" {
				return fmt.Errorf("%s %s %s: want a number", a.Verb, a.Prop, a.Value)
			}
			fmt.Fprintf(b, "%s%s = %d;\n", ind, strings.ReplaceAll(a.Prop, "-", "_"), n)
		case "distance":
			// RouterOS's distance decides between routes to one prefix:
			// BIRD's preference does that between OSPF and BGP, the
			// kernel's metric against the static routes, so both follow
			// it. "+1"/"-1" change the protocol's default (Route
			// Selection and Filters, help.mikrotik.com).
			v := a.Value
			rel := strings.HasPrefix(v, "+") || strings.HasPrefix(v, "-")
			n, err := strconv.Atoi(strings.TrimPrefix(v, "+"))
			if err != nil || a.Verb != "set" || (!rel && (n < 0 || n > 255)) {
				return fmt.Errorf("%s distance %s: want 0 to 255, or +N/-N", a.Verb, v)
			}
			switch {
			case rel && n < 0:
				fmt.Fprintf(b, "%sros_distance = ros_clamp(ros_dist() - %d);\n", ind, -n)
			case rel:
				fmt.Fprintf(b, "%sros_distance = ros_clamp(ros_dist() + %d);\n", ind, n)
			default:
				fmt.Fprintf(b, "%sros_distance = %d;\n", ind, n)
			}
			fmt.Fprintf(b, "%spreference = ros_pref(ros_distance);\n", ind)
		case "bgp-path-prepend":
			n, err := strconv.Atoi(a.Value)
			if err != nil || n < 0 || n > 16 {
				return fmt.Errorf("set bgp-path-prepend %s: want 0 to 16", a.Value)
			}
			for range n {
				fmt.Fprintf(b, "%sbgp_path.prepend(%d);\n", ind, r.localAS)
			}
		case "bgp-communities":
			var comms []string
			for _, c := range strings.Split(a.Value, ",") {
				bc, err := community(c)
				if err != nil {
					return err
				}
				comms = append(comms, bc)
			}
			if a.Verb == "set" {
				fmt.Fprintf(b, "%sbgp_community.delete([(*,*)]);\n", ind)
			}
			for _, c := range comms {
				fmt.Fprintf(b, "%sbgp_community.add(%s);\n", ind, c)
			}
		default:
			return fmt.Errorf("%s %s is not modelled", a.Verb, a.Prop)
		}
	default:
		return fmt.Errorf("action %s is not modelled", a.Verb)
	}
	return nil
}

// Prelude declares what "set distance" writes: the attribute
// ros_distance and the functions it uses. ros_dist is a route's RouterOS
// distance: the one a filter set, else the protocol's default (OSPF 110,
// eBGP 20, iBGP 200; rosemu's BIRD names iBGP sessions ros_ibgp*).
// ros_pref maps a distance to BIRD's preference through the points the
// renderer's defaults use (0 connected 160, 20 eBGP 155, 110 OSPF 150,
// 200 iBGP 100), lower distance to higher preference; distances a few
// apart may map to one preference, and BIRD then picks by its own rules.
const Prelude = `attribute int ros_distance;
function ros_dist()
{
	if defined(ros_distance) then return ros_distance;
	if source = RTS_BGP then {
		if proto ~ "ros_ibgp*" then return 200;
		return 20;
	}
	return 110;
}
function ros_clamp(int d)
{
	if d < 0 then return 0;
	if d > 255 then return 255;
	return d;
}
function ros_pref(int d)
{
	if d <= 20 then return 160 - d / 4;
	if d <= 110 then return 155 - (d - 20) / 18;
	if d <= 200 then return 150 - (d - 110) * 5 / 9;
	return 100 - (d - 200);
}
`

// community is a standard community (65000:100, or a well-known name) as
// BIRD writes it.
func community(c string) (string, error) {
	switch c {
	case "no-export":
		return "(65535,65281)", nil
	case "no-advertise":
		return "(65535,65282)", nil
	case "local-as", "no-export-subconfed":
		return "(65535,65283)", nil
	case "graceful-shutdown":
		return "(65535,0)", nil
	}
	hi, lo, ok := strings.Cut(c, ":")
	h, err1 := strconv.ParseUint(hi, 10, 16)
	l, err2 := strconv.ParseUint(lo, 10, 16)
	if !ok || err1 != nil || err2 != nil {
		return "", fmt.Errorf("community %q is not AS:VALUE", c)
	}
	return fmt.Sprintf("(%d,%d)", h, l), nil
}

// bird renders a condition as a BIRD expression.
func (c Cond) bird(lists Lists) (string, error) {
	switch c.Op {
	case "||", "&&":
		l, err := c.Args[0].bird(lists)
		if err != nil {
			return "", err
		}
		r, err := c.Args[1].bird(lists)
		if err != nil {
			return "", err
		}
		return "(" + l + " " + c.Op + " " + r + ")", nil
	case "!":
		x, err := c.Args[0].bird(lists)
		if err != nil {
			return "", err
		}
		return "!" + x, nil
	}
	return c.matcher(lists)
}

var birdOps = map[string]string{"==": "=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}

func (c Cond) matcher(lists Lists) (string, error) {
	switch c.Attr {
	case "dst":
		p, err := netip.ParsePrefix(c.Value)
		if err != nil && c.Op == "in" {
			l, ok := lists[c.Value]
			if !ok {
				return "", fmt.Errorf("dst in %s: no IPv4 address list of that name has a prefix", c.Value)
			}
			var set []string
			for _, e := range l {
				set = append(set, e.Masked().String()+"+")
			}
			return "(net ~ [ " + strings.Join(set, ", ") + " ])", nil
		}
		if err != nil {
			return "", fmt.Errorf("dst %s %s: want a prefix", c.Op, c.Value)
		}
		switch c.Op {
		case "in":
			return fmt.Sprintf("(net ~ %s)", p.Masked()), nil
		case "==":
			return fmt.Sprintf("(net = %s)", p.Masked()), nil
		case "!=":
			return fmt.Sprintf("(net != %s)", p.Masked()), nil
		}
	case "dst-len":
		if c.Op == "in" {
			lo, hi, ok := strings.Cut(c.Value, "-")
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			if !ok || err1 != nil || err2 != nil {
				return "", fmt.Errorf("dst-len in %s: want a range such as 24-32", c.Value)
			}
			return fmt.Sprintf("(net.len >= %d && net.len <= %d)", a, b), nil
		}
		if n, err := strconv.Atoi(c.Value); err == nil && birdOps[c.Op] != "" {
			return fmt.Sprintf("(net.len %s %d)", birdOps[c.Op], n), nil
		}
	case "bgp-local-pref", "bgp-med":
		attr := strings.ReplaceAll(c.Attr, "-", "_")
		if n, err := strconv.ParseUint(c.Value, 10, 32); err == nil && birdOps[c.Op] != "" {
			return fmt.Sprintf("(defined(%s) && %s %s %d)", attr, attr, birdOps[c.Op], n), nil
		}
	case "bgp-as-path-len":
		if n, err := strconv.Atoi(c.Value); err == nil && birdOps[c.Op] != "" {
			return fmt.Sprintf("(source = RTS_BGP && bgp_path.len %s %d)", birdOps[c.Op], n), nil
		}
	case "bgp-communities":
		if c.Op == "includes" {
			var parts []string
			for _, v := range strings.Split(c.Value, ",") {
				bc, err := community(v)
				if err != nil {
					return "", err
				}
				parts = append(parts, fmt.Sprintf("(source = RTS_BGP && %s ~ bgp_community)", bc))
			}
			return "(" + strings.Join(parts, " && ") + ")", nil
		}
	case "protocol":
		var parts []string
		for _, v := range strings.Split(c.Value, ",") {
			src, ok := protocols[v]
			if !ok {
				return "", fmt.Errorf("protocol %s is not modelled", v)
			}
			parts = append(parts, src)
		}
		return "(" + strings.Join(parts, " || ") + ")", nil
	case "afi":
		switch c.Value {
		case "ipv4", "ip":
			return "(net.type = NET_IP4)", nil
		case "ipv6":
			return "(net.type = NET_IP6)", nil
		}
	}
	return "", fmt.Errorf("%s %s %s is not modelled", c.Attr, c.Op, c.Value)
}

// protocols are the route sources a rule may name. rosemu hands its
// connected and static routes to BIRD as routes of its own (one static
// protocol per session), so "protocol connected" cannot be told from
// "protocol static": neither is modelled.
var protocols = map[string]string{
	"bgp": "source = RTS_BGP", "ospf": "source ~ [ RTS_OSPF, RTS_OSPF_IA, RTS_OSPF_EXT1, RTS_OSPF_EXT2 ]",
}

func quote(s string) string { return strconv.Quote(s) }

// Reach names entry and every chain it jumps to, directly or not.
func Reach(chains Chains, entry string) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(string)
	var visit func([]Stmt)
	visit = func(ss []Stmt) {
		for _, s := range ss {
			switch s := s.(type) {
			case If:
				visit(s.Then)
				visit(s.Else)
			case Action:
				if s.Verb == "jump" {
					walk(s.Prop)
				}
			}
		}
	}
	walk = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		out = append(out, name)
		for _, text := range chains[name] {
			if ss, err := Parse(text); err == nil {
				visit(ss)
			}
		}
	}
	walk(entry)
	return out
}

// ListNames names the address lists the chains reachable from entry
// match against ("dst in LIST"), so that the caller hands over only those.
func ListNames(chains Chains, entry string) map[string]bool {
	out := map[string]bool{}
	var cond func(Cond)
	cond = func(c Cond) {
		for _, a := range c.Args {
			cond(a)
		}
		if c.Attr == "dst" && c.Op == "in" {
			if _, err := netip.ParsePrefix(c.Value); err != nil {
				out[c.Value] = true
			}
		}
	}
	var visit func([]Stmt)
	visit = func(ss []Stmt) {
		for _, s := range ss {
			if s, ok := s.(If); ok {
				cond(s.Cond)
				visit(s.Then)
				visit(s.Else)
			}
		}
	}
	for _, name := range Reach(chains, entry) {
		for _, text := range chains[name] {
			if ss, err := Parse(text); err == nil {
				visit(ss)
			}
		}
	}
	return out
}
