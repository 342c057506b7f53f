package script

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Kind is a RouterOS value type as :typeof names it.
type Kind string

// The value types of the RouterOS scripting language (docs/routeros.md).
const (
	KindNum     Kind = "num"
	KindStr     Kind = "str"
	KindBool    Kind = "bool"
	KindIP      Kind = "ip"
	KindPrefix  Kind = "ip-prefix"
	KindIP6     Kind = "ip6"
	KindPrefix6 Kind = "ip6-prefix"
	KindTime    Kind = "time"
	KindID      Kind = "id"
	KindArray   Kind = "array"
	KindNil     Kind = "nil"
	KindNothing Kind = "nothing"
	KindCode    Kind = "code"
)

// Value is one script value. The zero Value is "nothing".
type Value struct {
	Kind   Kind
	Num    int64
	Str    string // str, id (with the leading '*')
	Bool   bool
	IP     netip.Addr
	Prefix netip.Prefix
	Time   time.Duration
	Arr    *Array
	Code   *Block
}

// Array is a RouterOS array: un-keyed elements in order, then keyed ones,
// which RouterOS iterates in key order.
type Array struct {
	List []Value
	Keys map[string]Value
}

// Convenience constructors.
func Str(s string) Value            { return Value{Kind: KindStr, Str: s} }
func Num(n int64) Value             { return Value{Kind: KindNum, Num: n} }
func Bool(b bool) Value             { return Value{Kind: KindBool, Bool: b} }
func ID(s string) Value             { return Value{Kind: KindID, Str: s} }
func Nothing() Value                { return Value{Kind: KindNothing} }
func Nil() Value                    { return Value{Kind: KindNil} }
func TimeVal(d time.Duration) Value { return Value{Kind: KindTime, Time: d} }

// ArrayOf returns an un-keyed array of the values.
func ArrayOf(vs ...Value) Value {
	return Value{Kind: KindArray, Arr: &Array{List: vs}}
}

func (v Value) kind() Kind {
	if v.Kind == "" {
		return KindNothing
	}
	return v.Kind
}

// sortedKeys returns the keys of an array in RouterOS iteration order.
func (a *Array) sortedKeys() []string {
	ks := make([]string, 0, len(a.Keys))
	for k := range a.Keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Len is the number of elements, keyed ones included.
func (a *Array) Len() int { return len(a.List) + len(a.Keys) }

// String formats the value as :put prints it.
func (v Value) String() string {
	switch v.kind() {
	case KindNum:
		return strconv.FormatInt(v.Num, 10)
	case KindStr, KindID:
		return v.Str
	case KindBool:
		if v.Bool {
			return "true"
		}
		return "false"
	case KindIP, KindIP6:
		return v.IP.String()
	case KindPrefix, KindPrefix6:
		return v.Prefix.String()
	case KindTime:
		return FormatTime(v.Time)
	case KindArray:
		// The text stops once it passes MaxString (an array holding one
		// large string a million times): callers that build values from
		// it then fail on the bound, and nothing holds more.
		var b strings.Builder
		add := func(s string) bool {
			if b.Len() > 0 {
				b.WriteByte(';')
			}
			b.WriteString(s)
			return b.Len() <= MaxString
		}
		for _, e := range v.Arr.List {
			if !add(e.String()) {
				return b.String()
			}
		}
		for _, k := range v.Arr.sortedKeys() {
			if !add(k + "=" + v.Arr.Keys[k].String()) {
				return b.String()
			}
		}
		return b.String()
	case KindCode:
		return "(code)"
	}
	return ""
}

// IPValue returns an ip or ip6 value of the address.
func IPValue(a netip.Addr) Value {
	if a.Is4() {
		return Value{Kind: KindIP, IP: a}
	}
	return Value{Kind: KindIP6, IP: a}
}

// PrefixValue returns an ip-prefix or ip6-prefix value of the masked prefix.
func PrefixValue(p netip.Prefix) Value {
	if p.Addr().Is4() {
		return Value{Kind: KindPrefix, Prefix: p.Masked()}
	}
	return Value{Kind: KindPrefix6, Prefix: p.Masked()}
}

// parseShortIP4 reads the dotted forms the RouterOS lexer accepts as IPv4
// addresses: a.b.c.d, and the shortened a.b (a.0.0.b) and a.b.c (a.b.0.c)
// of inet_aton, every part at most 255 (docs/routeros.md: 1.1 is 1.0.0.1, while
// 1.256 is no address). single also accepts a lone number (the address of
// a prefix such as 10/8).
func parseShortIP4(s string, single bool) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 || (len(parts) == 1 && !single) {
		return netip.Addr{}, false
	}
	var n [4]byte
	for i, p := range parts {
		if p == "" || len(p) > 3 {
			return netip.Addr{}, false
		}
		v, err := strconv.ParseUint(p, 10, 16)
		if err != nil || v > 255 {
			return netip.Addr{}, false
		}
		// The last part fills the last byte; the others fill from the
		// front.
		if i == len(parts)-1 {
			n[3] = byte(v)
		} else {
			n[i] = byte(v)
		}
	}
	return netip.AddrFrom4(n), true
}

