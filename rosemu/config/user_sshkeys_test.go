package config

import (
	"context"
	"testing"
)

// /user ssh-keys add key=... user=... (7) is taken for an existing user and
// reported; an unknown user is refused, and RouterOS 6 has no inline key.
func TestUserSSHKeysInline(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.20.4"})
	run(t, r, "/user add group=full name=noc password=x\n/user ssh-keys add key=\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx user@host\" user=noc")
	if _, err := r.Run(context.Background(), "/user ssh-keys add key=\"ssh-ed25519 AAAA\" user=nobody"); err == nil {
		t.Error("a key for an unknown user was taken")
	}
	if _, err := New(Options{Ports: ports, Version: "6.49.17"}).Run(context.Background(), "/user ssh-keys add key=x user=admin"); err == nil {
		t.Error("6.49.17 took an inline key")
	}
	found := false
	for _, it := range r.NotEnforced() {
		found = found || it.Path == "/user ssh-keys"
	}
	if !found {
		t.Errorf("not reported: %v", r.NotEnforced())
	}
}
