package config

import (
	"strings"
	"testing"
)

// cables is a LinkState whose ports with a pulled cable have no carrier.
type cables map[string]bool

func (c cables) Running(name string) (bool, bool) {
	if name == "ether9" {
		return false, false
	}
	return !c[name], true
}

// TestRunningFollowsCarrier: an enabled ethernet whose cable is pulled is
// not running, in /interface ethernet and /interface alike; a disabled one
// is not running whatever its link; an unplugged port comes back running.
func TestRunningFollowsCarrier(t *testing.T) {
	pulled := cables{"ether1": true}
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Links: pulled})
	run(t, r, "/interface ethernet set ether3 disabled=yes")
	got := run(t, r, `:put ([/interface ethernet get ether1 running], [/interface get ether1 running], [/interface ethernet get ether2 running], [/interface ethernet get ether3 running])`)
	if strings.TrimSpace(got) != "false;false;true;false" {
		t.Errorf("running of ether1 (pulled), ether1 in /interface, ether2, ether3 (disabled) = %q, want false;false;true;false", got)
	}
	if got := run(t, r, `:put ([/interface ethernet monitor ether1 once as-value]->"status")`); strings.TrimSpace(got) != "no-link" {
		t.Errorf("monitor of the pulled ether1: status %q, want no-link", got)
	}
	delete(pulled, "ether1")
	if got := run(t, r, `:put [/interface ethernet get ether1 running]`); strings.TrimSpace(got) != "true" {
		t.Errorf("ether1 plugged back: running = %q, want true", got)
	}
	if got := run(t, r, `/interface ethernet monitor ether1 once`); !strings.Contains(got, "status: link-ok") || !strings.Contains(got, "name: ether1") {
		t.Errorf("monitor of ether1 plugged back printed %q, want name: ether1 and status: link-ok", got)
	}
}

// TestTunnelRunningFollowsCarrier: a GRE or IPIP tunnel runs while its TUN
// link has carrier, which the iptunnel service takes away when keepalive
// fails ("If configured time,retries fail, interface running flag is
// removed", IPIP page of the manual); so does an EoIP tunnel's TAP (built
// since EoIP is carried too).
func TestTunnelRunningFollowsCarrier(t *testing.T) {
	down := cables{"gre1": true, "ipip1": true, "eoip1": true}
	r := New(Options{Ports: []string{"ether1"}, Links: down})
	run(t, r, `/interface gre add name=gre1 remote-address=192.0.2.1
/interface ipip add name=ipip1 remote-address=192.0.2.2
/interface gre add name=gre2 remote-address=192.0.2.3
/interface eoip add name=eoip1 remote-address=192.0.2.4 tunnel-id=1`)
	got := run(t, r, `:put ([/interface get gre1 running], [/interface get ipip1 running], [/interface get gre2 running], [/interface get eoip1 running])`)
	if strings.TrimSpace(got) != "false;false;true;false" {
		t.Errorf("running of gre1, ipip1 (no carrier), gre2, eoip1 (no carrier) = %q, want false;false;true;false", got)
	}
}
