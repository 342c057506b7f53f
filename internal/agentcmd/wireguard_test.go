package agentcmd

import (
	"strings"
	"testing"
)

// TestWireGuardFlags: the --wg-* flags become one peer's configuration in
// WireGuard's configuration protocol; a flag without --wg-address, a bad
// key and a prefix that is no prefix are refused, and no flags at all
// leave the tunnel off (the control).
func TestWireGuardFlags(t *testing.T) {
	const priv, pub = "cFYUxpiTT+aU57Czbi8JGOVFz8dX8wWH65t01cTrV2M=", "5b6iuO3QCloAA15/TeNvvOPGYNoP++8YJFMG77u4Uxs="
	f := wgFlags{address: "10.66.0.2/24", privateKey: priv, peerKey: pub, endpoint: "203.0.113.2:13231",
		allowed: "10.66.0.0/24, 192.168.88.0/24", keepalive: 5e9}
	o, on, err := f.options()
	if err != nil || !on {
		t.Fatalf("options: %v %v", on, err)
	}
	for _, want := range []string{"private_key=7056", "public_key=e5bea2", "endpoint=203.0.113.2:13231",
		"persistent_keepalive_interval=5", "allowed_ip=10.66.0.0/24", "allowed_ip=192.168.88.0/24", "replace_peers=true"} {
		if !strings.Contains(o.uapi, want) {
			t.Errorf("configuration lacks %q:\n%s", want, o.uapi)
		}
	}
	if len(o.allowed) != 2 || o.address.String() != "10.66.0.2/24" {
		t.Errorf("options %+v", o)
	}
	for _, bad := range []wgFlags{
		{privateKey: priv},
		{address: "10.66.0.2", privateKey: priv, peerKey: pub},
		{address: "10.66.0.2/24", privateKey: "nokey", peerKey: pub},
		{address: "10.66.0.2/24", privateKey: priv, peerKey: pub, allowed: "192.168.88.0"},
		{address: "10.66.0.2/24", privateKey: priv, peerKey: pub, endpoint: "203.0.113.2"},
	} {
		if _, _, err := bad.options(); err == nil {
			t.Errorf("%+v: taken", bad)
		}
	}
	if _, on, err := (&wgFlags{}).options(); on || err != nil {
		t.Errorf("no flags: on=%v err=%v", on, err)
	}
}
