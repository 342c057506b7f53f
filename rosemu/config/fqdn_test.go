package config

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

type fakeFQDN struct{ last []FQDNEntry }

func (f *fakeFQDN) Update(e []FQDNEntry) { f.last = e }

func listAddrs(s *kernel.State, list string) []string {
	var out []string
	for _, e := range s.AddressLists[list] {
		out = append(out, e.Prefix.String())
	}
	slices.Sort(out)
	return out
}

func TestFQDNEntries(t *testing.T) {
	ff := &fakeFQDN{}
	k := &fakeKernel{}
	r := New(Options{Ports: ports, FQDN: ff, Kernel: k})
	run(t, r, "/ip firewall address-list add list=updatedCloudIP address=0123456789ab.sn.mynetname.net\n"+
		"/ip firewall address-list add list=lan address=192.168.88.0/24")
	if len(ff.last) != 1 || ff.last[0].Name != "0123456789ab.sn.mynetname.net" || ff.last[0].List != "updatedCloudIP" {
		t.Fatalf("service got %+v", ff.last)
	}
	id := ff.last[0].ID
	name := ff.last[0].Name
	a1, a2 := netip.MustParseAddr("198.51.100.7"), netip.MustParseAddr("198.51.100.8")
	if err := r.SetFQDNAddresses(id, name, []netip.Addr{a2, a1, a1}); err != nil {
		t.Fatal(err)
	}
	if got := listAddrs(r.State(), "updatedCloudIP"); !slices.Equal(got, []string{"198.51.100.7/32", "198.51.100.8/32"}) {
		t.Errorf("state list = %v", got)
	}
	if got := listAddrs(k.last, "updatedCloudIP"); len(got) != 2 {
		t.Errorf("the kernel got %v", got)
	}
	out := run(t, r, "/ip firewall address-list print")
	if !strings.Contains(out, ";;; 0123456789ab.sn.mynetname.net") || !strings.Contains(out, "D  updatedCloudIP  198.51.100.7") {
		t.Errorf("print:\n%s", out)
	}
	exp := r.Export()
	if !strings.Contains(exp, "address=0123456789ab.sn.mynetname.net") || strings.Contains(exp, "198.51.100.7") {
		t.Errorf("export:\n%s", exp)
	}
	n := run(t, r, ":put [:len [/ip firewall address-list find where dynamic and comment=\"0123456789ab.sn.mynetname.net\"]]")
	if strings.TrimSpace(n) != "2" {
		t.Errorf("find dynamic children = %q", n)
	}
	ids := run(t, r, ":put [/ip firewall address-list find where address=198.51.100.7]")

	// A new answer keeps the id of an address that stays.
	if err := r.SetFQDNAddresses(id, name, []netip.Addr{a1}); err != nil {
		t.Fatal(err)
	}
	if got := listAddrs(r.State(), "updatedCloudIP"); !slices.Equal(got, []string{"198.51.100.7/32"}) {
		t.Errorf("after change: %v", got)
	}
	if again := run(t, r, ":put [/ip firewall address-list find where address=198.51.100.7]"); again != ids {
		t.Errorf("child id changed from %q to %q", ids, again)
	}
	// Removing a child drops it until the next resolution; the entry stays.
	if err := r.SetFQDNAddresses(id, name, []netip.Addr{a1, a2}); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/ip firewall address-list remove [find where address=198.51.100.8]")
	if got := listAddrs(r.State(), "updatedCloudIP"); !slices.Equal(got, []string{"198.51.100.7/32"}) {
		t.Errorf("after removing a child: %v", got)
	}
	// Children are dynamic: set refuses them.
	if _, err := r.Run(context.Background(), "/ip firewall address-list set [find where address=198.51.100.7] list=other"); err == nil {
		t.Error("set on a child accepted")
	}

	// Disabling the entry removes its children in the same transaction, and
	// enabling it again shows none until the service resolves it anew.
	run(t, r, "/ip firewall address-list disable [find where address=0123456789ab.sn.mynetname.net]")
	if got := listAddrs(r.State(), "updatedCloudIP"); len(got) != 0 {
		t.Errorf("disabled entry keeps children %v", got)
	}
	if len(ff.last) != 0 {
		t.Errorf("service still told of %+v", ff.last)
	}
	if err := r.SetFQDNAddresses(id, name, []netip.Addr{a1}); err == nil {
		t.Error("addresses accepted for a disabled entry")
	}
	run(t, r, "/ip firewall address-list enable [find where address=0123456789ab.sn.mynetname.net]")
	if got := listAddrs(r.State(), "updatedCloudIP"); len(got) != 0 {
		t.Errorf("re-enabled entry shows stale children %v", got)
	}
	if err := r.SetFQDNAddresses(id, name, []netip.Addr{a1}); err != nil {
		t.Fatal(err)
	}
	// A name that stops resolving leaves no children.
	if err := r.SetFQDNAddresses(id, name, nil); err != nil {
		t.Fatal(err)
	}
	if got := listAddrs(r.State(), "updatedCloudIP"); len(got) != 0 {
		t.Errorf("unresolved name keeps %v", got)
	}
	// Removing the entry removes its children; a result for it is refused.
	if err := r.SetFQDNAddresses(id, name, []netip.Addr{a2}); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/ip firewall address-list remove [find where address=0123456789ab.sn.mynetname.net]")
	if got := listAddrs(r.State(), "updatedCloudIP"); len(got) != 0 {
		t.Errorf("removed entry keeps children %v", got)
	}
	if err := r.SetFQDNAddresses(id, name, []netip.Addr{a2}); err == nil {
		t.Error("addresses accepted for a removed entry")
	}
	if got := listAddrs(r.State(), "lan"); !slices.Equal(got, []string{"192.168.88.0/24"}) {
		t.Errorf("static list = %v", got)
	}
}
