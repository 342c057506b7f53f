package lab

import (
	"github.com/chrlab/chrlab/internal/shpause"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
)

func TestWiringChoice(t *testing.T) {
	for _, tc := range []struct {
		opt  Wiring
		env  string
		want Wiring
		err  bool
	}{
		{"", "", WiringNetns, false},
		{"", "docker", WiringDocker, false},
		{WiringNetns, "docker", WiringNetns, false}, // the option wins
		{"", "bridge", "", true},
	} {
		t.Setenv(WiringEnv, tc.env)
		got, err := wiring(tc.opt)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("wiring(%q) with %s=%q = %q, %v; want %q (error %v)", tc.opt, WiringEnv, tc.env, got, err, tc.want, tc.err)
		}
		if err != nil && !strings.Contains(err.Error(), WiringEnv) {
			t.Errorf("the error does not name %s: %v", WiringEnv, err)
		}
	}
}

// TestWireScriptsParse checks the shell of the wire container and of a
// member's wrapper with sh -n, which parses without running.
func TestWireScriptsParse(t *testing.T) {
	vs := []veth{{name: "eth0", net: 0, addr: netip.MustParsePrefix("10.200.0.10/24")}, {name: "eth1", net: 2, addr: netip.MustParsePrefix("10.200.2.1/24")}}
	wrapped := waitWired(vs, []string{"/usr/bin/tini", "--", "labagent"})
	script := shpause.Script(wrapped)
	if script == "" || wrapped[len(wrapped)-3] != "/usr/bin/tini" {
		t.Fatalf("waitWired = %q, want shpause's command of the script, then the entrypoint", wrapped)
	}
	for _, want := range []string{"addr add 10.200.0.10/24 dev eth0", "link set eth1 up", "/sys/class/net/$n/carrier"} {
		if !strings.Contains(script, want) {
			t.Errorf("the wrapper does not %q:\n%s", want, script)
		}
	}
	for name, script := range map[string]string{"wire": wireScript, "wrapper": script, "launcher": wrapped[2]} {
		if out, err := exec.Command("sh", "-n", "-c", script).CombinedOutput(); err != nil {
			t.Errorf("the %s script does not parse: %v: %s\n%s", name, err, out, script)
		}
	}
}

// TestWaitWiredWithoutInterfaces: a member with no lab interface runs its
// entrypoint at once, with its arguments intact.
func TestWaitWiredWithoutInterfaces(t *testing.T) {
	argv := waitWired(nil, []string{"echo", "a b", "c"})
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	if err != nil || string(out) != "a b c\n" {
		t.Errorf("%q printed %q, %v; want %q", argv, out, err, "a b c\n")
	}
}

// The member's end of a veth gets a MAC made of its wire address, so that
// captures find the interface after rosemu renamed it; two interfaces of
// one lab never share one.
func TestWireMAC(t *testing.T) {
	if got := wireMAC(netip.MustParseAddr("10.200.0.10")); got != "02:c1:0a:c8:00:0a" {
		t.Errorf("wireMAC(10.200.0.10) = %s", got)
	}
	if wireMAC(netip.MustParseAddr("10.200.0.10")) == wireMAC(netip.MustParseAddr("10.200.1.10")) {
		t.Error("two wire addresses share a MAC")
	}
}
