package script

import (
	"context"
	"net/netip"
	"strconv"
	"time"
)

func unary(n *Unary, v Value) (Value, error) {
	switch n.Op {
	case "!":
		return Bool(!v.Truth()), nil
	case "any":
		k := v.kind()
		return Bool(k != KindNothing && k != KindNil), nil
	case "-":
		switch v.kind() {
		case KindNum:
			return Num(-v.Num), nil
		case KindTime:
			return TimeVal(-v.Time), nil
		}
	case "~":
		// Bit inversion (the Scripting manual's bitwise operators:
		// ":put (~0.0.0.0)", ":put (~::ffff)"), of a number too as the
		// older page says.
		switch v.kind() {
		case KindNum:
			return Num(^v.Num), nil
		case KindIP, KindIP6:
			b := v.IP.AsSlice()
			for i := range b {
				b[i] = ^b[i]
			}
			a, _ := netip.AddrFromSlice(b)
			return IPValue(a), nil
		}
	}
	return Value{}, &Error{Msg: "cannot apply " + n.Op + " to " + string(v.kind()), Category: 3, Pos: n.P}
}

func (in *Interp) binary(ctx context.Context, n *Binary, e *env) (Value, error) {
	switch n.Op {
	case "and", "&&", "or", "||":
		x, err := in.eval(ctx, n.X, e)
		if err != nil {
			return Value{}, err
		}
		isAnd := n.Op == "and" || n.Op == "&&"
		if x.Truth() != isAnd {
			return Bool(!isAnd), nil
		}
		y, err := in.eval(ctx, n.Y, e)
		if err != nil {
			return Value{}, err
		}
		return Bool(y.Truth()), nil
	}
	// "in" reads properties as comparisons do ("find where address in
	// 10.0.0.0/8"), and a lease script asks which network holds its
	// address the other way round ("find $leaseActIP in address"): a bare
	// word on the right that names a property is that property when the
	// left is not a bare word.
	cmp := precedence[n.Op] == 4 || n.Op == "in"
	x, err := in.operand(ctx, n.X, e, cmp)
	if err != nil {
		return Value{}, err
	}
	y, found := Value{}, false
	if w, ok := n.Y.(*Word); ok && n.Op == "in" && e.props != nil {
		if _, leftWord := n.X.(*Word); !leftWord {
			y, found = e.props(w.Text)
		}
	}
	if !found {
		if y, err = in.operand(ctx, n.Y, e, false); err != nil {
			return Value{}, err
		}
	}
	bad := func() (Value, error) {
		return Value{}, &Error{Msg: "cannot apply " + n.Op + " to " + string(x.kind()) + " and " + string(y.kind()), Category: 3, Pos: n.P}
	}
	switch n.Op {
	case "=":
		return Bool(equal(x, y)), nil
	case "!=":
		return Bool(!equal(x, y)), nil
	case "<", ">", "<=", ">=":
		c, ok := compare(x, y)
		if !ok {
			return bad()
		}
		switch n.Op {
		case "<":
			return Bool(c < 0), nil
		case ">":
			return Bool(c > 0), nil
		case "<=":
			return Bool(c <= 0), nil
		}
		return Bool(c >= 0), nil
	case "~":
		re, err := in.regexp(y.String())
		if err != nil {
			return Value{}, &Error{Msg: "invalid regular expression", Category: 3, Pos: n.P}
		}
		return Bool(re.MatchString(x.String())), nil
	case "in":
		p, ok := asPrefix(y)
		if !ok {
			return Bool(false), nil
		}
		if a, ok := asIP(x); ok {
			return Bool(p.Contains(a)), nil
		}
		if q, ok := asPrefix(x); ok {
			return Bool(q.Bits() >= p.Bits() && p.Contains(q.Addr())), nil
		}
		return Bool(false), nil
	case ".":
		xs, ys := x.String(), y.String()
		if len(xs)+len(ys) > MaxString {
			return Value{}, tooLarge(n.P)
		}
		return Str(xs + ys), nil
	case ",":
		xe, ye := listElems(x), listElems(y)
		if len(xe)+len(ye) > MaxArray {
			return Value{}, tooLarge(n.P)
		}
		return Value{Kind: KindArray, Arr: &Array{List: append(xe, ye...)}}, nil
	case "->":
		return index(x, y), nil
	}
	return arith(n, x, y, bad)
}

