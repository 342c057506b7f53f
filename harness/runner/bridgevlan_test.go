package runner

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// menuPrinter answers Print from fixed rows, keeping those whose fields
// match every ?key=value word.
type menuPrinter map[string][]map[string]string

func (m menuPrinter) Print(_ context.Context, path string, words ...string) ([]map[string]string, error) {
	var out []map[string]string
rows:
	for _, r := range m[path] {
		for _, w := range words {
			k, v, ok := strings.Cut(strings.TrimPrefix(w, "?"), "=")
			if !ok {
				continue
			}
			if k == "disabled" && v == "false" && r[k] == "" {
				continue
			}
			if r[k] != v {
				continue rows
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// TestVLANsOfTrunkInBridges: an OLT's trunk port carries VLANs 100 and
// 103, each a port of a bridge that holds the address; the router's
// address on the trunk is looked up on those bridges too (the run failed
// "router has no address on SFP4 or VLAN-100 or VLAN-103").
func TestVLANsOfTrunkInBridges(t *testing.T) {
	p := menuPrinter{
		"/interface/bridge/port": {
			{"bridge": "BR-TR069", "interface": "VLAN-100"},
			{"bridge": "BR-HOTSPOT", "interface": "vlan 103 hotspot"},
		},
		"/interface/bridge": {{"name": "BR-TR069"}, {"name": "BR-HOTSPOT"}},
	}
	got := withBridges(context.Background(), p, []string{"SFP4", "VLAN-100", "vlan 103 hotspot"})
	want := []string{"SFP4", "VLAN-100", "vlan 103 hotspot", "BR-TR069", "BR-HOTSPOT"}
	if !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
}
