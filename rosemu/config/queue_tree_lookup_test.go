package config

import (
	"strings"
	"testing"
)

// TestTreeLookup: the scan madeUnenforcedTree uses for the entry a line
// added and the index interfaceTrees and treeUse use for every entry
// answer alike: a leaf without a mark, a tree under an interface rosemu
// does not shape, trees under a port and under global.
func TestTreeLookup(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	run(t, r, `/interface gre add name=gre1 remote-address=10.9.9.9
/queue tree add name=lan parent=ether2 max-limit=10M
/queue tree add name=lan-a parent=lan packet-mark=a
/queue tree add name=lan-nomark parent=lan
/queue tree add name=g parent=global max-limit=1G
/queue tree add name=g-b parent=g packet-mark=b
/queue tree add name=tun parent=gre1 packet-mark=c
/queue tree add name=off parent=ether2 packet-mark=d disabled=yes`)
	scan, idx := scanTree(r.m), indexTree(r.m)
	want := map[string]struct {
		why    string // treeQueueWhy with leaves, its start
		iface  bool
		leaves bool
	}{
		"lan":        {"", true, false},
		"lan-a":      {"", true, true},
		"lan-nomark": {"packet-mark: a leaf", true, true},
		"g":          {"", false, false},
		"g-b":        {"", false, true},
		"tun":        {"parent: gre1 is an interface rosemu does not shape", false, true},
		"off":        {"", false, true},
	}
	for _, it := range r.m.tables["queue tree"] {
		name := it.props["name"]
		w := want[name]
		for _, l := range []*treeLookup{scan, idx} {
			if got := treeQueueWhy(l, it, true); !strings.HasPrefix(got, w.why) || (w.why == "") != (got == "") {
				t.Errorf("%s (index %v): why %q, want %q", name, l.byName != nil, got, w.why)
			}
			if got := l.interfaceTree(it); got != w.iface {
				t.Errorf("%s (index %v): under an interface %v, want %v", name, l.byName != nil, got, w.iface)
			}
			if got := l.leaf(it); got != w.leaves {
				t.Errorf("%s (index %v): leaf %v, want %v", name, l.byName != nil, got, w.leaves)
			}
		}
	}
	if got := strings.Join(interfaceTrees(r.m), ","); got != "lan,lan-a,lan-nomark" {
		t.Errorf("interfaceTrees = %s, want lan,lan-a,lan-nomark", got)
	}
}
