package kernel

import (
	"errors"
	"testing"
)

// TestProbe: a kind this kernel has (a bridge, which every test lab makes)
// probes fine; a kind no kernel has is refused as unsupported, the answer
// a kernel without 802.1Q gives for a VLAN (the control that the probe can
// say no). The probe leaves no link behind in the test's namespace.
func TestProbe(t *testing.T) {
	if err := Probe(FeatureBridge); err != nil {
		t.Fatalf("probe a bridge: %v", err)
	}
	err := Probe(Feature{Name: "no such kind", Kind: "chrlab-nosuch"})
	if !errors.Is(err, ErrProbeUnsupported) {
		t.Errorf("probe an unknown kind: %v; want ErrProbeUnsupported", err)
	}
	t.Logf("this machine: 802.1Q %v; MAC VLANs %v", Probe(FeatureVLAN), Probe(FeatureMACVLAN))
	st := &State{VLANs: []VLAN{{Name: "v10", Interface: "ether1", ID: 10}}, VRRPs: []VRRP{{}}}
	if got := st.Needs(); len(got) != 2 || got[0] != FeatureVLAN || got[1] != FeatureMACVLAN {
		t.Errorf("needs %v; want 802.1Q and MAC VLANs", got)
	}
	t.Logf("this machine: bridge VLAN filtering %v", Probe(FeatureBridgeVLANFiltering))
	br := &State{Bridges: []Bridge{{Name: "bridge1"}, {Name: "bridge2", VLANFiltering: true}}}
	if got := br.Needs(); len(got) != 2 || got[0] != FeatureBridge || got[1] != FeatureBridgeVLANFiltering {
		t.Errorf("needs %v; want bridges and bridge VLAN filtering", got)
	}
	br.Bridges[1].VLANFiltering = false // the control: no vlan-filtering, no need
	if got := br.Needs(); len(got) != 1 {
		t.Errorf("needs %v; want bridges only", got)
	}
	if got := (&State{}).Needs(); len(got) != 0 {
		t.Errorf("an empty state needs %v", got)
	}
}
