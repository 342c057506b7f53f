package chr

import (
	"strings"
	"testing"
)

func TestParseLicence(t *testing.T) {
	for _, tc := range []struct {
		row     map[string]string
		level   string
		limit   float64
		bound   bool
		label   string
		wantErr string
	}{
		// RouterOS 7 CHR, as /system/license print answers over the API.
		{row: map[string]string{"system-id": "pjLQ21gHzfI", "level": "free"}, level: "free", limit: 1e6, bound: true, label: "licence-bound: CHR free licence, 1 Mbit/s per interface"},
		{row: map[string]string{"level": "p1", "deadline-at": "2026-12-01"}, level: "p1", limit: 1e9, label: "CHR p1 licence: 1 Gbit/s per interface"},
		{row: map[string]string{"level": "p10"}, level: "p10", limit: 10e9, label: "CHR p10 licence: 10 Gbit/s per interface"},
		{row: map[string]string{"level": "p-unlimited"}, level: "p-unlimited", label: "no throughput limit"},
		{row: map[string]string{"level": " Free "}, level: "free", limit: 1e6, bound: true, label: "licence-bound"},
		// RouterOS 6 on x86 or a RouterBOARD prints a numbered level.
		{row: map[string]string{"software-id": "4JZ2-H049", "nlevel": "4", "features": ""}, level: "level 4", label: "RouterOS level 4 licence: no throughput limit"},
		{row: map[string]string{"level": "p2"}, wantErr: `unknown level "p2"`},
		{row: map[string]string{"nlevel": "seven"}, wantErr: "not a RouterOS level"},
		{row: map[string]string{"nlevel": "9"}, wantErr: "not a RouterOS level"},
		{row: map[string]string{"system-id": "x", "deadline-at": "y"}, wantErr: "neither level nor nlevel (fields: deadline-at, system-id)"},
		{row: nil, wantErr: "(fields: none)"},
	} {
		l, err := ParseLicence(tc.row)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseLicence(%v) = %+v, %v; want error %q", tc.row, l, err, tc.wantErr)
			}
			continue
		}
		if err != nil || l.Level != tc.level || l.LimitBps != tc.limit || l.Bound != tc.bound || !strings.Contains(l.Label, tc.label) {
			t.Errorf("ParseLicence(%v) = %+v, %v; want level %s, limit %g, bound %v, label %q", tc.row, l, err, tc.level, tc.limit, tc.bound, tc.label)
		}
	}
}

func TestLicenceCaps(t *testing.T) {
	free, _ := ParseLicence(map[string]string{"level": "free"})
	p1, _ := ParseLicence(map[string]string{"level": "p1"})
	unl, _ := ParseLicence(map[string]string{"level": "p-unlimited"})
	for _, tc := range []struct {
		l    Licence
		bps  float64
		want bool
	}{
		{free, 0.98e6, true},
		{free, 0.5e6, false}, // below the cap: something else limited it
		{p1, 0.95e9, true},
		{p1, 400e6, false},
		{unl, 40e9, false},
	} {
		if got := tc.l.Caps(tc.bps); got != tc.want {
			t.Errorf("%s.Caps(%g) = %v, want %v", tc.l.Level, tc.bps, got, tc.want)
		}
	}
}
