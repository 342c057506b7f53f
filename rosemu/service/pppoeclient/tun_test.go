package pppoeclient

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestTUNOfALongName: a PPPoE client named over Linux's 15 bytes
// (pppoe-Link-WaveMax, a real 6.49 export) gets its TUN under the Linux
// name that carries it, and up. Before, the TUN was made under the name
// cut to 15 bytes and then looked up by the full name: "find TUN
// pppoe-Link-WaveMax: Link not found", and the session ended as it came
// up, so check's lab had no WAN address.
func TestTUNOfALongName(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace and a TUN device")
	}
	nss, hs := netnstest.New(t, 1)
	for _, name := range []string{"pppoe-out1", "pppoe-Link-WaveMax"} {
		netnstest.In(t, nss[0], func() {
			tun, err := openTUN(name, 1480)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			defer tun.Close()
			lk, err := hs[0].LinkByName(kernel.LinkName(name))
			if err != nil {
				t.Errorf("%s: no link %s: %v", name, kernel.LinkName(name), err)
				return
			}
			if lk.Attrs().MTU != 1480 {
				t.Errorf("%s: MTU %d", name, lk.Attrs().MTU)
			}
		})
	}
}

// TestDialOnALongPortName: a PPPoE client whose interface= has a RouterOS
// name Linux cannot carry (a VLAN named vlan-internet-isp, 17 bytes)
// opens the Linux link that carries it and dials there: with nobody on the
// wire it ends for want of an answer. Before f71 (D2) it asked for the
// RouterOS name and failed at once, "no such network interface", as the
// server did on such a bridge.
func TestDialOnALongPortName(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces and a veth pair")
	}
	const name = "vlan-internet-isp"
	nss, hs := netnstest.New(t, 2)
	netnstest.Veth(t, hs[0], hs[1], kernel.LinkName(name), nss[1], "eth0")
	if err := hs[0].LinkSetUp(mustLink(t, hs[0], kernel.LinkName(name))); err != nil {
		t.Fatal(err)
	}
	netnstest.In(t, nss[0], func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, _, err := dial(ctx, config.PPPoEClient{Name: "pppoe-out1", Kind: "pppoe", Interface: name, User: "u", Password: "p"}, nil, 1480, slog.New(slog.DiscardHandler))
		if err == nil || strings.Contains(err.Error(), "no such network interface") {
			t.Errorf("dial on %s: %v, want it to dial and find no server", name, err)
		}
	})
}

func mustLink(t *testing.T, h *netlink.Handle, name string) netlink.Link {
	t.Helper()
	l, err := h.LinkByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
