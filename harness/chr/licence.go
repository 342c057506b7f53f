package chr

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Licence is what a router's /system/license says about throughput. An
// unlicensed CHR runs at the free level, which limits each interface to
// 1 Mbit/s (docs/routeros.md): a throughput probe then measures the
// licence, not the configuration, and its result must be labelled so
// instead of failing or passing.
type Licence struct {
	// Level is the CHR level (free, p1, p10, p-unlimited), or "level N"
	// for a RouterOS 6.x licence that prints nlevel.
	Level string
	// LimitBps is the per-interface throughput limit in bit/s; 0 means
	// none.
	LimitBps float64
	// Bound reports whether every throughput figure of the run is capped
	// by the licence, as on a free CHR.
	Bound bool
	// Label is what the report shows beside throughput results.
	Label string
}

// chrLevels are the CHR licence levels and their per-interface limits.
var chrLevels = map[string]float64{
	"free":        1e6,
	"p1":          1e9,
	"p10":         10e9,
	"p-unlimited": 0,
}

// ParseLicence reads one row of /system/license print: `level` on CHR
// (free, p1, p10, p-unlimited, on 7.x and 6.x alike), or `nlevel` where
// RouterOS 6.x prints the numbered levels of x86 and RouterBOARD licences,
// which limit features and not throughput.
func ParseLicence(row map[string]string) (Licence, error) {
	if lv, ok := row["level"]; ok {
		lv = strings.ToLower(strings.TrimSpace(lv))
		limit, known := chrLevels[lv]
		if !known {
			return Licence{}, fmt.Errorf("read the router's licence: unknown level %q; known: free, p1, p10, p-unlimited", lv)
		}
		l := Licence{Level: lv, LimitBps: limit, Bound: lv == "free"}
		switch {
		case l.Bound:
			l.Label = "licence-bound: CHR free licence, 1 Mbit/s per interface"
		case limit > 0:
			l.Label = fmt.Sprintf("CHR %s licence: %s per interface", lv, rate(limit))
		default:
			l.Label = "CHR p-unlimited licence: no throughput limit"
		}
		return l, nil
	}
	if nl, ok := row["nlevel"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(nl))
		if err != nil || n < 0 || n > 6 {
			return Licence{}, fmt.Errorf("read the router's licence: nlevel %q is not a RouterOS level 0 to 6", nl)
		}
		return Licence{Level: fmt.Sprintf("level %d", n), Label: fmt.Sprintf("RouterOS level %d licence: no throughput limit", n)}, nil
	}
	return Licence{}, fmt.Errorf("read the router's licence: the row has neither level nor nlevel (fields: %s)", keys(row))
}

// Caps reports whether a measured rate in bit/s is at the licence's limit
// (within 10%), so that a p1 CHR measuring 0.95 Gbit/s is reported as
// limited by its licence rather than by the configuration under test.
func (l Licence) Caps(bps float64) bool {
	return l.LimitBps > 0 && bps >= 0.9*l.LimitBps
}

func rate(bps float64) string {
	if bps >= 1e9 {
		return strconv.FormatFloat(bps/1e9, 'f', -1, 64) + " Gbit/s"
	}
	return strconv.FormatFloat(bps/1e6, 'f', -1, 64) + " Mbit/s"
}

func keys(m map[string]string) string {
	if len(m) == 0 {
		return "none"
	}
	// Sorted, so that the message is the same on every run.
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}
