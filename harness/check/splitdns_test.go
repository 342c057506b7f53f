package check

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// splitDNSExport is a forward bound to the WAN with no hairpin, the
// router's DNS answering its LAN or not (allow-remote-requests=%s), and a
// static entry giving the server's name an address (%s).
const splitDNSExport = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=%s
/ip dns static
add address=%s name=cloud.home.example type=A
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=443 protocol=tcp to-addresses=192.168.88.50
`

// TestSplitDNSOffline: a forward on the WAN with no hairpin, and the
// router's static DNS giving the server's name its LAN address (method 1,
// split DNS). Offline, the hairpin by address still fails (a hairpin gap,
// a warning since chk53), but
// the report now also predicts the LAN's path by the name, which works, and
// the terminal says so; before, offline had no by-name row at all and read
// as if nothing worked from the LAN. A router that does not answer its LAN
// (allow-remote-requests=no, the control) gets no such row.
func TestSplitDNSOffline(t *testing.T) {
	for _, tt := range []struct {
		remote string
		row    bool
	}{{"yes", true}, {"no", false}} {
		p := importNamed(t, "split.rsc", []byte(fmt.Sprintf(splitDNSExport, tt.remote, "192.168.88.50")))
		d := p.OfflineDocument()
		row := bynameRow(d)
		if (row != nil) != tt.row {
			t.Fatalf("allow-remote-requests=%s: by-name row %+v", tt.remote, row)
		}
		found, _ := p.Diagnose()
		var b bytes.Buffer
		PrintFindings(&b, p, found, p.Propose(found))
		if got := strings.Contains(b.String(), "by name: forward 1 from the LAN by cloud.home.example works"); got != tt.row {
			t.Errorf("allow-remote-requests=%s: terminal\n%s", tt.remote, b.String())
		}
		if row == nil {
			continue
		}
		if !row.Before.OK || !strings.Contains(row.What, "cloud.home.example") || !strings.Contains(row.To, "cloud.home.example:443") {
			t.Errorf("row %+v %+v", row, row.Before)
		}
		// The hairpin by address still fails, for a forward bound to
		// the WAN: a hairpin gap, a warning, not a broken path (chk53).
		if d.Verdict != "ok" || !strings.Contains(strings.Join(d.Warnings, "\n"), "hairpin gap: forward 1") {
			t.Errorf("verdict %s, warnings %q: want ok and the hairpin gap", d.Verdict, d.Warnings)
		}
	}
}

// TestSplitDNSTranslatedPort: the same split DNS for a forward that
// translates the port (the WAN's 80 to the server's 3000, a 6.49 export's
// Grafana): by name the client skips the NAT and asks the server on 80,
// where nothing listens, as the lab saw (timeout). Offline predicted
// "works" and the terminal said "no hairpin needed" before; now the path
// fails with a finding that names the static DNS, and the terminal no
// longer says the name works.
func TestSplitDNSTranslatedPort(t *testing.T) {
	const export = "# 2022-03-01 10:00:00 by RouterOS 6.49.6\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add disabled=no interface=ether1
/ip dns
set allow-remote-requests=yes
/ip dns static
add address=192.168.88.70 name=grafana.home
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=80 protocol=tcp to-addresses=192.168.88.70 to-ports=%s
`
	for _, tt := range []struct {
		toPort string
		works  bool
	}{{"80", true}, {"3000", false}} {
		p := importNamed(t, "grafana.rsc", []byte(fmt.Sprintf(export, tt.toPort)))
		row := bynameRow(p.OfflineDocument())
		if row == nil || row.Before.OK != tt.works {
			t.Fatalf("to-ports=%s: by-name row %+v, want works %v", tt.toPort, row, tt.works)
		}
		found, _ := p.Diagnose()
		named := false
		for _, f := range found {
			named = named || f.Cause == NameSkipsToPorts && f.Path == "byname:bridge"
		}
		if named == tt.works {
			t.Errorf("to-ports=%s: %q finding %v, want %v", tt.toPort, NameSkipsToPorts, named, !tt.works)
		}
		var b bytes.Buffer
		PrintFindings(&b, p, found, p.Propose(found))
		if got := strings.Contains(b.String(), "by name: forward 1 from the LAN by grafana.home works"); got != tt.works {
			t.Errorf("to-ports=%s: terminal\n%s", tt.toPort, b.String())
		}
	}
}

// bynameRow is the first forward's path by name from the bridge, nil when
// the document has none.
func bynameRow(d *Document) *PathDoc {
	for i, pd := range d.Forwards[0].Paths {
		if pd.Path == "byname:bridge" {
			return &d.Forwards[0].Paths[i]
		}
	}
	return nil
}
