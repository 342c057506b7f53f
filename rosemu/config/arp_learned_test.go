package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// neighKernel offers learnt neighbours as the kernel's table would.
type neighKernel struct {
	fakeKernel
	ns      []kernel.LearnedNeighbor
	removed []string
}

func (k *neighKernel) LearnedNeighbors() ([]kernel.LearnedNeighbor, error) { return k.ns, nil }
func (k *neighKernel) RemoveLearnedNeighbor(a netip.Addr, link string) error {
	k.removed = append(k.removed, a.String()+"@"+link)
	return nil
}

// /ip arp print lists the neighbours the router learnt, flagged D and,
// once resolved, C, beside the static entries (forum41 D8: it printed
// only the header). find, get and remove see them; a neighbour on a link
// the router has no interface for is left out.
func TestARPPrintLearned(t *testing.T) {
	k := &neighKernel{ns: []kernel.LearnedNeighbor{
		{Addr: netip.MustParseAddr("203.0.113.1"), MAC: "02:00:CB:00:71:01", Link: "ether1", State: "reachable"},
		{Addr: netip.MustParseAddr("198.18.0.1"), Link: "ether2", State: "incomplete"},
		{Addr: netip.MustParseAddr("172.17.0.1"), MAC: "02:42:AC:11:00:01", Link: "eth0", State: "stale"},
	}}
	r := New(Options{Ports: ports, Version: "7.16.2", Kernel: k})
	run(t, r, "/ip arp add address=192.168.88.5 mac-address=02:00:00:00:00:05 interface=ether3")
	out := run(t, r, "/ip arp print")
	for _, want := range []string{"D - DYNAMIC", "C - COMPLETE", "192.168.88.5", "02:00:CB:00:71:01"} {
		if !strings.Contains(out, want) {
			t.Errorf("print lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(out, "\n")
	row := func(addr string) string {
		for _, l := range lines {
			if strings.Contains(l, addr+" ") {
				return l
			}
		}
		return ""
	}
	if l := row("203.0.113.1"); !strings.Contains(l, "DC") || !strings.Contains(l, "ether1") {
		t.Errorf("resolved gateway row %q, want flags DC on ether1", l)
	}
	if l := row("198.18.0.1"); l == "" || strings.Contains(l, "DC") || !strings.Contains(l, "D") {
		t.Errorf("unresolved row %q, want flag D without C", l)
	}
	if strings.Contains(out, "172.17.0.1") {
		t.Errorf("a neighbour on the container's own link is shown:\n%s", out)
	}
	// Control: the static entry is no dynamic one.
	if l := row("192.168.88.5"); strings.Contains(l, "D") {
		t.Errorf("static row %q flagged D", l)
	}
	if got := strings.TrimSpace(run(t, r, ":put [/ip arp get [find address=203.0.113.1] mac-address]")); got != "02:00:CB:00:71:01" {
		t.Errorf("get mac-address = %q", got)
	}
	if got := strings.TrimSpace(run(t, r, ":put [:len [/ip arp find dynamic]]")); got != "2" {
		t.Errorf("find dynamic: %s entries, want 2", got)
	}
	if got := strings.TrimSpace(run(t, r, ":put [/ip arp get [find address=198.18.0.1] complete]")); got != "false" {
		t.Errorf("unresolved complete = %q, want false", got)
	}
	if got := strings.TrimSpace(run(t, r, ":put [/ip arp get [find address=203.0.113.1] status]")); got != "reachable" {
		t.Errorf("status = %q, want reachable", got)
	}
	run(t, r, "/ip arp remove [find address=203.0.113.1]")
	if len(k.removed) != 1 || k.removed[0] != "203.0.113.1@ether1" {
		t.Errorf("remove asked the kernel for %v, want 203.0.113.1@ether1", k.removed)
	}
	if exp := run(t, r, "/export"); strings.Contains(exp, "203.0.113.1") {
		t.Errorf("export holds a learnt entry:\n%s", exp)
	}
	// RouterOS 6's header words.
	r6 := New(Options{Ports: ports, Version: "6.49.18", Kernel: k})
	if out := run(t, r6, "/ip arp print"); !strings.Contains(out, "Flags: X - disabled, I - invalid, H - DHCP, D - dynamic, P - published, C - complete") {
		t.Errorf("6.49 header:\n%s", out)
	}
}

// /ip arp make-static pins a learnt entry as a static one with its
// address, MAC and interface (forum50 D3: "bad command name make-static",
// so a script pinning the LAN's hosts did not compile). A static entry it
// names stays as it is; an entry without a MAC yet is refused.
func TestARPMakeStatic(t *testing.T) {
	k := &neighKernel{ns: []kernel.LearnedNeighbor{
		{Addr: netip.MustParseAddr("203.0.113.1"), MAC: "02:00:CB:00:71:01", Link: "ether1", State: "reachable"},
		{Addr: netip.MustParseAddr("198.18.0.1"), Link: "ether2", State: "incomplete"},
	}}
	r := New(Options{Ports: ports, Version: "7.16.2", Kernel: k})
	run(t, r, "/ip arp add address=192.168.88.5 mac-address=02:00:00:00:00:05 interface=ether3")
	run(t, r, ":foreach a in=[/ip arp find where dynamic and complete] do={ /ip arp make-static $a }\n/ip arp make-static [find address=192.168.88.5]")
	exp := run(t, r, "/export")
	if !strings.Contains(exp, "add address=203.0.113.1 interface=ether1 mac-address=02:00:CB:00:71:01") {
		t.Errorf("export lacks the pinned entry:\n%s", exp)
	}
	if got := strings.TrimSpace(run(t, r, ":put [:len [/ip arp find where !dynamic]]")); got != "2" {
		t.Errorf("static entries: %s, want 2", got)
	}
	if _, err := r.Run(context.Background(), "/ip arp make-static [find address=198.18.0.1]"); err == nil || !strings.Contains(err.Error(), "entry is not complete") {
		t.Errorf("make-static of an unresolved entry: %v", err)
	}
}
