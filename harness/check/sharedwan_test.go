package check

import (
	"os"
	"strings"
	"testing"
)

// A second ISP on a VLAN of the first WAN's port (in the WAN list, with a
// backup default route): the lab wires one ISP to a port, so it is left
// out with a note, and neither read as a LAN segment nor its forward
// probed through the first WAN (it was: "bound to an interface the
// traffic does not arrive on"). The control: the same VLAN on a port of
// its own is a second WAN whose forward is probed.
func TestSecondWANOnSamePort(t *testing.T) {
	data, err := os.ReadFile("testdata/wan2-vlan-same-port.rsc")
	if err != nil {
		t.Fatal(err)
	}
	p := importText(t, string(data))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
		t.Fatalf("WANs %+v; want ether1 only", p.WANs)
	}
	for _, s := range p.Segments {
		if s.Interface == "vlan200-wan2" {
			t.Errorf("the second line is read as a LAN segment: %+v", s)
		}
	}
	if len(p.Forwards) != 0 {
		t.Errorf("forwards %+v; want the second line's forward left out", p.Forwards)
	}
	notes := strings.Join(p.Notes, "\n")
	for _, want := range []string{"vlan200-wan2 looks like a WAN", "on port ether1 with the WAN ether1", "line 21 forwards on vlan200-wan2"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	found, _ := p.Diagnose()
	if len(found) != 0 {
		t.Errorf("findings %+v; want none", found)
	}

	own := strings.Replace(string(data), "add interface=ether1 name=vlan200-wan2", "add interface=ether3 name=vlan200-wan2", 1)
	p = importText(t, own)
	if len(p.WANs) != 2 || len(p.Forwards) != 1 {
		t.Fatalf("the VLAN on a port of its own: WANs %+v, forwards %d; want two WANs and the forward", p.WANs, len(p.Forwards))
	}
}
