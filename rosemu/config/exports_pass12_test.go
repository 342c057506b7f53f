package config

import (
	"strings"
	"testing"
)

// Shapes of the twelfth pass (helper h39): lines of public exports that
// rosemu refused and RouterOS wrote.

// A 7.13.5 cAP ax under CAPsMAN bridges the radios CAPsMAN creates with
// "add bridge=bridge interface=dynamic" (the built-in list). It was
// "input does not match any value of interface". rosemu has no dynamic
// interfaces: the entry is kept and puts no port on the bridge.
func TestH39BridgePortDynamicList(t *testing.T) {
	src := "/interface bridge\nadd name=bridge\n/interface bridge port\n" +
		"add bridge=bridge interface=ether2\nadd bridge=bridge interface=dynamic\n"
	r := runShape(t, "7.13.5", []string{"ether1", "ether2"}, src)
	var got []string
	for _, b := range r.State().Bridges {
		for _, p := range b.Ports {
			got = append(got, b.Name+":"+p.Interface)
		}
	}
	if strings.Join(got, " ") != "bridge:ether2" {
		t.Errorf("bridge ports %v", got)
	}
	if !strings.Contains(r.Export(), "interface=dynamic") {
		t.Errorf("export lacks the entry:\n%s", r.Export())
	}
	// The list none stays refused, as an interface of that name would be.
	if len(refusedLines(validateShape("7.13.5", []string{"ether1"}, "/interface bridge\nadd name=bridge\n/interface bridge port\nadd bridge=bridge interface=none\n"))) == 0 {
		t.Error("interface=none was taken as a bridge port")
	}
}
