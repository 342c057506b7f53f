package config

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// A firewall limit= or dst-limit= with any time as its period (a v7
// export's limit=50/5s,2:packet) is taken and applied; a value that is no
// rate is refused at its own line and column, as RouterOS does, instead of
// failing later when the rules are rendered (it was "failure: apply state:
// render filter rule *32 ... want rate[/1s|1m|1h|1d]").
func TestFirewallLimitPeriods(t *testing.T) {
	src := "/ip firewall filter\n" +
		"add action=accept chain=input limit=50/5s,2:packet protocol=icmp\n" +
		"add action=return chain=forward dst-limit=10/10s,20,src-address/1m\n" +
		"add action=accept chain=input limit=fast protocol=icmp\n" +
		"add action=accept chain=input dst-limit=10/1s,5,bogus protocol=icmp\n"
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), src, time.Second)
	want := []string{"2:1 accepted", "3:1 accepted",
		"4:31 refused invalid value for argument limit", "5:31 refused invalid value for argument dst-limit"}
	if got := findings(v); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r = New(Options{Ports: ports})
	run(t, r, "/ip firewall filter add action=accept chain=input limit=50/5s,2:packet protocol=icmp")
	if _, err := r.Run(context.Background(), "/ipv6 firewall filter add action=accept chain=input limit=x"); err == nil {
		t.Errorf("ipv6 limit=x taken")
	}
}
