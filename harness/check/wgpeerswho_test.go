package check

import (
	"strings"
	"testing"
)

// TestSitePeerOutsideListNote: a WireGuard peer that allows a site's
// network (10.77.0.0/24) was called a road warrior in the note of a
// tunnel left out of LAN (f58 C3). Control: a /32 peer is still one.
func TestSitePeerOutsideListNote(t *testing.T) {
	wg := twoLANs + "/interface list member\nadd interface=ether3 list=LAN\n" +
		"/interface wireguard\nadd listen-port=13231 name=wireguard1\n/interface wireguard peers\nadd allowed-address=10.10.10.2/32,10.77.0.0/24 interface=wireguard1 public-key=\"aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSByZWFsIGs=\"\n" +
		"/ip address\nadd address=10.10.10.1/24 interface=wireguard1 network=10.10.10.0\n"
	wantNotes(t, wg, "wireguard1 (10.10.10.1/24) is not in the interface list LAN", "its peers and the sites behind them (line 22 allows 10.77.0.0/24)")
	wantNoNote(t, wg, "road warriors")
	wantNotes(t, strings.Replace(wg, ",10.77.0.0/24", "", 1), "its peers (road warriors)")
}
