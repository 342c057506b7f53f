package lab

import "testing"

// TestNodeForwarding: a node that does not forward starts with IPv4
// forwarding off, said outright: its namespace would otherwise take this
// machine's setting (Docker's hosts forward), and a forwarding host
// ignores the ICMP redirects a PC takes, which decides the case of a LAN
// with two gateways. A forwarding node (forward: true, an ISP, a CPE) and
// the routers have it on.
func TestNodeForwarding(t *testing.T) {
	s, err := Parse("t.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"isp": "1", "client": "0"}
	for _, n := range s.Nodes {
		if got := nodeSysctls(n)["net.ipv4.ip_forward"]; got != want[n.Name] {
			t.Errorf("node %s: net.ipv4.ip_forward = %q, want %q", n.Name, got, want[n.Name])
		}
	}
	if got := baseSysctls(true)["net.ipv4.ip_forward"]; got != "1" {
		t.Errorf("a router's net.ipv4.ip_forward = %q, want 1", got)
	}
}
