package agentcmd

import (
	"context"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/service/bird"
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
	if err := bird.Check(context.Background(), conf); err != nil {
		t.Errorf("%v\n%s", err, conf)
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
