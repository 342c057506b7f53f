package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFirewallLogged: the firewall entries of the run's router log are
// grouped by the rule that wrote them, counted, with the first entry
// kept; other topics are not rules' entries (the control), and a run
// without a log lists nothing.
func TestFirewallLogged(t *testing.T) {
	dir := t.TempDir()
	log := `2026-12-04 13:19:59 script,info chrlab: provisioned by autorun
2026-12-04 13:19:59 firewall,info DROP-WAN input: in:ether1 out:(unknown 0), connection-state:new proto TCP (SYN), 198.51.100.50:40000->203.0.113.2:8291, len 60
2026-12-04 13:20:00 firewall,info PF forward: in:ether1 out:ether2, connection-state:new proto TCP (SYN), 198.51.100.50:40001->192.168.88.10:80, len 60
2026-12-04 13:20:01 firewall,info DROP-WAN input: in:ether1 out:(unknown 0), connection-state:new proto TCP (SYN), 198.51.100.50:40002->203.0.113.2:22, len 60
2026-12-04 13:20:02 dhcp,info dhcp-client on ether1 got IP address 203.0.113.2
`
	if err := os.WriteFile(filepath.Join(dir, "router-log.txt"), []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	got := firewallLogged(dir)
	if len(got) != 2 || got[0].Rule != "DROP-WAN input:" || got[0].Count != 2 || !strings.HasSuffix(got[0].First, "203.0.113.2:8291, len 60") ||
		got[1].Rule != "PF forward:" || got[1].Count != 1 {
		t.Errorf("logged %+v", got)
	}
	d := &Document{Verdict: "ok", Logged: got}
	if md := string(d.Markdown()); !strings.Contains(md, "| DROP-WAN input: | 2 | DROP-WAN input: in:ether1") {
		t.Errorf("check.md lacks the logged rules:\n%s", md)
	}
	if none := firewallLogged(t.TempDir()); none != nil {
		t.Errorf("a run without a log: %+v", none)
	}
}
