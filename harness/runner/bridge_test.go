package runner

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func TestKernelLacks(t *testing.T) {
	err := errors.New("apply router.rsc: failure: apply state: create vlan interface vlan10 (vlan-id 10 on bridge1): operation not supported (the kernel lacks 802.1Q VLAN support (CONFIG_VLAN_8021Q))")
	why, ok := kernelLacks(err)
	if !ok || !strings.HasPrefix(why, "the router's kernel lacks 802.1Q VLAN support (CONFIG_VLAN_8021Q)") {
		t.Errorf("kernelLacks = %q, %v", why, ok)
	}
	if _, ok := kernelLacks(errors.New("failure: device already added as bridge port (line 3 column 1)")); ok {
		t.Errorf("a configuration error was taken for a missing kernel feature")
	}
	// An automatic rosemu that meets it tries again in the vm backend,
	// naming the feature.
	lacks := &kernelLacksError{feature: lacksFeature(err), err: err}
	if lacks.feature != "802.1Q VLAN support (CONFIG_VLAN_8021Q)" || !errors.Is(fmt.Errorf("run: %w", lacks), err) {
		t.Errorf("kernelLacksError = %+v", lacks)
	}
	if f := lacksFeature(errors.New("no such thing")); f != "" {
		t.Errorf("lacksFeature of another error = %q", f)
	}
}

func TestNearAddress(t *testing.T) {
	rows := []map[string]string{{"address": "192.168.88.1/24"}, {"address": "192.168.89.1/24"}}
	if a, ok := nearAddress(rows, netip.MustParseAddr("192.168.89.20")); !ok || a.String() != "192.168.89.1" {
		t.Errorf("near 192.168.89.20: %v %v", a, ok)
	}
	if a, ok := nearAddress(rows, netip.Addr{}); !ok || a.String() != "192.168.88.1" {
		t.Errorf("no near: %v %v", a, ok)
	}
	if _, ok := nearAddress(nil, netip.Addr{}); ok {
		t.Errorf("no rows gave an address")
	}
}
