package config

import (
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestListHeads: the state renderCheck builds keeps each address list
// with its first enabled entry (a list of disabled entries only, empty);
// the state of a commit keeps every entry.
func TestListHeads(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	run(t, r, `/ip firewall address-list add list=a address=10.0.0.1 disabled=yes
/ip firewall address-list add list=a address=10.0.0.2
/ip firewall address-list add list=a address=10.0.0.3
/ip firewall address-list add list=b address=10.0.1.1 disabled=yes`)
	tx := r.begin(false)
	full := buildState(tx, nil)
	tx.listHeads = true
	heads := buildState(tx, nil)
	if n := len(full.AddressLists["a"]); n != 2 {
		t.Errorf("commit: list a has %d entries, want 2", n)
	}
	if es := heads.AddressLists["a"]; len(es) != 1 || es[0] != full.AddressLists["a"][0] {
		t.Errorf("renderCheck: list a is %v, want the first of %v", es, full.AddressLists["a"])
	}
	for _, s := range []map[string][]kernel.AddrEntry{full.AddressLists, heads.AddressLists} {
		if es, ok := s["b"]; !ok || len(es) != 0 {
			t.Errorf("list b of disabled entries: %v, %v; want it empty", es, ok)
		}
	}
}
