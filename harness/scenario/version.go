package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a RouterOS version such as 6.49.13, 7.16.2 or 7.18beta2.
// RouterOS numbers its releases major.minor[.patch]; a missing patch is 0
// (7.18 is the first 7.18 release), and beta and rc builds come before the
// release they lead to (7.18beta2 < 7.18rc1 < 7.18 < 7.18.1).
type Version struct {
	Major, Minor, Patch int
	// Pre is "alpha", "beta" or "rc" for a pre-release, empty for a release;
	// PreN is its number (the 2 of 7.18beta2).
	Pre  string
	PreN int
	// Channel is what the router prints after the number in
	// /system/resource (stable, long-term, testing); it plays no part in
	// comparisons.
	Channel string
}

// ParseVersion reads a RouterOS version:
//
//	version = major "." minor [ "." patch ] [ ("alpha" | "beta" | "rc") number ] [ " (" channel ")" ]
//
// Numbers are decimal without leading zeros. The channel suffix is what
// /system/resource prints ("7.16.2 (stable)"), so the router's own answer
// parses as it is.
func ParseVersion(s string) (Version, error) {
	var v Version
	text := s
	if i := strings.IndexByte(text, ' '); i >= 0 {
		ch := strings.TrimSpace(text[i+1:])
		if !strings.HasPrefix(ch, "(") || !strings.HasSuffix(ch, ")") || len(ch) < 3 {
			return Version{}, fmt.Errorf("parse RouterOS version %q: want major.minor[.patch][alphaN|betaN|rcN], optionally followed by \" (channel)\"", s)
		}
		v.Channel = ch[1 : len(ch)-1]
		text = text[:i]
	}
	parts := strings.Split(text, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("parse RouterOS version %q: want major.minor[.patch][alphaN|betaN|rcN]", s)
	}
	// The pre-release tag hangs on the last number: 7.18beta2.
	last := parts[len(parts)-1]
	// alpha is checked before the others: 7.14alpha21 is a real export's
	// header (realcheck23 D1), and an unread tag left the export without a
	// version the emulator runs.
	for _, tag := range []string{"alpha", "beta", "rc"} {
		if num, n, ok := strings.Cut(last, tag); ok {
			pn, err := number(n)
			if err != nil {
				return Version{}, fmt.Errorf("parse RouterOS version %q: %s number: %w", s, tag, err)
			}
			v.Pre, v.PreN = tag, pn
			parts[len(parts)-1] = num
			break
		}
	}
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		n, err := number(p)
		if err != nil {
			return Version{}, fmt.Errorf("parse RouterOS version %q: want major.minor[.patch][alphaN|betaN|rcN]: %w", s, err)
		}
		*nums[i] = n
	}
	return v, nil
}

// number parses a decimal without sign or leading zeros, small enough that
// no RouterOS release could exceed it.
func number(s string) (int, error) {
	if s == "" || len(s) > 4 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("%q is not a version number", s)
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a version number", s)
		}
	}
	return strconv.Atoi(s)
}

// String prints the version as RouterOS names it, without the channel:
// 7.16.2, 7.18, 7.18beta2.
func (v Version) String() string {
	s := fmt.Sprintf("%d.%d", v.Major, v.Minor)
	if v.Patch != 0 {
		s += fmt.Sprintf(".%d", v.Patch)
	}
	if v.Pre != "" {
		s += fmt.Sprintf("%s%d", v.Pre, v.PreN)
	}
	return s
}

// Compare returns -1, 0 or +1 as v sorts before, with or after w.
func (v Version) Compare(w Version) int {
	for _, d := range [][2]int{{v.Major, w.Major}, {v.Minor, w.Minor}, {v.Patch, w.Patch}, {preRank(v), preRank(w)}, {v.PreN, w.PreN}} {
		switch {
		case d[0] < d[1]:
			return -1
		case d[0] > d[1]:
			return 1
		}
	}
	return 0
}

// preRank orders alpha before beta before rc before the release.
func preRank(v Version) int {
	switch v.Pre {
	case "alpha":
		return 0
	case "beta":
		return 1
	case "rc":
		return 2
	}
	return 3
}

// Range is a set of RouterOS versions, parsed from a scenario's routeros
// field by ParseRange.
type Range struct {
	text string
	alts [][]clause // any alternative whose every clause holds
}

type clause struct {
	op string // ">=", ">", "<=", "<", "=", "!="
	v  Version
	// line is set for a wildcard such as 6.49.x or 7.x: then the clause
	// holds for every version whose leading numbers match v's first
	// line numbers.
	line int
}

