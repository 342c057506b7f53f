package config

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDudeExportDB: a backup script that saves the Dude's database inside
// ":do { } on-error" compiles and takes its on-error branch (rosemu has
// no Dude database), writing no file; the settings stay as they were.
func TestDudeExportDB(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/system script add name=bk source={
  :do {
    /dude export-db backup-file="bk-dude.db"
    :log info "bk: saved"
  } on-error={ :log warning "bk: the Dude is not there" }
}
/system script run bk`)
	if !logHas(r, "bk: the Dude is not there") || logHas(r, "bk: saved") {
		t.Errorf("log %v; want the on-error branch only", r.Log())
	}
	if out := run(t, r, "/file print"); strings.Contains(out, "bk-dude") {
		t.Errorf("a file was written:\n%s", out)
	}
}

// TestAddressListWithoutAddress: the manual's DDoS protection declares its
// lists with "add list=ddos-attackers" and no address. The entry is
// taken and exported as written; the list exists and holds no address, so
// a rule matching it matches no packet. A second list with an address
// holds just that one (the control), and an explicit empty address stays
// refused.
func TestAddressListWithoutAddress(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall address-list
add list=ddos-attackers
add list=ddos-targets address=10.0.0.1
/ip firewall filter
add chain=forward action=drop src-address-list=ddos-attackers`)
	s := r.State()
	if l, ok := s.AddressLists["ddos-attackers"]; !ok || len(l) != 0 {
		t.Errorf("ddos-attackers = %v (present %v); want an empty list", l, ok)
	}
	if len(s.AddressLists["ddos-targets"]) != 1 {
		t.Errorf("ddos-targets = %v; want one address", s.AddressLists["ddos-targets"])
	}
	if out := run(t, r, "/ip firewall address-list export"); !strings.Contains(out, "add list=ddos-attackers\n") {
		t.Errorf("export:\n%s\nwant the entry as written", out)
	}
	if _, err := r.Run(t.Context(), `/ip firewall address-list add list=x address=""`); err == nil {
		t.Error(`address="" was taken`)
	}
}

// TestEmptyAddressListMatcher: real exports write src-address-list="" (and
// dst-) on port forwards, DNS drops and mangle rules, where a list was
// chosen and cleared in WinBox. Taken as no matcher: the rule goes to the
// kernel without one and works for every address. A named list stays a
// matcher (the control), and an entry's list name with a comma is still
// refused (a rule's matcher takes one since forum48 D1: TestForum48ListNameWithComma).
func TestEmptyAddressListMatcher(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter
add action=drop chain=forward dst-port=53 protocol=udp src-address-list=""
add action=drop chain=forward dst-port=53 protocol=tcp src-address-list=kids
/ip firewall nat
add action=dst-nat chain=dstnat dst-port=443 protocol=tcp src-address-list="" dst-address-list="" to-addresses=192.168.88.10`)
	s := r.State()
	for _, p := range []map[string]string{s.Filter[0].Props, s.NAT[0].Props} {
		if _, ok := p["src-address-list"]; ok {
			t.Errorf("rule %v keeps an empty matcher", p)
		}
		if _, ok := p["dst-address-list"]; ok {
			t.Errorf("rule %v keeps an empty matcher", p)
		}
	}
	if s.Filter[1].Props["src-address-list"] != "kids" {
		t.Errorf("the named list was lost: %v", s.Filter[1].Props)
	}
	if _, err := r.Run(t.Context(), `/ip firewall address-list add list="a,b" address=192.0.2.1`); err == nil {
		t.Error("a list name with a comma was taken")
	}
}

// TestQueueTreeState: a queue tree reaches the kernel with its parent,
// packet marks, rates (the first of a pair) and priority; a disabled entry
// does not. validate says which lines rosemu does not apply (a PCQ queue
// type it applies): a tree under a GRE interface, which the kernel does not shape
// (a PPPoE client's it does, while the session is up, and a WireGuard
// interface's, a TUN link of the kernel); a parent
// added before its children is not a leaf without a mark, and one left
// without children is reported at the end.
func TestQueueTreeState(t *testing.T) {
	src := `/interface pppoe-client
add interface=ether1 name=pppoe-out1 user=u password=p
/interface gre
add name=gre1 remote-address=192.0.2.1
/ip firewall mangle
add action=mark-packet chain=forward new-packet-mark=down out-interface=ether2 passthrough=no
/queue tree
add max-limit=20M name=lan parent=ether2
add limit-at=1M max-limit=5M/5M name=down packet-mark=down,no-mark parent=lan priority=2
add name=pcq packet-mark=down parent=lan queue=pcq-download-default
add name=off packet-mark=down parent=lan disabled=yes
add max-limit=2M name=wan parent=pppoe-out1
add max-limit=1M name=empty parent=global
add max-limit=1M name=tunnel parent=gre1
/interface wireguard
add listen-port=13231 name=wg1
/queue tree
add max-limit=1M name=wgq parent=wg1
`
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), src, time.Second)
	got := findings(v)
	want := []string{"2:1 accepted", "4:1 accepted" /* GRE is built (iptunnel) */, "6:1 accepted", "8:1 accepted", "9:1 accepted",
		"10:1 accepted",
		"11:1 accepted", "12:1 accepted", "13:1 accepted",
		"14:1 stored-not-enforced parent: gre1 is an interface rosemu does not shape (it shapes ports, bridges, VLANs, WireGuard interfaces and PPPoE clients): stored, not applied",
		"16:1 accepted", "18:1 accepted"}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r = New(Options{Ports: ports})
	run(t, r, src)
	var names []string
	for _, q := range r.State().TreeQueues {
		names = append(names, q.Name)
		if q.Name == "down" && (q.LimitAt != 1e6 || q.MaxLimit != 5e6 || q.Priority != 2 || !slices.Equal(q.PacketMarks, []string{"down", "no-mark"}) || q.Parent != "lan") {
			t.Errorf("down = %+v", q)
		}
	}
	if want := []string{"lan", "down", "pcq", "wan", "empty", "tunnel", "wgq"}; !slices.Equal(names, want) {
		t.Errorf("tree queues %v, want %v", names, want)
	}
	var report []string
	for _, it := range r.NotEnforced() {
		if it.Path == "/queue tree" && it.Property == "" {
			report = append(report, fmt.Sprintf("%d %s", it.Count, it.Reason))
		}
	}
	if len(report) != 1 || !strings.HasPrefix(report[0], "4 ") {
		t.Errorf("report %v; want the GRE tunnel's tree and the three leaves without a mark (wan, empty, wgq)", report)
	}
}
