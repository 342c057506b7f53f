package lab

import (
	"os"
	"strings"
	"testing"
)

// TestParseBGPNode: the bgp lab's upstream becomes labagent's --bgp-*
// flags and its announced network; a neighbor that is not the router's
// address on the node's network, a missing AS, an AS out of range and an
// announced network inside the lab are refused.
func TestParseBGPNode(t *testing.T) {
	b, err := os.ReadFile("../../labs/bgp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("bgp.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, n := range s.Nodes {
		if n.Name == "upstream" {
			got = strings.Join(AgentArgs(n), " ")
		}
	}
	for _, want := range []string{"--bgp-as 65002", "--bgp-neighbor 10.255.2.1", "--bgp-neighbor-as 65001", "--announce 10.88.0.0/24"} {
		if !strings.Contains(got, want) {
			t.Errorf("AgentArgs(upstream) = %s\nwant it to contain %s", got, want)
		}
	}
	for _, tc := range []struct{ from, to, want string }{
		{"neighbor: 10.255.2.1", "neighbor: 10.255.2.2", "node upstream: bgp: neighbor 10.255.2.2 is not the router's address on a network the node is in"},
		{"neighbor: 10.255.2.1", "neighbor: 192.168.88.1", "node upstream: bgp: neighbor 192.168.88.1 is not the router's address"},
		{"      neighbor-as: 65001\n", "", "node upstream: bgp: no neighbor-as"},
		{"as: 65002", "as: 4294967296", "node upstream: bgp: as: want an AS number"},
		{"announce: [10.88.0.0/24]", "announce: [10.255.2.0/30]", "node upstream: bgp: announce: 10.255.2.0/30 overlaps the lab network transit"},
	} {
		_, err := Parse("bgp.yaml", []byte(strings.Replace(string(b), tc.from, tc.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.to, err, tc.want)
		}
	}
}
