package agentcmd

import (
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRoutingFlags: the node's --ospf-* and --bgp-* flags make a
// configuration BIRD parses (bird -p), running OSPF on the lab network by
// prefix and a BGP session with the router, both exporting only the
// announced networks; flags without --ospf-network or --bgp-as, an area
// that is no id, a dead interval under the hello and a session without
// the router's AS are refused.
func TestRoutingFlags(t *testing.T) {
	o, err := parseNodeFlags([]string{"--name", "core1", "--ospf-network", "10.255.1.0/30", "--announce", "10.77.0.0/24",
		"--ospf-type", "ptp", "--ospf-hello", "1s", "--ospf-dead", "4s", "--bgp-as", "65002", "--bgp-neighbor", "10.255.1.1", "--bgp-neighbor-as", "65001"}, io.Discard)
	if err != nil || !o.routingOn {
		t.Fatalf("parse: %v (on %v)", err, o.routingOn)
	}
	conf := o.routing.birdConf(netip.MustParseAddr("10.255.1.2"))
	for _, want := range []string{"router id 10.255.1.2;", "route 10.77.0.0/24 unreachable;", `export where proto = "announce"`,
		"interface 10.255.1.0/30 { type ptp; hello 1; dead 4; };", "local as 65002;", "neighbor 10.255.1.1 as 65001;"} {
		if !strings.Contains(conf, want) {
			t.Errorf("bird.conf lacks %q:\n%s", want, conf)
		}
	}
	if _, err := exec.LookPath("bird"); err != nil {
		t.Fatalf("bird is not installed (Debian's bird2 package; make test installs it): %v", err)
	}
	p := filepath.Join(t.TempDir(), "bird.conf")
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bird", "-p", "-c", p).CombinedOutput(); err != nil {
		t.Errorf("bird -p: %v: %s\n%s", err, out, conf)
	}
	for _, args := range [][]string{
		{"--announce", "10.77.0.0/24"},
		{"--bgp-as", "65002", "--bgp-neighbor", "10.255.1.1"},
		{"--bgp-as", "65002", "--bgp-neighbor", "router", "--bgp-neighbor-as", "1"},
		{"--ospf-network", "10.255.1.0/30", "--ospf-area", "backbone"},
		{"--ospf-network", "10.255.1.0/30", "--ospf-hello", "5s", "--ospf-dead", "5s"},
		{"--ospf-network", "10.255.1.0/30", "--ospf-type", "nbma"},
	} {
		if _, err := parseNodeFlags(append([]string{"--name", "x"}, args...), io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