// ArgString formats the value as a command argument: arrays become comma
// lists, as RouterOS passes [find] results to set and remove.
func (v Value) ArgString() string {
	if v.kind() == KindArray {
		var parts []string
		for _, e := range v.Arr.List {
			parts = append(parts, e.ArgString())
		}
		for _, k := range v.Arr.sortedKeys() {
			parts = append(parts, v.Arr.Keys[k].ArgString())
		}
		return strings.Join(parts, ",")
	}
	return v.String()
}

// Truth is the boolean meaning of a value in :if and where.
func (v Value) Truth() bool {
	switch v.kind() {
	case KindBool:
		return v.Bool
	case KindNum:
		return v.Num != 0
	case KindStr:
		b, ok := parseBoolWord(v.Str)
		return ok && b
	case KindArray:
		return v.Arr.Len() > 0
	case KindNothing, KindNil:
		return false
	}
	return true
}

func parseBoolWord(s string) (bool, bool) {
	switch s {
	case "yes", "true":
		return true, true
	case "no", "false":
		return false, true
	}
	return false, false
}

// FormatTime prints a duration the way RouterOS v7 prints time values:
// 00:05:00, 1d02:00:00, 1w2d00:00:00, with milliseconds when present. A
// zero day count after weeks is left out, and a fraction finer than a
// millisecond keeps its nine digits, as the Scripting manual's
// ":put [:timestamp]" prints 2735w21:41:43.481891543 (forum60 D3: rosemu
// printed 1w0d00:00:00 and cut :timestamp to milliseconds).
func FormatTime(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	w := d / (7 * 24 * time.Hour)
	d -= w * 7 * 24 * time.Hour
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	if w > 0 {
		fmt.Fprintf(&b, "%dw", w)
	}
	if days > 0 {
		fmt.Fprintf(&b, "%dd", days)
	}
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	d -= s * time.Second
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, s)
	switch {
	case d%time.Millisecond != 0:
		fmt.Fprintf(&b, ".%09d", d)
	case d > 0:
		fmt.Fprintf(&b, ".%03d", d/time.Millisecond)
	}
	return b.String()
}

// FormatTimeCompact prints a duration as RouterOS v7 prints time properties
// in print and export: 1d2h3m4s, 5m, 0s.
func FormatTimeCompact(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	units := []struct {
		d time.Duration
		s string
	}{{7 * 24 * time.Hour, "w"}, {24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}}
	for _, u := range units {
		if n := d / u.d; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.s)
			d -= n * u.d
		}
	}
	return b.String()
}

