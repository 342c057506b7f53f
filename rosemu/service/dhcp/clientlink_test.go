package dhcp

import (
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestClientSocketsOnLinkName: a DHCP client on a RouterOS interface whose
// name Linux refuses ("main infrastructure", a cAP's bridge) binds its
// sockets on the Linux interface that carries it; on the RouterOS name the
// lab's run waited 30 s for a lease that never came ("open raw socket: no
// such network interface").
func TestClientSocketsOnLinkName(t *testing.T) {
	for _, name := range []string{"main infrastructure", "bridge-moradores-1", "ether1"} {
		c := &client{iface: name}
		if got, want := c.link(), kernel.LinkName(name); got != want {
			t.Errorf("client on %q binds %q, want %q", name, got, want)
		}
	}
	if (&client{iface: "main infrastructure"}).link() == "main infrastructure" {
		t.Error("a name with a blank is bound as is")
	}
}