func arith(n *Binary, x, y Value, bad func() (Value, error)) (Value, error) {
	// A global declared without a value adds as nothing added: public
	// counters start with ":global failCount; :set failCount ($failCount
	// + 1)" and are 1 after the first run (a sector-swap check, retry
	// counters of failover scripts). Only + and - with a number or a time
	// are read so; [verify] the other operators and a :local left nil.
	// A string that reads as a number counts as that number here, as
	// it does with a number ("12" + 1 is 13): a public startup-delay
	// script adds an hour given by a function argument left out,
	// ([:pick $timeNow 0 2] + $deltaH), and was refused "cannot apply +
	// to str and nothing" (f73 D4) [verify] on a router.
	if n.Op == "+" || n.Op == "-" {
		numeric := func(v Value) (Value, bool) {
			if v.kind() == KindNum || v.kind() == KindTime {
				return v, true
			}
			if v.kind() == KindStr {
				if k, ok := asNum(v); ok {
					return Num(k), true
				}
			}
			return Value{}, false
		}
		if x.kind() == KindNothing {
			if v, ok := numeric(y); ok {
				if n.Op == "-" {
					return unary(&Unary{Op: "-", P: n.P}, v)
				}
				return v, nil
			}
		}
		if y.kind() == KindNothing {
			if v, ok := numeric(x); ok {
				return v, nil
			}
		}
	}
	xn, xok := asNum(x)
	yn, yok := asNum(y)
	if x.kind() == KindTime && y.kind() == KindTime {
		switch n.Op {
		case "+":
			return TimeVal(x.Time + y.Time), nil
		case "-":
			return TimeVal(x.Time - y.Time), nil
		}
		return bad()
	}
	if x.kind() == KindTime && yok {
		switch n.Op {
		case "*":
			return TimeVal(x.Time * timeUnit(yn)), nil
		case "/":
			if yn == 0 {
				return Value{}, &Error{Msg: "division by zero", Category: 3, Pos: n.P}
			}
			return TimeVal(x.Time / timeUnit(yn)), nil
		}
		return bad()
	}
	if x.kind() == KindIP && yok && x.IP.Is4() {
		u := ip4Uint(x.IP)
		switch n.Op {
		case "+":
			u += uint32(yn)
		case "-":
			u -= uint32(yn)
		case "<<", ">>":
			// An address shifted by a number of bits is an address (the
			// v2.9 manual's operators: "shifts IP address by a given
			// amount of bits"): (255.255.255.255 << (32 - $bits)) is a
			// netmask.
			if yn < 0 {
				return bad()
			}
			if yn >= 32 {
				u = 0
			} else if n.Op == "<<" {
				u <<= uint(yn)
			} else {
				u >>= uint(yn)
			}
		default:
			return bad()
		}
		return Value{Kind: KindIP, IP: netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})}, nil
	}
	// ip6 & ip6 (and | ^) works bit by bit as on IPv4 addresses: eworm's
	// ipv6-update masks an address to its /64 with "& ffff:ffff:ffff:ffff::".
	if x.kind() == KindIP6 && y.kind() == KindIP6 && x.IP.Is6() && y.IP.Is6() {
		a, b := x.IP.As16(), y.IP.As16()
		var r [16]byte
		for i := range r {
			switch n.Op {
			case "&":
				r[i] = a[i] & b[i]
			case "|":
				r[i] = a[i] | b[i]
			case "^":
				r[i] = a[i] ^ b[i]
			default:
				return bad()
			}
		}
		return Value{Kind: KindIP6, IP: netip.AddrFrom16(r)}, nil
	}
	// One address less another is the number of addresses between them:
	// public DHCP pool monitors size a pool as "[:toip $end] - [:toip
	// $start] + 1" (forum60 D2: "cannot apply - to ip and ip" stopped
	// them). [verify] on a router: those scripts are the only source.
	if n.Op == "-" && x.kind() == KindIP && y.kind() == KindIP && x.IP.Is4() && y.IP.Is4() {
		return Num(int64(ip4Uint(x.IP)) - int64(ip4Uint(y.IP))), nil
	}
	if x.kind() == KindIP && y.kind() == KindIP && x.IP.Is4() && y.IP.Is4() {
		a, b := x.IP.As4(), y.IP.As4()
		var r [4]byte
		for i := range r {
			switch n.Op {
			case "&":
				r[i] = a[i] & b[i]
			case "|":
				r[i] = a[i] | b[i]
			case "^":
				r[i] = a[i] ^ b[i]
			default:
				return bad()
			}
		}
		return Value{Kind: KindIP, IP: netip.AddrFrom4(r)}, nil
	}
	if !xok || !yok {
		return bad()
	}
	switch n.Op {
	case "+":
		return Num(xn + yn), nil
	case "-":
		return Num(xn - yn), nil
	case "*":
		return Num(xn * yn), nil
	case "/", "%":
		if yn == 0 {
			return Value{}, &Error{Msg: "division by zero", Category: 3, Pos: n.P}
		}
		if n.Op == "/" {
			return Num(xn / yn), nil
		}
		return Num(xn % yn), nil
	case "&":
		return Num(xn & yn), nil
	case "|":
		return Num(xn | yn), nil
	case "^":
		return Num(xn ^ yn), nil
	case "<<":
		return Num(xn << (uint64(yn) & 63)), nil
	case ">>":
		return Num(xn >> (uint64(yn) & 63)), nil
	}
	return bad()
}

