package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestIPv6MangleActions: the IPv6 tables take the action parameters they
// share with IPv4 (change-mss of a PPPoE router, mark-routing of a
// dual-WAN one, address lists), export them and take the export again;
// an action without its parameter is refused as on IPv4.
func TestIPv6MangleActions(t *testing.T) {
	src := `/routing table
add fib name=alt
/ipv6 firewall mangle
add action=change-mss chain=forward new-mss=clamp-to-pmtu protocol=tcp tcp-flags=syn
add action=mark-routing chain=prerouting new-routing-mark=alt passthrough=no src-address=2001:db8::/64
add action=change-hop-limit chain=prerouting new-hop-limit=increment:1
add action=add-src-to-address-list address-list=seen6 address-list-timeout=1h chain=prerouting
/ipv6 firewall filter
add action=add-src-to-address-list address-list=scan6 chain=input protocol=tcp
`
	r := runShape(t, "7.16.2", []string{"ether1"}, src)
	exp := body(r.Export())
	if !strings.Contains(exp, "new-mss=clamp-to-pmtu") || !strings.Contains(exp, "new-routing-mark=alt") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "7.16.2", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	bad := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	if _, err := bad.Run(context.Background(), "/ipv6 firewall mangle add action=change-mss chain=forward protocol=tcp"); err == nil || !strings.Contains(err.Error(), "new-mss must be specified") {
		t.Errorf("change-mss without new-mss: %v", err)
	}
}

// An IPv6 rule's connection-nat-state takes srcnat and dstnat, negated or
// not, as the IPv4 rule's does; anything else is refused at its line
// (forum24: "bogus" was accepted and the lab stopped at apply with
// rosemu's own words).
func TestIPv6ConnNATStateValues(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	v := r.Validate(context.Background(), "/ipv6 firewall filter\nadd chain=forward action=accept connection-nat-state=dstnat\nadd chain=forward action=accept connection-nat-state=!dstnat\nadd chain=forward action=accept connection-nat-state=bogus\n", 2*time.Second)
	refused := refusedLines(v)
	if len(refused) != 1 || !strings.Contains(refused[0], "bogus: invalid value for argument connection-nat-state") {
		t.Errorf("refused: %q", refused)
	}
}
