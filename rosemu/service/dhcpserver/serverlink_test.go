package dhcpserver

import (
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestServerSocketOnLinkName: a DHCP server on a RouterOS interface whose
// name Linux refuses (a bridge "guest wifi") binds its socket on the Linux
// interface that carries it, as the DHCP client does.
func TestServerSocketOnLinkName(t *testing.T) {
	for _, name := range []string{"guest wifi", "bridge-moradores-1", "bridge"} {
		s := &server{iface: name}
		if got, want := s.link(), kernel.LinkName(name); got != want {
			t.Errorf("server on %q binds %q, want %q", name, got, want)
		}
	}
}
