package config

import (
	"context"
	"strings"
	"testing"
)

// bridgePVIDs is a vlan-filtering bridge with a trunk (ether2, pvid 1) and
// an access port (ether3, pvid 10) that no entry lists as untagged: the
// router-switch of the forum's VLAN thread with the access port left to
// its pvid.
const bridgePVIDs = `/interface bridge
add name=bridge1 vlan-filtering=yes
/interface bridge port
add bridge=bridge1 interface=ether2
add bridge=bridge1 interface=ether3 pvid=10
/interface bridge vlan
add bridge=bridge1 tagged=bridge1,ether2 vlan-ids=10
`

// TestBridgeVLANDynamicEntries: RouterOS adds a dynamic entry for every pvid
// no static entry holds and puts each port in its pvid's current-untagged
// (Bridge VLAN Table page; forum52 D1). rosemu's table had neither: the
// pvid 1 of the bridge and the trunk showed nowhere, and ether3 was missing
// from VLAN 10's current-untagged.
func TestBridgeVLANDynamicEntries(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r, bridgePVIDs)
	if out := run(t, r, `:put [:len [/interface bridge vlan find]]; :put [:len [/interface bridge vlan find dynamic=yes vlan-ids=1]]`); out != "2\n1\n" {
		t.Errorf("entries, dynamic VLAN 1 entries = %q, want 2 and 1", out)
	}
	out := run(t, r, `:put [/interface bridge vlan get [find dynamic=yes] current-untagged]; :put [/interface bridge vlan get [find vlan-ids=10] current-untagged]; :put [/interface bridge vlan get [find vlan-ids=10] current-tagged]`)
	if out != "bridge1;ether2\nether3\nbridge1;ether2\n" {
		t.Errorf("current members = %q", out)
	}
	// print shows the members in effect, as RouterOS's CURRENT-TAGGED and
	// CURRENT-UNTAGGED columns: the dynamic entry's too.
	if out := run(t, r, "/interface bridge vlan print"); !strings.Contains(out, "#    BRIDGE   VLAN-IDS  CURRENT-TAGGED  CURRENT-UNTAGGED\n") ||
		!strings.Contains(out, "\n1 D  bridge1  1                         bridge1,ether2\n") {
		t.Errorf("print:\n%s", out)
	}
	// The dynamic entry is RouterOS's, not the configuration's: not exported, not removable.
	if strings.Contains(r.Export(), "vlan-ids=1\n") {
		t.Errorf("the dynamic entry is exported:\n%s", r.Export())
	}
	if _, err := r.Run(context.Background(), `/interface bridge vlan remove [find dynamic=yes]`); err == nil {
		t.Errorf("a dynamic entry was removed")
	}
	// A static entry for VLAN 1 takes the pvid 1 members; the dynamic one goes.
	run(t, r, "/interface bridge vlan add bridge=bridge1 tagged=ether3 vlan-ids=1")
	if out := run(t, r, `:put [:len [/interface bridge vlan find dynamic=yes]]; :put [/interface bridge vlan get [find vlan-ids=1] current-untagged]`); out != "0\nbridge1;ether2\n" {
		t.Errorf("with a static VLAN 1 entry: %q", out)
	}
	// A port that admits only tagged frames has no pvid membership, and a
	// bridge without vlan-filtering shows no dynamic entries.
	run(t, r, "/interface bridge port set [find interface=ether3] frame-types=admit-only-vlan-tagged")
	if out := run(t, r, `:put [:len [/interface bridge vlan get [find vlan-ids=10] current-untagged]]`); out != "0\n" {
		t.Errorf("tagged-only port in current-untagged: %q", out)
	}
	run(t, r, "/interface bridge vlan remove [find vlan-ids=1]\n/interface bridge set bridge1 vlan-filtering=no")
	if out := run(t, r, `:put [:len [/interface bridge vlan find dynamic=yes]]`); out != "0\n" {
		t.Errorf("dynamic entries without vlan-filtering: %q", out)
	}
}

// TestBridgeVLANListsAreArrays: get gives a VLAN entry's member lists as
// arrays, which scripts walk with :foreach and extend (forum52 D2): as one
// string, the loop ran once over "bridge1,ether2".
func TestBridgeVLANListsAreArrays(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r, bridgePVIDs)
	out := run(t, r, `:local v [/interface bridge vlan find vlan-ids=10]
:put [:typeof [/interface bridge vlan get $v tagged]]
:foreach m in=[/interface bridge vlan get $v tagged] do={:put $m}
/interface bridge vlan set $v untagged=([/interface bridge vlan get $v untagged], "ether3")`)
	if out != "array\nbridge1\nether2\n" {
		t.Errorf("script output = %q", out)
	}
	if !strings.Contains(r.Export(), "add bridge=bridge1 tagged=bridge1,ether2 untagged=ether3 vlan-ids=10") {
		t.Errorf("export after extending untagged:\n%s", r.Export())
	}
}
