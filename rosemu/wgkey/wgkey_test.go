package wgkey

import "testing"

// TestPublic: the public keys of the lab's key pairs, as the WireGuard
// tools (wgctrl's GeneratePrivateKey and PublicKey) made them.
func TestPublic(t *testing.T) {
	for priv, pub := range map[string]string{
		"wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA=": "5b6iuO3QCloAA15/TeNvvOPGYNoP++8YJFMG77u4Uxs=",
		"cFYUxpiTT+aU57Czbi8JGOVFz8dX8wWH65t01cTrV2M=": "XUbJDUEcpQrWqm/EO0NTEfZm0iFMp86rGjAHOqcIsG0=",
	} {
		if got := Public(priv); got != pub {
			t.Errorf("Public(%s) = %s, want %s", priv, got, pub)
		}
	}
	for _, bad := range []string{"", "nokey", "aGVsbG8="} {
		if Public(bad) != "" || Hex(bad) != "" {
			t.Errorf("%q: took a key that is none", bad)
		}
	}
	k := New()
	if _, ok := Decode(k); !ok || Public(k) == "" || New() == k {
		t.Errorf("New() = %s", k)
	}
	if h := Hex("cFYUxpiTT+aU57Czbi8JGOVFz8dX8wWH65t01cTrV2M="); len(h) != 64 || h[:4] != "7056" {
		t.Errorf("Hex = %s", h)
	}
}
