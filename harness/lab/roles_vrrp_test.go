package lab

import (
	"os"
	"strings"
	"testing"
)

// TestParseVRRPNode: the vrrp lab's standby becomes labagent's --serve
// vrrp with its --vrrp-* flags, and client2 may use the virtual address
// as its gateway; an address outside the network or the node's own, a
// network the node is not in, the owner's priority 255 and a fractional
// version 2 interval are refused.
func TestParseVRRPNode(t *testing.T) {
	b, err := os.ReadFile("../../labs/vrrp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("vrrp.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, n := range s.Nodes {
		if n.Name == "standby" {
			got = strings.Join(AgentArgs(n), " ")
		}
	}
	for _, want := range []string{"--serve whoami,vrrp", "--vrrp-network 192.168.88.0/24", "--vrrp-vrid 1", "--vrrp-priority 150",
		"--vrrp-interval 200ms", "--vrrp-version 3", "--vrrp-address 192.168.88.254"} {
		if !strings.Contains(got, want) {
			t.Errorf("AgentArgs(standby) = %s\nwant it to contain %s", got, want)
		}
	}
	const line = "vrrp: {network: lan, vrid: 1, priority: 150, interval: 200ms, address: 192.168.88.254}"
	for _, tc := range []struct{ to, want string }{
		{"vrrp: {network: lan, vrid: 1, priority: 150, interval: 1s, address: 192.168.89.254}", "node standby: vrrp: address: 192.168.89.254 is not a free address of network lan"},
		{"vrrp: {network: lan, vrid: 1, priority: 150, interval: 1s, address: 192.168.88.3}", "is not a free address of network lan"},
		{"vrrp: {network: lan, vrid: 1, priority: 150, interval: 1s, address: 192.168.88.1}", "is not a free address of network lan"},
		{"vrrp: {network: isp, vrid: 1, priority: 150, interval: 1s, address: 203.0.113.254}", "node standby: vrrp: network: the node has no interface in network isp"},
		{"vrrp: {network: lan, vrid: 1, priority: 255, interval: 1s, address: 192.168.88.254}", "vrrp: priority: want a whole number from 1 to 254"},
		{"vrrp: {network: lan, vrid: 1, version: 2, interval: 1500ms, address: 192.168.88.254}", "vrrp: interval: want 10ms to 40s (whole seconds in version 2)"},
		{"vrrp: {network: lan, vrid: 1, priority: 150}", "vrrp: address missing"},
	} {
		// client2's gateway goes to the router, so that the virtual
		// router's own error is the one reported.
		src := strings.Replace(strings.Replace(string(b), line, tc.to, 1), "gateway: 192.168.88.254", "gateway: 192.168.88.1", 1)
		_, err := Parse("vrrp.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.to, err, tc.want)
		}
	}
	// Without the standby's virtual router, client2's gateway is no
	// address of the lab.
	_, err = Parse("vrrp.yaml", []byte(strings.Replace(string(b), "    "+line+"\n", "", 1)))
	if err == nil || !strings.Contains(err.Error(), "gateway 192.168.88.254 is no address of a node or router port") {
		t.Errorf("without the virtual router: %v", err)
	}
}
