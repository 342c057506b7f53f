package check

import "testing"

// TestPortRenamedByName: hand-written configurations rename a port by its
// current name ("/interface ethernet set ether1 name=ether1-wan", "set [
// find name=ether2 ] name=lan"), not by default-name as an export does.
// check found no port under the WAN ("its WAN candidates (ether1-wan) have
// no ethernet port under them") and refused --map ether1=wan too. The
// control: a port renamed the export's way keeps working, and a renamed
// port renamed again is still the same port.
func TestPortRenamedByName(t *testing.T) {
	p := importNamed(t, "renamed.rsc", []byte(`/interface ethernet set ether1 name=ether1-wan
/interface ethernet set [ find name=ether2 ] name=lan
/interface ethernet set [ find default-name=ether3 ] name=lan3
/interface ethernet set lan3 name=lan-3
/ip address add address=203.0.113.2/24 interface=ether1-wan
/ip address add address=192.168.5.1/24 interface=lan
/ip address add address=192.168.6.1/24 interface=lan-3
/ip route add gateway=203.0.113.1
`))
	want := map[string]string{"ether1-wan": "ether1", "lan": "ether2", "lan-3": "ether3"}
	if len(p.Ports) != 3 {
		t.Fatalf("ports %+v", p.Ports)
	}
	for _, pt := range p.Ports {
		if want[pt.Name] != pt.DefaultName || pt.Lab != pt.DefaultName {
			t.Errorf("port %+v, want %s on %s", pt, pt.Name, want[pt.Name])
		}
	}
	if len(p.WANs) != 1 || p.WANs[0].Port != "ether1-wan" {
		t.Errorf("WANs %+v", p.WANs)
	}
}