func timeUnit(n int64) time.Duration { return time.Duration(n) }

// ip4Uint is an IPv4 address as a number.
func ip4Uint(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func asNum(v Value) (int64, bool) {
	switch v.kind() {
	case KindNum:
		return v.Num, true
	case KindStr:
		n, err := strconv.ParseInt(v.Str, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func asIP(v Value) (netip.Addr, bool) {
	switch v.kind() {
	case KindIP, KindIP6:
		return v.IP, true
	case KindStr:
		if a, ok := parseShortIP4(v.Str, false); ok {
			return a, true
		}
		a, err := netip.ParseAddr(v.Str)
		return a, err == nil
	}
	return netip.Addr{}, false
}

// listElems are the elements an operand of ',' adds: a variable declared
// without a value adds none, so an array grown from ":local ids" with
// ":set ids ($ids, $x)" holds only what was added. A public DHCP-to-DNS
// script grows two such arrays side by side and reads them by index with
// [:pick $ids $i] from 0; an empty first element would have stopped it at
// its first lease.
func listElems(v Value) []Value {
	if k := v.kind(); k == KindNil || k == KindNothing {
		return nil
	}
	return elems(v)
}

// elems returns the elements of an array, or the value alone.
func elems(v Value) []Value {
	if v.kind() == KindArray {
		out := append([]Value(nil), v.Arr.List...)
		for _, k := range v.Arr.sortedKeys() {
			out = append(out, v.Arr.Keys[k])
		}
		return out
	}
	return []Value{v}
}

func asPrefix(v Value) (netip.Prefix, bool) {
	switch v.kind() {
	case KindPrefix, KindPrefix6:
		return v.Prefix, true
	case KindIP, KindIP6:
		return netip.PrefixFrom(v.IP, v.IP.BitLen()), true
	case KindStr:
		p, err := netip.ParsePrefix(v.Str)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	return netip.Prefix{}, false
}

// equal compares two values as RouterOS's "=" does in where clauses:
// booleans against yes/no/true/false words, numbers numerically, anything
// else by printed form.
func equal(x, y Value) bool {
	if x.kind() == KindBool || y.kind() == KindBool {
		xb, xok := boolOf(x)
		yb, yok := boolOf(y)
		return xok && yok && xb == yb
	}
	if xn, ok := asNum(x); ok {
		if yn, ok := asNum(y); ok {
			return xn == yn
		}
	}
	if x.kind() == KindArray || y.kind() == KindArray {
		return x.ArgString() == y.ArgString()
	}
	return x.String() == y.String()
}

func boolOf(v Value) (bool, bool) {
	if v.kind() == KindBool {
		return v.Bool, true
	}
	return parseBoolWord(v.String())
}

// compare orders numbers, times, addresses, then strings.
func compare(x, y Value) (int, bool) {
	if xn, ok := asNum(x); ok {
		if yn, ok := asNum(y); ok {
			return cmp3(xn, yn), true
		}
	}
	if x.kind() == KindTime && y.kind() == KindTime {
		return cmp3(int64(x.Time), int64(y.Time)), true
	}
	if xa, ok := asIP(x); ok {
		if ya, ok := asIP(y); ok {
			return xa.Compare(ya), true
		}
	}
	xs, ys := x.String(), y.String()
	switch {
	case xs < ys:
		return -1, true
	case xs > ys:
		return 1, true
	}
	return 0, true
}

func cmp3(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// index is $a->k: a list element by number, else a keyed element.
func index(x, y Value) Value {
	if x.kind() != KindArray {
		return Nothing()
	}
	if y.kind() == KindNum && y.Num >= 0 && int(y.Num) < len(x.Arr.List) {
		return x.Arr.List[y.Num]
	}
	if v, ok := x.Arr.Keys[y.String()]; ok {
		return v
	}
	return Nothing()
}

// MaxString and MaxArray bound the strings and arrays a script builds
// (bytes, elements), and MaxOutput the console output of one run: a
// doubling loop (":for i from=1 to=40 do={ :set s ($s . $s) }") would
// otherwise take all the machine's memory before the step or time bound
// stops it. They are rosemu's bounds, far above what configurations use.
const (
	MaxString = 1 << 20
	MaxArray  = 1 << 20
	MaxOutput = 16 << 20
	// MaxLog is how many :log entries one run keeps (the newest), the
	// most RouterOS's memory log action keeps (memory-lines 65535).
	MaxLog = 65535
)

func tooLarge(p Pos) error {
	return &Error{Msg: "interrupted: the script builds a value larger than rosemu's bound (1 MiB string or 1048576 elements)", Category: 2, Pos: p}
}
