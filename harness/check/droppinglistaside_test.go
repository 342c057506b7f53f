package check

import (
	"net/netip"
	"testing"
)

// TestDroppingListSkipsAside (review leftover): droppingList read the
// drop rules and list entries the lab router does not have (set aside,
// e.g. refused), and moved the lab's addresses away from a list nothing
// on the lab's router drops. Control: the same rule kept is found.
func TestDroppingListSkipsAside(t *testing.T) {
	p := importText(t, readTestdata(t, "testdata/advanced-firewall-bogons.rsc"))
	c := netip.MustParsePrefix("203.0.113.0/24")
	rule, entry := p.droppingList(c, bothLists...)
	if rule == nil || entry == nil {
		t.Fatal("control: the bogon drop is not found")
	}
	p.Aside = append(p.Aside, Aside{Line: rule.Line, Menu: rule.MenuPath(), Reason: "set aside for the test"})
	if r, _ := p.droppingList(c, bothLists...); r != nil && r.Line == rule.Line {
		t.Errorf("line %d is set aside and still drops the list", rule.Line)
	}
}
