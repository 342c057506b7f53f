package lab

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestParseWireGuardNode: the wireguard lab's road warrior becomes
// labagent's --wg-* flags; an endpoint outside the lab's networks, a bad
// key and a tunnel without allowed prefixes are refused at their line.
func TestParseWireGuardNode(t *testing.T) {
	b, err := os.ReadFile("../../labs/wireguard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("wireguard.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, n := range s.Nodes {
		if n.Name == "roadwarrior" {
			got = strings.Join(AgentArgs(n), " ")
		}
	}
	for _, want := range []string{"--wg-address 10.66.0.2/24", "--wg-private-key cFYUxpiTT+aU57Czbi8JGOVFz8dX8wWH65t01cTrV2M=",
		"--wg-peer-public-key 5b6iuO3QCloAA15/TeNvvOPGYNoP++8YJFMG77u4Uxs=", "--wg-allowed 10.66.0.0/24,192.168.88.0/24",
		"--wg-endpoint 203.0.113.2:13231", "--wg-keepalive 5s"} {
		if !strings.Contains(got, want) {
			t.Errorf("AgentArgs(roadwarrior) = %s\nwant it to contain %s", got, want)
		}
	}
	// lineOf is the line of the lab file that holds text first.
	lineOf := func(text string) int {
		return strings.Count(string(b[:strings.Index(string(b), text)]), "\n") + 1
	}
	for _, tc := range []struct{ from, to, want string }{
		{"endpoint: 203.0.113.2:13231", "endpoint: 1.1.1.1:13231", fmt.Sprintf("wireguard.yaml:%d: node roadwarrior: wireguard: peer: endpoint 1.1.1.1 is not in any network of the lab", lineOf("endpoint: 203.0.113.2:13231"))},
		{"public-key: 5b6iuO3QCloAA15/TeNvvOPGYNoP++8YJFMG77u4Uxs=", "public-key: nokey", fmt.Sprintf("wireguard.yaml:%d:21: node roadwarrior: wireguard: peer: public-key: want a WireGuard key", lineOf("public-key: 5b6iuO3QCloAA15/TeNvvOPGYNoP++8YJFMG77u4Uxs="))},
		{"allowed: [10.66.0.0/24, 192.168.88.0/24]", "allowed: []", "node roadwarrior: wireguard: peer: no allowed prefixes"},
		{"address: 10.66.0.2/24", "address: 10.66.0.2", "node roadwarrior: wireguard: address: want an IPv4 address with its length"},
	} {
		_, err := Parse("wireguard.yaml", []byte(strings.Replace(string(b), tc.from, tc.to, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.to, err, tc.want)
		}
	}
}
