package kernel

import (
	"strings"
	"testing"
)

// TestProtocolGRENumbered: protocol=gre renders as the number 47, not the
// name nft resolves through /etc/protocols, which the vm backend's guest
// lacks (its nft rejected "meta l4proto gre": Could not resolve protocol name).
func TestProtocolGRENumbered(t *testing.T) {
	for _, v := range []string{"gre", "47", "!gre"} {
		got, n, _, err := protocolMatch(v)
		if err != nil {
			t.Fatalf("protocolMatch(%q): %v", v, err)
		}
		if n != 47 || strings.Contains(got, "gre") || !strings.HasSuffix(got, "47") {
			t.Errorf("protocolMatch(%q) = %q, want meta l4proto [!= ]47", v, got)
		}
	}
}
