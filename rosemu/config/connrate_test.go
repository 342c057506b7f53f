package config

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// A connection-rate= that is no [!]From-To in 0..4294967295 (the wiki's
// grammar, Manual:Connection_Rate) is refused at its own line and column,
// as a malformed limit= is; it was taken and failed only when the data
// plane rendered the rules, with no line. The valid forms stay accepted.
func TestConnectionRateRefusedAtItsLine(t *testing.T) {
	good := []string{"0-100k", "200k-100M", "2M-4294967295", "!0-100k", "0-4G"}
	bad := []string{"abc", "100k-", "5M-1k", "-3", "100", "1T-2T", "0-100m", "0-5G", "+1k-2k", "!", ""}
	var b strings.Builder
	b.WriteString("/ip firewall mangle\n")
	for _, v := range append(good, bad...) {
		fmt.Fprintf(&b, "add chain=forward connection-rate=%q action=mark-connection new-connection-mark=x\n", v)
	}
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), b.String(), time.Second)
	var want []string
	line := 2
	for range good {
		want = append(want, fmt.Sprintf("%d:1 accepted", line))
		line++
	}
	for _, v := range bad {
		if v == "" {
			// An empty value unsets the matcher, as for limit=.
			want = append(want, fmt.Sprintf("%d:1 accepted", line))
		} else {
			want = append(want, fmt.Sprintf("%d:19 refused invalid value for argument connection-rate", line))
		}
		line++
	}
	if got := findings(v); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The IPv6 firewall, which stores the matcher, checks it the same way.
	r = New(Options{Ports: ports})
	run(t, r, "/ipv6 firewall mangle add chain=forward connection-rate=0-100k action=mark-connection new-connection-mark=x")
	if _, err := r.Run(context.Background(), "/ipv6 firewall mangle add chain=forward connection-rate=abc action=mark-connection new-connection-mark=x"); err == nil {
		t.Errorf("ipv6 connection-rate=abc taken")
	}
}