// ParseTime parses a RouterOS time: plain seconds (30), unit form
// (1w2d3h4m5s, 500ms) or clock form (1d02:03:04, 00:15:00).
func ParseTime(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Duration(n) * time.Second, true
	}
	var total time.Duration
	rest := s
	// Unit form, possibly followed by a clock form: 1d02:03:04.
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, false
		}
		// A decimal count of a unit: ":delay 0.5s" in public LED, backup
		// and FTP scripts (RouterOS takes it; [verify] units above s).
		k := i
		if k+1 < len(rest) && rest[k] == '.' && rest[k+1] >= '0' && rest[k+1] <= '9' {
			k++
			for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
				k++
			}
		}
		j := k
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		if j == k {
			// No unit: must be the clock part.
			if k != i {
				return 0, false
			}
			break
		}
		n, _ := strconv.ParseInt(rest[:i], 10, 64)
		frac := rest[i:k]
		var unit time.Duration
		switch rest[k:j] {
		case "w":
			unit = 7 * 24 * time.Hour
		case "d":
			unit = 24 * time.Hour
		case "h":
			unit = time.Hour
		case "m":
			unit = time.Minute
		case "s":
			unit = time.Second
		case "ms":
			unit = time.Millisecond
		default:
			return 0, false
		}
		total += time.Duration(n) * unit
		if frac != "" {
			// ".5" of the unit, to the nanosecond.
			f, _ := strconv.ParseInt((frac[1:] + "000000000")[:9], 10, 64)
			total += time.Duration(float64(unit) * float64(f) / 1e9)
		}
		rest = rest[j:]
	}
	if rest == "" {
		return total, true
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return 0, false
	}
	var clock time.Duration
	for k, p := range parts {
		frac := ""
		if k == 2 {
			if dot := strings.IndexByte(p, '.'); dot >= 0 {
				p, frac = p[:dot], p[dot+1:]
			}
		}
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil || len(p) == 0 {
			return 0, false
		}
		clock = clock*60 + time.Duration(n)
		if frac != "" {
			// Up to nine digits, as :timestamp prints them.
			f, err := strconv.ParseUint((frac + "000000000")[:9], 10, 32)
			if err != nil {
				return 0, false
			}
			total += time.Duration(f)
		}
	}
	return total + clock*time.Second, true
}

// ParseLiteral types a bare word the way the RouterOS lexer does: numbers,
// IP addresses, prefixes, times, ids and booleans; anything else is a str.
func ParseLiteral(s string) Value {
	if s == "" {
		return Str(s)
	}
	if s == "true" {
		return Bool(true)
	}
	if s == "false" {
		return Bool(false)
	}
	if s[0] == '*' && len(s) > 1 {
		if _, err := strconv.ParseUint(s[1:], 16, 64); err == nil {
			return ID("*" + strings.ToUpper(s[1:]))
		}
	}
	if s[0] >= '0' && s[0] <= '9' {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return Num(n)
		}
		if strings.HasPrefix(s, "0x") {
			if n, err := strconv.ParseInt(s[2:], 16, 64); err == nil {
				return Num(n)
			}
		}
		if a, ok := parseShortIP4(s, false); ok {
			return Value{Kind: KindIP, IP: a}
		}
		if addr, bits, ok := strings.Cut(s, "/"); ok {
			if a, ok := parseShortIP4(addr, true); ok {
				if n, err := strconv.Atoi(bits); err == nil && n >= 0 && n <= 32 {
					return PrefixValue(netip.PrefixFrom(a, n))
				}
			}
		}
		if d, ok := ParseTime(s); ok {
			return TimeVal(d)
		}
		// 1.256: a dotted pair that is no address is a time in seconds.
		if sec, frac, ok := strings.Cut(s, "."); ok && isDigits(sec) && isDigits(frac) {
			n, _ := strconv.ParseInt(sec, 10, 64)
			f, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
			return TimeVal(time.Duration(n)*time.Second + time.Duration(f))
		}
	}
	if strings.Contains(s, ":") {
		if a, err := netip.ParseAddr(s); err == nil && a.Is6() {
			return IPValue(a)
		}
		if p, err := netip.ParsePrefix(s); err == nil && p.Addr().Is6() {
			return PrefixValue(p)
		}
	}
	return Str(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
