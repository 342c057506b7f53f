package pppoeserver

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/pppoe"
)

// TestServerOpensTheLinuxLink: a server on an interface whose RouterOS
// name Linux cannot carry (bridge-customers, 16 bytes: WISPs' bridges are
// named so) opens the Linux link that carries it (kernel.LinkName), as
// the DHCP server binds. Before f71 (D2) it asked for the RouterOS name,
// failed "no such network interface" on every retry, and no customer ever
// got a session.
func TestServerOpensTheLinuxLink(t *testing.T) {
	for _, name := range []string{"ether2", "bridge-customers"} {
		m := New(slog.New(slog.DiscardHandler))
		var asked string
		stop := errors.New("stop")
		m.openLink = func(n string) (pppoe.Link, error) { asked = n; return nil, stop }
		err := m.serveOnce(context.Background(), nil, config.PPPoEServer{Interface: name}, slog.New(slog.DiscardHandler))
		if !errors.Is(err, stop) || asked != kernel.LinkName(name) {
			t.Errorf("%s: opened %q (%v), want %q", name, asked, err, kernel.LinkName(name))
		}
	}
}
