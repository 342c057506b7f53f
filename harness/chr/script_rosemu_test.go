package chr_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/cmd/qemuboot/guest"
	"github.com/chrlab/chrlab/harness/chr"
	"github.com/chrlab/chrlab/rosemu/config"
)

// The provisioning script runs on rosemu as a fresh CHR: the default DHCP
// client goes, the NIC with the management MAC gets the address, and the
// marker is logged. Negative control: on a router without that NIC the
// script logs its error and changes nothing.
func TestScriptOnFreshRouter(t *testing.T) {
	ctx := context.Background()
	p := chr.Provision{MgmtMAC: guest.MgmtMAC, MgmtAddr: guest.MgmtGuestAddr(guest.MgmtCandidates[0]), WaitSeconds: 1}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2", "ether3"}, DefaultDHCPClient: true,
		MACs: map[string]string{"ether1": "52:54:00:00:00:01", "ether3": "52:54:00:00:FF:FF"}})
	if err := r.RunScript(ctx, "autorun", p.Script(chr.AutorunMarker), nil); err != nil {
		t.Fatal(err)
	}
	rows, _, _ := r.Command(ctx, "/ip/address/print", nil)
	if len(rows) != 1 {
		t.Fatalf("addresses: %v", rows)
	}
	if ifc, _ := rows[0].Get("interface"); ifc != "ether3" {
		t.Errorf("management address on %s", ifc)
	}
	if a, _ := rows[0].Get("address"); a != "10.0.2.15/24" {
		t.Errorf("management address %s", a)
	}
	if dc, _, _ := r.Command(ctx, "/ip/dhcp-client/print", nil); len(dc) != 0 {
		t.Errorf("DHCP clients left: %v", dc)
	}
	if !logged(r, chr.AutorunMarker) {
		t.Error("no marker in /log")
	}

	// The one-line form the console dialogue types does the same.
	r2 := config.New(config.Options{Ports: []string{"ether1", "ether2", "ether3"}, DefaultDHCPClient: true,
		MACs: map[string]string{"ether3": "52:54:00:00:FF:FF"}})
	line := p.Line(chr.ConsoleMarker)
	if strings.Contains(line, "\n") {
		t.Fatalf("Line has a newline: %q", line)
	}
	if _, err := r2.Run(ctx, line); err != nil {
		t.Fatalf("console line %q: %v", line, err)
	}
	if !logged(r2, chr.ConsoleMarker) {
		t.Errorf("console line: no marker; log %v", r2.Log())
	}

	bare := config.New(config.Options{Ports: []string{"ether1", "ether2"}, DefaultDHCPClient: true})
	if err := bare.RunScript(ctx, "autorun", p.Script(chr.AutorunMarker), nil); err != nil {
		t.Fatal(err)
	}
	if logged(bare, chr.AutorunMarker) || !logged(bare, "no management NIC 52:54:00:00:FF:FF") {
		t.Errorf("without the NIC: log %v", bare.Log())
	}
	if dc, _, _ := bare.Command(ctx, "/ip/dhcp-client/print", nil); len(dc) != 1 {
		t.Errorf("without the NIC the default client should stay: %v", dc)
	}
}

func logged(r *config.Router, s string) bool {
	for _, e := range r.Log() {
		if strings.Contains(e.Msg, s) {
			return true
		}
	}
	return false
}
