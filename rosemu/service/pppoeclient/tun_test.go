package pppoeclient

import (
	"os"
	"testing"

	"github.com/chrlab/chrlab/internal/netnstest"
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
