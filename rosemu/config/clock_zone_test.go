package config

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestClockZone: /system clock shows the zone's time, offset and DST
// state, the export header's date is local, a scheduler entry added
// without a start starts at the local time, and the kernel is told the
// offset for the time matcher. The manual zone takes its fixed offset.
// Without a zone the clock is UTC (the control).
func TestClockZone(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		src  string
		zone string
	}{
		{"", "UTC"},
		{"/system clock set time-zone-name=Asia/Kolkata", "Asia/Kolkata"},
		{"/system clock set time-zone-name=America/New_York", "America/New_York"},
		{"/system clock set time-zone-name=manual\n/system clock manual set time-zone=-3:30", "-03:30"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		if _, err := r.Run(ctx, c.src); err != nil {
			t.Fatal(err)
		}
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			loc = time.FixedZone(c.zone, -(3*3600 + 1800))
		}
		out, err := r.Run(ctx, ":put [/system clock get gmt-offset]\n:put [/system clock get dst-active]\n:put [/system clock get time]\n/system scheduler add name=s on-event=\":log info x\" interval=1h\n:put [/system scheduler get s start-time]")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().In(loc)
		_, off := now.Zone()
		// A script gets the offset in seconds, west of UTC wrapped as
		// an unsigned 32-bit number (verbs.go).
		want := strconv.FormatUint(uint64(uint32(int32(off))), 10)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 || lines[0] != want || lines[1] != boolAPI(now.IsDST()) {
			t.Errorf("%s: %q (want offset %s)", c.zone, lines, want)
			continue
		}
		for _, l := range []string{lines[2], lines[3]} {
			at, err := time.ParseInLocation("15:04:05", l, loc)
			if err != nil {
				t.Errorf("%s: time %q", c.zone, l)
				continue
			}
			d := at.Sub(time.Date(0, 1, 1, now.Hour(), now.Minute(), now.Second(), 0, loc))
			if d < -5*time.Second || d > 5*time.Second {
				t.Errorf("%s: shows %s, local time is %s", c.zone, l, now.Format("15:04:05"))
			}
		}
		if p, _ := r.Run(ctx, "/system clock print"); !strings.Contains(p, "gmt-offset: "+gmtOffset(now)) {
			t.Errorf("%s: print %q, want gmt-offset %s", c.zone, p, gmtOffset(now))
		}
		if _, err := r.Run(ctx, "/ip firewall filter add action=drop chain=forward time=8h-17h,mon"); err != nil {
			t.Fatal(err)
		}
		want = "8h-17h,mon"
		if off != 0 {
			want, _ = utcDayWindows(8*3600, 17*3600, "mon", off) // TestUTCDayWindows checks it
		}
		if got := r.State().Filter[0].Props["time"]; got != want {
			t.Errorf("%s: the kernel gets time=%s, want %s", c.zone, got, want)
		}
		if got := run(t, r, ":put [/ip firewall filter get [find] time]"); strings.TrimSpace(got) != "8h-17h,mon" {
			t.Errorf("%s: the rule reads %q: the configuration must keep the local window", c.zone, got)
		}
		if h := strings.SplitN(r.Export(), "\n", 2)[0]; !strings.Contains(h, now.Format("2006-01-02 15:")) {
			t.Errorf("%s: export header %q, local now %s", c.zone, h, now.Format("2006-01-02 15:04"))
		}
	}
	if _, err := New(Options{Ports: []string{"ether1"}}).Run(ctx, "/system clock manual set time-zone=+25:00"); err == nil {
		t.Error("a manual offset of 25 hours was taken")
	}
}

// TestClockSetDateTime: /system clock set date= time= is checked in both
// versions' spellings and reported as not enforced (rosemu's clock is the
// machine's); the zone set beside them is set; a bad time is refused.
func TestClockSetDateTime(t *testing.T) {
	r := New(Options{Version: "7.6", Ports: []string{"ether1"}})
	v := r.Validate(context.Background(), "/system clock\nset time-zone-autodetect=no time-zone-name=Europe/Stockholm date=apr/24/2023 time=12:00:00\nset date=2023-04-24\nset time=25:00:00\n", time.Second)
	want := []string{"2:1 stored-not-enforced time: " + clockReason, "3:1 stored-not-enforced date: " + clockReason, "4:5 refused invalid value for argument time"}
	if got := findings(v); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := run(t, r, ":put [/system clock get time-zone-name]"); got != "Europe/Stockholm\n" {
		t.Errorf("time-zone-name = %q", got)
	}
	if exp := r.Export(); strings.Contains(exp, "date=") || strings.Contains(exp, "time=") {
		t.Errorf("the date or time was exported:\n%s", exp)
	}
}

// TestUTCDayWindows: a window with days, moved from a zone to UTC, holds
// exactly the UTC moments whose local day and time the window holds (every
// quarter hour of a week, in zones east and west of UTC and half-hour
// ones). Tokyo's Saturday 6h-9h is Friday 21h-24h in UTC: the days moved
// with the hours (they stayed as written, so the rule matched on Friday
// evening in Tokyo).
func TestUTCDayWindows(t *testing.T) {
	type window struct {
		f, e int
		days string
	}
	windows := []window{{8 * 3600, 17 * 3600, "mon"}, {6 * 3600, 9 * 3600, "sat"}, {22 * 3600, 6 * 3600, "fri"},
		{0, 86400, "sat,sun"}, {18 * 3600, 0, "sun,wed"}, {1800, 3600, "tue"}}
	in := func(w window, day, sec int) bool {
		if !strings.Contains(","+w.days+",", ","+[]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[day]+",") {
			return false
		}
		switch {
		case w.e > w.f:
			return sec >= w.f && sec < w.e
		case w.e == 0:
			return sec >= w.f
		default: // over midnight: both halves on the listed days
			return sec >= w.f || sec < w.e
		}
	}
	for _, off := range []int{9 * 3600, -5 * 3600, 5*3600 + 1800, 14 * 3600, -12 * 3600, 3600} {
		for _, w := range windows {
			got, ok := utcDayWindows(w.f, w.e, w.days, off)
			if !ok || !strings.HasPrefix(got, "utc:") {
				t.Fatalf("utcDayWindows(%v, %d) = %q", w, off, got)
			}
			type piece struct{ d, f, e int }
			var pieces []piece
			for _, p := range strings.Split(strings.TrimPrefix(got, "utc:"), ";") {
				var pc piece
				if _, err := fmt.Sscanf(p, "%d@%d-%d", &pc.d, &pc.f, &pc.e); err != nil {
					t.Fatalf("piece %q: %v", p, err)
				}
				pieces = append(pieces, pc)
			}
			for utc := 0; utc < 7*86400; utc += 900 {
				uday, usec := utc/86400, utc%86400
				local := ((utc+off)%(7*86400) + 7*86400) % (7 * 86400)
				want := in(w, local/86400, local%86400)
				has := false
				for _, p := range pieces {
					has = has || p.d == uday && usec >= p.f && usec < p.e
				}
				if has != want {
					t.Errorf("offset %d, window %v: UTC day %d %s is %v, want %v (%s)", off, w, uday, time.Duration(usec)*time.Second, has, want, got)
					break
				}
			}
		}
	}
}
