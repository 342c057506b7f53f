package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// The router's time zone (/system clock time-zone-name, or the offset of
// /system clock manual while it is "manual"). rosemu's clock is the
// host's, in UTC; what RouterOS shows and decides in local time follows
// the zone: /system clock's time, date, gmt-offset and dst-active, the
// export header's date, the scheduler's start-date and start-time, and the
// firewall's time= matcher, whose window is shifted into UTC (the clock of
// the kernel's nftables) with the zone's offset of the moment the rules
// are applied. The days stay as written: the kernel counts them in UTC,
// so in a zone far from UTC the first or last hours of a day count to the
// next or the previous one. The manual zone's daylight-saving rule
// (dst-delta, dst-start, dst-end) is stored.
// Source: Clock page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Clock.

// clockLocation is the router's zone; UTC when none is set or it cannot
// be read.
func clockLocation(m *model) *time.Location {
	name := "manual"
	if its := m.tables["system clock"]; len(its) > 0 && its[0].props["time-zone-name"] != "" {
		name = its[0].props["time-zone-name"]
	}
	if name != "manual" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
		return time.UTC
	}
	off := "+00:00"
	if its := m.tables["system clock manual"]; len(its) > 0 && its[0].props["time-zone"] != "" {
		off = its[0].props["time-zone"]
	}
	secs, ok := offsetSeconds(off)
	if !ok || secs == 0 {
		return time.UTC
	}
	return time.FixedZone(off, int(secs))
}

// pOffset is /system clock manual's time-zone and dst-delta: [+-]H:MM,
// kept as RouterOS prints it (+03:00). [verify] that RouterOS takes a
// one-digit hour and no sign.
func pOffset(_ *tx, name, v string) (string, error) {
	sign, rest := "+", v
	if strings.HasPrefix(v, "+") || strings.HasPrefix(v, "-") {
		sign, rest = v[:1], v[1:]
	}
	h, m, ok := strings.Cut(rest, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(h) > 2 || len(m) != 2 || mm > 59 {
		return "", errInvalid(name)
	}
	// RouterOS's zones lie within -12:00 and +14:00.
	secs := hh*3600 + mm*60
	if sign == "+" && secs > 14*3600 || sign == "-" && secs > 12*3600 {
		return "", errInvalid(name)
	}
	return fmt.Sprintf("%s%02d:%02d", sign, hh, mm), nil
}

// localNow is the transaction's moment on the router's clock.
func (t *tx) localNow() time.Time { return t.now.In(clockLocation(t.m)) }

// gmtOffset is RouterOS's form of a zone's offset at a moment: +01:00.
func gmtOffset(at time.Time) string {
	_, secs := at.Zone()
	sign := "+"
	if secs < 0 {
		sign, secs = "-", -secs
	}
	return fmt.Sprintf("%s%02d:%02d", sign, secs/3600, secs%3600/60)
}

// clockOffset is the zone's offset from UTC at the transaction's moment,
// in seconds.
func (t *tx) clockOffset() int {
	_, secs := t.localNow().Zone()
	return secs
}

// utcWindows rewrites the time= windows of rules from the router's clock
// (offset seconds east of UTC) into UTC: one window on the circle of the
// day stays one window, which may now wrap over midnight (the renderer
// splits that). A window with days moves to UTC day by day (utcDayWindows),
// since the part of it shifted over midnight falls on the next or the
// previous day. A value it cannot read is left for the renderer to refuse.
func utcWindows(rs []kernel.Rule, offset int) {
	if offset == 0 {
		return
	}
	for _, r := range rs {
		v := r.Props["time"]
		if v == "" {
			continue
		}
		// "!" (outside the window) stays in front of the shifted
		// window (forum59 D2).
		neg := ""
		if rest, ok := strings.CutPrefix(v, "!"); ok {
			neg, v = "!", rest
		}
		win, days, _ := strings.Cut(v, ",")
		from, to, ok := strings.Cut(win, "-")
		f, ok1 := script.ParseTime(from)
		e, ok2 := script.ParseTime(to)
		if !ok || !ok1 || !ok2 || f == e {
			continue
		}
		if days != "" {
			if w, ok := utcDayWindows(int(f/time.Second), int(e/time.Second), days, offset); ok {
				r.Props["time"] = neg + w
			}
			continue
		}
		shift := func(d time.Duration) string {
			s := (int(d/time.Second)%86400 - offset%86400 + 2*86400) % 86400
			return fmt.Sprintf("%02d:%02d:%02d", s/3600, s%3600/60, s%60)
		}
		out := shift(f) + "-" + shift(e)
		if days != "" {
			out += "," + days
		}
		r.Props["time"] = neg + out
	}
}

var weekday = map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

// utcDayWindows is a time= window from seconds f to e of the router's
// local days (sun,mon,...) as the UTC pieces the renderer takes,
// "utc:5@75600-86400;6@0-21600" (kernel.timeMatch): each local day's
// window, offset seconds east of UTC, cut at UTC midnights. A window over
// local midnight (22h-6h) keeps rosemu's reading that the days apply to
// both of its halves, as the renderer does without a zone.
func utcDayWindows(f, e int, days string, offset int) (string, bool) {
	var local [][2]int
	switch {
	case e > f:
		local = [][2]int{{f, e}}
	case e == 0:
		local = [][2]int{{f, 86400}}
	default:
		local = [][2]int{{f, 86400}, {0, e}}
	}
	var pieces []string
	for _, name := range strings.Split(days, ",") {
		d, ok := weekday[name]
		if !ok {
			return "", false // the renderer refuses the day in its words
		}
		for _, w := range local {
			for a, b := w[0]-offset, w[1]-offset; a < b; {
				k := a / 86400
				if a < 0 && a%86400 != 0 {
					k--
				}
				end := min(b, (k+1)*86400)
				pieces = append(pieces, fmt.Sprintf("%d@%d-%d", ((d+k)%7+7)%7, a-k*86400, end-k*86400))
				a = end
			}
		}
	}
	return "utc:" + strings.Join(pieces, ";"), true
}
