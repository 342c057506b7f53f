package api

import (
	"cmp"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// query is a compiled list of print query words (docs/routeros.md).
type query []queryWord

// queryWord is one "?..." word. kind is one of:
// 'h' has property, 'n' has not, '=' equal, '<' less, '>' greater, '#' stack operations.
type queryWord struct {
	kind  byte
	name  string
	value string // the operand, or the operation string for '#'
}

// compileQuery parses query words (without their leading '?'). It rejects
// only what it cannot evaluate: unknown characters in a "?#" operation string.
func compileQuery(words []string) (query, error) {
	q := make(query, 0, len(words))
	for _, w := range words {
		var qw queryWord
		switch {
		case strings.HasPrefix(w, "#"):
			qw = queryWord{kind: '#', value: w[1:]}
			for _, c := range qw.value {
				if !strings.ContainsRune("0123456789!&|.", c) {
					return nil, fmt.Errorf("unknown query operation %q in ?%s", c, w)
				}
			}
		case strings.HasPrefix(w, "-"):
			qw = queryWord{kind: 'n', name: w[1:]}
		case strings.HasPrefix(w, "<"), strings.HasPrefix(w, ">"), strings.HasPrefix(w, "="):
			qw.kind = w[0]
			qw.name, qw.value, _ = strings.Cut(w[1:], "=")
		default:
			name, value, ok := strings.Cut(w, "=")
			if ok {
				qw = queryWord{kind: '=', name: name, value: value}
			} else {
				qw = queryWord{kind: 'h', name: name}
			}
		}
		q = append(q, qw)
	}
	return q, nil
}

// match evaluates q against row. The evaluation stack starts as an infinite
// stack of true; the row matches when no false is left on it.
//
// A comparison against a property the row does not have is false: the item
// has no value to compare, just as "?name" is false for it.
func (q query) match(row config.Row) bool {
	st := stack{fill: true}
	for _, w := range q {
		switch w.kind {
		case 'h':
			_, ok := row.Get(w.name)
			st.push(ok)
		case 'n':
			_, ok := row.Get(w.name)
			st.push(!ok)
		case '=', '<', '>':
			v, ok := row.Get(w.name)
			if !ok {
				st.push(false)
				break
			}
			c := compareValues(v, w.value)
			st.push(w.kind == '=' && v == w.value || w.kind == '<' && c < 0 || w.kind == '>' && c > 0)
		case '#':
			st.apply(w.value)
		}
	}
	return st.result()
}

// stack is the query evaluation stack: vals on top of an infinite run of fill.
type stack struct {
	vals []bool // top is the last element
	fill bool
}

func (s *stack) push(v bool) { s.vals = append(s.vals, v) }

func (s *stack) pop() bool {
	if len(s.vals) == 0 {
		return s.fill
	}
	v := s.vals[len(s.vals)-1]
	s.vals = s.vals[:len(s.vals)-1]
	return v
}

// at returns the value at index i, the top being 0.
func (s *stack) at(i int) bool {
	if i >= 0 && i < len(s.vals) {
		return s.vals[len(s.vals)-1-i]
	}
	return s.fill
}

func (s *stack) result() bool {
	if !s.fill {
		return false
	}
	for _, v := range s.vals {
		if !v {
			return false
		}
	}
	return true
}

// apply runs a "?#" operation string as API-DOC defines it: a run of digits
// is an index (top is 0) that pushes a copy of that value when another
// character follows and replaces the whole stack with it at the end of the
// word; '!' negates the top; '&' and '|' pop two and push the result; '.'
// does nothing after an index and duplicates the top after anything else.
func (s *stack) apply(ops string) {
	afterIndex := false
	for i := 0; i < len(ops); {
		c := ops[i]
		if c >= '0' && c <= '9' {
			j := i
			for j < len(ops) && ops[j] >= '0' && ops[j] <= '9' {
				j++
			}
			idx, err := strconv.Atoi(ops[i:j])
			if err != nil {
				// An index too large for int lies in the infinite fill.
				idx = -1
			}
			v := s.at(idx)
			if j == len(ops) {
				s.vals, s.fill = s.vals[:0], v
			} else {
				s.push(v)
			}
			i, afterIndex = j, true
			continue
		}
		switch c {
		case '!':
			s.push(!s.pop())
		case '&':
			b, a := s.pop(), s.pop()
			s.push(a && b)
		case '|':
			b, a := s.pop(), s.pop()
			s.push(a || b)
		case '.':
			if !afterIndex {
				s.push(s.at(0))
			}
		}
		i, afterIndex = i+1, false
	}
}

// compareValues orders two property values for "?<" and "?>". RouterOS
// compares typed values; the emulator recognises the types its menus carry
// (integers, item ids, IP addresses and prefixes, durations) when both sides
// parse as the same type, and falls back to byte order otherwise.
// [verify] against CHR, docs/routeros.md
func compareValues(a, b string) int {
	if x, err := strconv.ParseInt(a, 10, 64); err == nil {
		if y, err := strconv.ParseInt(b, 10, 64); err == nil {
			return cmp.Compare(x, y)
		}
	}
	if x, ok := parseID(a); ok {
		if y, ok := parseID(b); ok {
			return cmp.Compare(x, y)
		}
	}
	if x, err := netip.ParseAddr(a); err == nil {
		if y, err := netip.ParseAddr(b); err == nil {
			return x.Compare(y)
		}
	}
	if x, err := netip.ParsePrefix(a); err == nil {
		if y, err := netip.ParsePrefix(b); err == nil {
			if c := x.Addr().Compare(y.Addr()); c != 0 {
				return c
			}
			return cmp.Compare(x.Bits(), y.Bits())
		}
	}
	if x, ok := parseDuration(a); ok {
		if y, ok := parseDuration(b); ok {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(a, b)
}

// parseID parses an item id such as "*1A".
func parseID(s string) (uint64, bool) {
	if len(s) < 2 || s[0] != '*' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[1:], 16, 64)
	return n, err == nil
}

// parseDuration parses RouterOS time values: unit form ("1w2d3h4m5s",
// "500ms") and clock form ("00:01:02", "1d00:00:10").
func parseDuration(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	var total time.Duration
	rest := s
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		// The clock part is the last 8 characters, "hh:mm:ss"; any unit
		// form before it ("1d") is parsed below.
		j := strings.LastIndexAny(rest[:i], "wd")
		clock := rest[j+1:]
		rest = rest[:j+1]
		parts := strings.Split(clock, ":")
		if len(parts) != 3 {
			return 0, false
		}
		for k, unit := range []time.Duration{time.Hour, time.Minute, time.Second} {
			n, err := strconv.ParseFloat(parts[k], 64)
			if err != nil || n < 0 {
				return 0, false
			}
			total += time.Duration(n * float64(unit))
		}
		if rest == "" {
			return total, true
		}
	}
	units := []struct {
		suffix string
		d      time.Duration
	}{{"ms", time.Millisecond}, {"us", time.Microsecond}, {"ns", time.Nanosecond},
		{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}}
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, false
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, false
		}
		rest = rest[i:]
		found := false
		for _, u := range units {
			if strings.HasPrefix(rest, u.suffix) {
				total += time.Duration(n * float64(u.d))
				rest = rest[len(u.suffix):]
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return total, true
}
