package lab

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestParseOSPFNode: the ospf lab's core1 becomes labagent's --ospf-*
// flags (its network by subnet, the announced prefix, the timers); a
// network the node is not in, a prefix inside the lab, an unknown type
// and a dead interval no longer than the hello are refused at their line.
func TestParseOSPFNode(t *testing.T) {
	b, err := os.ReadFile("../../labs/ospf.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("ospf.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, n := range s.Nodes {
		if n.Name == "core1" {
			got = strings.Join(AgentArgs(n), " ")
		}
	}
	for _, want := range []string{"--ospf-network 10.255.1.0/30", "--announce 10.77.0.0/24", "--ospf-area 0.0.0.0",
		"--ospf-type ptp", "--ospf-hello 1s", "--ospf-dead 4s", "--router-id 10.255.255.2"} {
		if !strings.Contains(got, want) {
			t.Errorf("AgentArgs(core1) = %s\nwant it to contain %s", got, want)
		}
	}
	lineOf := func(text string) int {
		return strings.Count(string(b[:strings.Index(string(b), text)]), "\n") + 1
	}
	for _, tc := range []struct{ from, to, want string }{
		{"networks: [core]", "networks: [lan]", "node core1: ospf: networks: the node has no interface in network lan"},
		{"networks: [core]", "networks: [nowhere]", `node core1: ospf: networks: no network "nowhere" in the lab`},
		{"announce: [10.77.0.0/24]", "announce: [192.168.88.0/25]", "announce: 192.168.88.0/25 overlaps the lab network lan"},
		{"announce: [10.77.0.0/24]", "announce: [10.77.0.1/32]", fmt.Sprintf("ospf.yaml:%d:18: node core1: ospf: announce: want an IPv4 prefix of /30 or wider", lineOf("announce: [10.77.0.0/24]"))},
		{"type: ptp", "type: nbma", fmt.Sprintf("ospf.yaml:%d:13: node core1: ospf: type: want broadcast or ptp", lineOf("type: ptp"))},
		{"dead: 4s", "dead: 1s", "node core1: ospf: dead (1s) must be longer than hello (1s)"},
		{"hello: 1s", "hello: 1500ms", "node core1: ospf: hello: want whole seconds"},
	} {
		_, err := Parse("ospf.yaml", []byte(strings.Replace(string(b), tc.from, tc.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.to, err, tc.want)
		}
	}
}
