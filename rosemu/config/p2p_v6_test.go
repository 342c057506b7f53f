package config

import (
	"context"
	"strings"
	"testing"
)

// RouterOS 6's p2p= matcher (a 6.x mangle rule marking peer-to-peer
// connections) is taken and reported: the rule never matches in rosemu.
// RouterOS 7 removed the matcher and refuses it.
func TestP2PMatcherV6(t *testing.T) {
	line := "/ip firewall mangle add action=mark-connection chain=forward new-connection-mark=p2p p2p=all-p2p passthrough=yes"
	r := New(Options{Ports: ports, Version: "6.49.17"})
	run(t, r, line)
	found := false
	for _, it := range r.NotEnforced() {
		if strings.Contains(it.String(), "p2p") {
			found = true
		}
	}
	if !found {
		t.Errorf("p2p not reported: %v", r.NotEnforced())
	}
	if _, err := r.Run(context.Background(), "/ip firewall filter add chain=forward action=drop p2p=napster"); err == nil {
		t.Errorf("p2p=napster taken")
	}
	r7 := New(Options{Ports: ports, Version: "7.16.2"})
	if _, err := r7.Run(context.Background(), line); err == nil || !strings.Contains(err.Error(), "expected end of command") {
		t.Errorf("7.16.2: %v, want expected end of command", err)
	}
}
