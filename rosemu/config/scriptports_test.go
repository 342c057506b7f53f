package config

import (
	"slices"
	"testing"
)

// TestScriptPortsForeach: a setup script's loop over a literal list makes
// the ports it names ("ether" . $i), so the router validate builds has them
// and the loop's line is not refused (realcheck19 D6: "input does not match
// any value of interface" on a router with ether1 only). A loop over radio
// names and a variable holding no port name add nothing (controls).
func TestScriptPortsForeach(t *testing.T) {
	src := "/interface bridge add name=bridge-lan\n" +
		":foreach i in={2;3} do={ /interface bridge port add bridge=bridge-lan interface=(\"ether\" . $i) }\n" +
		":foreach w in={\"wlan1\"; \"wlan2\"} do={\n  :if ([:len [/interface find where name=$w]] > 0) do={\n    /interface bridge port add bridge=bridge-lan interface=$w\n  }\n}\n" +
		":foreach j in={7;8} do={ :log info \"port $j\" }\n" +
		"/ip dhcp-client add interface=ether1\n"
	portsShape(t, "7.16.2", src, "", []string{"ether1", "ether2", "ether3"})
	// Multi-line loop, the name built in a local of the body.
	got := ScriptPorts(":foreach i in={3;4} do={\n  :local ethName (\"ether\" . $i)\n  /interface bridge port add bridge=b interface=$ethName\n}\n:global wanIf \"ether1\"\n")
	slices.Sort(got)
	if !slices.Equal(got, []string{"ether1", "ether3", "ether4"}) {
		t.Errorf("ScriptPorts = %v", got)
	}
}
