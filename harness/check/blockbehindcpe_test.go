package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestRoutedBlockBehindCPE (rotko bkk50 on vm): a public block on a
// bridge with no port (routed to the router) behind a private static WAN (172.16.10.2/30, an ISP router
// in front) made the lab's ISP route it via 172.16.10.2, an address of a
// network the ISP is not on (the CPE's inside): its agent failed "network
// is unreachable" and the lab never started. No such route now. Control:
// behind a public static WAN the ISP routes the block to the router.
func TestRoutedBlockBehindCPE(t *testing.T) {
	const export = `# 2025-06-01 10:00:00 by RouterOS 7.20
/interface bridge
add name=bridge
add name=dmz
/interface bridge port
add bridge=bridge interface=ether2
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=160.22.181.169/29 interface=dmz network=160.22.181.168
add address=%s interface=ether1
/ip route
add gateway=%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=160.22.181.174 dst-port=54242 protocol=tcp to-addresses=192.168.88.10 to-ports=443
`
	for _, tt := range []struct {
		name, wan, gw, route string
		want                 bool
	}{
		{"private WAN", "172.16.10.2/30", "172.16.10.1", "{to: 160.22.181.168/29, via: 172.16.10.2}", false},
		{"public WAN", "198.18.10.2/30", "198.18.10.1", "{to: 160.22.181.168/29, via: 198.18.10.2}", true},
	} {
		p := loadText(t, strings.Replace(strings.Replace(export, "%s", tt.wan, 1), "%s", tt.gw, 1))
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(c.YAML, tt.route); got != tt.want {
			t.Errorf("%s: route %s written %v (want %v)\n%s", tt.name, tt.route, got, tt.want, c.YAML)
		}
		file := filepath.Join(t.TempDir(), "case.yaml")
		if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.Read(file); err != nil {
			t.Errorf("%s: the case does not load: %v", tt.name, err)
		}
	}
}
