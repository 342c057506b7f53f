package config

import (
	"context"
	"strings"
	"testing"
)

// TestDHCPClientOnBridgePort (forum44 D7): a DHCP client on a bridge port
// is invalid, as RouterOS shows it: flag I in print, invalid=true and
// status stopped over the API, and the service is not asked to run it
// (it gets no lease). The client on a port outside the bridge is valid
// (the control), and the bridge port's client becomes valid once the port
// leaves the bridge. Before, both printed without I, the API had no
// invalid and the bridge port's client was "searching..." and run.
func TestDHCPClientOnBridgePort(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	run(t, r, "/interface bridge add name=bridge1\n/interface bridge port add bridge=bridge1 interface=ether2\n/ip dhcp-client add interface=ether2\n/ip dhcp-client add interface=ether1")
	check := func(when string, wantInvalid bool) {
		t.Helper()
		out, err := r.Run(ctx, "/ip dhcp-client print")
		if err != nil {
			t.Fatal(err)
		}
		flagged := false
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "ether2") {
				flagged = strings.Fields(l)[1] == "I"
			}
		}
		if flagged != wantInvalid || !strings.Contains(out, "I - INVALID") {
			t.Errorf("%s: print flags ether2's client invalid %v, want %v:\n%s", when, flagged, wantInvalid, out)
		}
		rows, _, err := r.Command(ctx, "/ip/dhcp-client/print", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			ifc, _ := row.Get("interface")
			inv, _ := row.Get("invalid")
			st, _ := row.Get("status")
			want, wantSt := "false", "searching..."
			if ifc == "ether2" && wantInvalid {
				want, wantSt = "true", "stopped"
			}
			if inv != want || st != wantSt {
				t.Errorf("%s: %s invalid=%q status=%q, want %q %q", when, ifc, inv, st, want, wantSt)
			}
		}
		for _, c := range r.DHCPClients() {
			if c.Disabled != (c.Interface == "ether2" && wantInvalid) {
				t.Errorf("%s: the service is told %+v", when, c)
			}
		}
	}
	check("on the bridge port", true)
	run(t, r, "/interface bridge port remove [find interface=ether2]")
	check("off the bridge", false)
}