// ParseRange reads a version range. The grammar:
//
//	range       = alternative { "||" alternative }
//	alternative = clause { [","] clause }    (every clause must hold)
//	clause      = [ op ] version | wildcard
//	op          = ">=" | ">" | "<=" | "<" | "=" | "!="   (no op means "=")
//	wildcard    = major ".x" | major "." minor ".x"
//
// Examples: ">=6.49", ">=7.0 <7.18", "6.49.x", "6.49.x || >=7.10",
// "!=7.17". A bound names a release; the beta and rc builds of that
// release count as the release itself (">=7.18" holds for 7.18beta2,
// "<7.18" does not), because they carry its syntax and defaults. A bound
// written with a pre-release tag (">=7.18rc1") compares exactly. The empty
// range holds for every version.
func ParseRange(s string) (Range, error) {
	r := Range{text: strings.TrimSpace(s)}
	if r.text == "" {
		return r, nil
	}
	for _, alt := range strings.Split(r.text, "||") {
		fields := strings.Fields(strings.ReplaceAll(alt, ",", " "))
		if len(fields) == 0 {
			return Range{}, fmt.Errorf("parse RouterOS range %q: an empty alternative around ||", s)
		}
		var cs []clause
		for i := 0; i < len(fields); i++ {
			f := fields[i]
			// An operator may stand apart from its version: ">= 6.49".
			if isOp(f) && i+1 < len(fields) {
				f += fields[i+1]
				i++
			}
			c, err := parseClause(f)
			if err != nil {
				return Range{}, fmt.Errorf("parse RouterOS range %q: %w", s, err)
			}
			cs = append(cs, c)
		}
		r.alts = append(r.alts, cs)
	}
	return r, nil
}

var ops = []string{">=", "<=", "!=", ">", "<", "="}

func isOp(s string) bool {
	for _, op := range ops {
		if s == op {
			return true
		}
	}
	return false
}

func parseClause(f string) (clause, error) {
	c := clause{op: "="}
	for _, op := range ops {
		if rest, ok := strings.CutPrefix(f, op); ok {
			c.op, f = op, rest
			break
		}
	}
	if base, ok := strings.CutSuffix(f, ".x"); ok {
		if c.op != "=" {
			return clause{}, fmt.Errorf("wildcard %s.x takes no operator %s", base, c.op)
		}
		if !strings.Contains(base, ".") {
			base += ".0"
			c.line = 1
		} else {
			c.line = 2
		}
		v, err := ParseVersion(base)
		if err != nil || v.Patch != 0 || v.Pre != "" || strings.Count(base, ".") > 1 {
			return clause{}, fmt.Errorf("%q is not a wildcard such as 7.x or 6.49.x", f+".x")
		}
		c.v = v
		return c, nil
	}
	// A bound may name a major version alone: ">=7" is ">=7.0".
	if c.op != "=" && f != "" && strings.Trim(f, "0123456789") == "" {
		f += ".0"
	}
	v, err := ParseVersion(f)
	if err != nil {
		return clause{}, err
	}
	if v.Channel != "" {
		return clause{}, fmt.Errorf("%q: a range names versions without a channel", f)
	}
	c.v = v
	return c, nil
}

// String returns the range as written.
func (r Range) String() string { return r.text }

// Contains reports whether v is in the range.
func (r Range) Contains(v Version) bool {
	if len(r.alts) == 0 {
		return true
	}
	for _, alt := range r.alts {
		all := true
		for _, c := range alt {
			all = all && c.holds(v)
		}
		if all {
			return true
		}
	}
	return false
}

func (c clause) holds(v Version) bool {
	switch c.line {
	case 1:
		return v.Major == c.v.Major
	case 2:
		return v.Major == c.v.Major && v.Minor == c.v.Minor
	}
	// A bound without a pre-release tag compares the release a beta or rc
	// leads to, so that 7.18beta2 is treated as 7.18.
	if c.v.Pre == "" {
		v.Pre, v.PreN = "", 0
	}
	d := v.Compare(c.v)
	switch c.op {
	case ">=":
		return d >= 0
	case ">":
		return d > 0
	case "<=":
		return d <= 0
	case "<":
		return d < 0
	case "!=":
		return d != 0
	}
	return d == 0
}

// VersionRange parses the scenario's routeros field; Parse leaves it
// unchecked, so callers that load scenarios should call this once to fail
// on a typo at load time rather than skip the scenario at run time.
func (s *Scenario) VersionRange() (Range, error) {
	r, err := ParseRange(s.RouterOS)
	if err != nil {
		return Range{}, fmt.Errorf("%s: routeros: %w", s.File, err)
	}
	return r, nil
}

// Applies reports whether the scenario is meant for RouterOS version (as
// /system/resource prints it, or as the user asked for it), and why, in a
// sentence the report can show beside a skipped scenario. An unreadable
// version or range never applies: the reason then names the error, so that
// a typo cannot pass for a deliberate skip unnoticed.
func (s *Scenario) Applies(version string) (bool, string) {
	r, err := s.VersionRange()
	if err != nil {
		return false, err.Error()
	}
	v, err := ParseVersion(version)
	if err != nil {
		return false, err.Error()
	}
	if r.text == "" {
		return true, fmt.Sprintf("scenario %s names no RouterOS range: runs on %s", s.Name, v)
	}
	if !r.Contains(v) {
		return false, fmt.Sprintf("scenario %s is for RouterOS %s, not %s", s.Name, r.text, v)
	}
	return true, fmt.Sprintf("RouterOS %s is within %s", v, r.text)
}
