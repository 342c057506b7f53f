package config

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestMatcherGrammarOfCLIReference: values the CLI reference of
// /ip/firewall/mangle gives the matchers (argument types "super { !, ...
// }" and optional parts; https://manual.mikrotik.com/docs/cli-reference/ip/firewall/mangle.md)
// are taken and rendered as they read: connection-limit with "!" and
// without its netmask, limit and nth with "!", nth without its packet,
// time with "!". All were refused before (forum59 D2), the first ones at
// their column as invalid values, time when the rules were rendered.
func TestMatcherGrammarOfCLIReference(t *testing.T) {
	for _, c := range []struct{ rule, want string }{
		{"protocol=tcp connection-limit=!10,24", "ip saddr & 255.255.255.0 ct count 10 }"},
		{"protocol=tcp connection-limit=10", "ip saddr & 255.255.255.255 ct count over 10 }"},
		{"limit=!50,5:packet", "rate over 50/second burst 5 packets"},
		{"nth=!4,2", "numgen inc mod 4 != 1"},
		{"nth=3", "numgen inc mod 3 == 0"},
		{"time=!8h-17h", `meta hour != "08:00:00"-"16:59:59"`},
		{"time=!22h-6h,sat", `meta day . meta hour != { 6 . "22:00:00"-"23:59:59", 6 . "00:00:00"-"05:59:59" }`},
		{"connection-bytes=1000", "ct bytes >= 1000"},
	} {
		r := hairpin(t)
		if _, err := r.Run(context.Background(), "/ip firewall filter add chain=forward action=drop comment=x "+c.rule); err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		out, err := kernel.Render(r.State())
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%s: rendered without %q (%v)", c.rule, c.want, err)
		}
	}
}

// TestTimeRefusedAtItsColumn: a time= window or a connection-bytes=
// value rosemu cannot read is refused at its column, as RouterOS refuses a
// bad value; both were taken as any text and failed only when the rules
// were rendered, at column 1 (forum59 D3, D5).
func TestTimeRefusedAtItsColumn(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"/ip firewall filter add chain=forward time=8h-17h,monday", "invalid value for argument time (line 1 column 39)"},
		{"/ip firewall filter add chain=forward connection-bytes=2000-1000", "invalid value for argument connection-bytes (line 1 column 39)"},
		{"/ipv6 firewall filter add chain=forward connection-bytes=abc", "invalid value for argument connection-bytes (line 1 column 41)"},
	} {
		r := hairpin(t)
		_, err := r.Run(context.Background(), c.src)
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.src, err, c.want)
		}
	}
}

// TestNegatedTimeInZone: "!" stays with a window the router's time zone
// moves into UTC: 10h-11h in Tokyo (UTC+9) is 01h-02h UTC, on the same
// Monday, and the rule matches outside it.
func TestNegatedTimeInZone(t *testing.T) {
	r := hairpin(t)
	if _, err := r.Run(context.Background(), "/system clock set time-zone-autodetect=no time-zone-name=Asia/Tokyo\n"+
		"/ip firewall filter add chain=forward action=drop comment=a time=!10h-11h\n"+
		"/ip firewall filter add chain=forward action=drop comment=b time=!10h-11h,mon\n"); err != nil {
		t.Fatal(err)
	}
	out, err := kernel.Render(r.State())
	for _, want := range []string{`meta hour != "01:00:00"-"01:59:59" counter drop comment "*1C a"`,
		`meta day . meta hour != { 1 . "01:00:00"-"01:59:59" } counter drop comment "*1D b"`} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("rendered without %q (%v)", want, err)
		}
	}
}
