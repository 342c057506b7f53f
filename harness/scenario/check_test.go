package scenario

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
)

// newTree writes a repository-shaped folder with the hairpin lab and one
// scenario, and returns the scenario file.
func newTree(t *testing.T, yaml, rsc string) string {
	t.Helper()
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"hairpin.yaml", "hairpin.rsc"} {
		data, err := os.ReadFile(filepath.Join(root, "labs", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "labs"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "labs", f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sd := filepath.Join(dir, "scenarios", "t")
	if err := os.MkdirAll(sd, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sd, "scenario.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sd, "router.rsc"), []byte(rsc), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(sd, "scenario.yaml")
}

const probeStep = "  - probe: tcp\n    from: client1\n    to: router.wan:12566\n"

// TestLoadChecksConfiguration: the loader refuses a scenario whose router
// configuration or configure step the router would refuse, with the
// position in the .rsc or in the YAML, before anything starts.
func TestLoadChecksConfiguration(t *testing.T) {
	good := "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether2\n"
	bad := "/ip firewall nat\nadd chain=dstnat action=dst-nat to-addresses=192.168.88.10\nadd chain=srcnat action=masquerade out-interfaze=ether2\n"
	tests := []struct {
		name, yaml, rsc, want string
	}{
		{"good", head + probeStep, good, ""},
		{"bad rsc", head + probeStep, bad, "router.rsc:3:36: the router would refuse the configuration: expected end of command"},
		{"uses the lab's base", head + probeStep, "/ip firewall nat add chain=srcnat action=masquerade out-interface-list=WAN\n", ""},
		{"block rsc", head + probeStep + "  - action: configure\n    rsc: |\n      /ip firewall nat\n      add chain=srcnat action=masquerade out-interface=ether7\n",
			good, "scenario.yaml:11:42: the router would refuse the configuration: input does not match any value of out-interface"},
		{"flow rsc", head + probeStep + "  - action: configure\n    rsc: \"/ip firewall nat add chain=srcnat bad=1\"\n",
			good, "scenario.yaml:9:45: the router would refuse the configuration: expected end of command"},
		// A step reads a lease, which exists when the step runs: checked
		// then, not refused now. The same read in the router's own
		// configuration (a fresh router) is refused, and so is a property
		// that does not exist in the step.
		{"step reads a run-time lease", head + probeStep + "  - action: configure\n    rsc: |\n      :log info [/ip dhcp-server lease get [find mac-address=02:00:C0:A8:58:1E] comment]\n", good, ""},
		{"router reads a lease", head + probeStep, good + ":log info [/ip dhcp-server lease get [find mac-address=02:00:C0:A8:58:1E] comment]\n",
			"router.rsc:3:"},
		{"step reads a misspelt property", head + probeStep + "  - action: configure\n    rsc: |\n      :log info [/ip dhcp-server lease get [find mac-address=02:00:C0:A8:58:1E] coment]\n",
			good, "input does not match any value of value-name"},
		// A step that fetches from a lab host loads: the server answers
		// when the router runs the step (forum28 D4: refused at load, as
		// the offline check reaches no server). A misspelt parameter of
		// the same fetch is still refused at its position.
		{"step fetches from a lab host", head + probeStep + "  - action: configure\n    rsc: |\n      :log info ([/tool fetch url=\"http://198.51.100.50/\" output=user as-value]->\"data\")\n", good, ""},
		{"step fetch with a misspelt parameter", head + probeStep + "  - action: configure\n    rsc: |\n      :log info ([/tool fetch urll=\"http://198.51.100.50/\" output=user as-value]->\"data\")\n",
			good, "scenario.yaml:10:31: the router would refuse the configuration: expected end of command"},
		{"configure sees the router file", head + probeStep + "  - action: configure\n    rsc: |\n      /ip firewall nat remove [find out-interface=ether2]\n", good, ""},
		{"v6-only scenario is left to its router", "name: t\nlab: hairpin\nrouter: router.rsc\nrouteros: \"<7.0\"\nsteps:\n" + probeStep, bad, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadFile(newTree(t, tc.yaml, tc.rsc))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLoadAsAskedVersion: a RouterOS 6 snippet without an export header
// (a forum post's lines) loads as RouterOS 6, whose lines it fits better
// than 7's, and when the run asks for 6.49 (--routeros); it is refused at
// its position when the run asks for 7. A RouterOS 7 snippet stays 7.
func TestLoadAsAskedVersion(t *testing.T) {
	v6 := "/ip route add gateway=203.0.113.1 routing-mark=isp1\n"
	file := newTree(t, head+probeStep, v6)
	s, err := LoadFile(file)
	if err != nil || s.ConfigVersion() != LastV6 || !strings.Contains(s.ConfigVersionWhy(), "RouterOS 7 refuses 1 of them") {
		t.Fatalf("LoadFile: %v, version %q (%s); want it loaded as %s, inferred", err, s.ConfigVersion(), s.ConfigVersionWhy(), LastV6)
	}
	if _, err := LoadFileAs(file, []string{"7.16.2"}); err == nil || !strings.Contains(err.Error(), "router.rsc:1:35") {
		t.Fatalf("LoadFileAs(7.16.2) error = %v, want the v7 refusal at router.rsc:1:35", err)
	}
	v7, err := LoadFile(newTree(t, head+probeStep, "/ip route add gateway=203.0.113.1 routing-table=main\n"))
	if err != nil || v7.ConfigVersion() != "" {
		t.Fatalf("a RouterOS 7 snippet: %v, version %q; want the default", err, v7.ConfigVersion())
	}
	for _, asked := range [][]string{{"6.49.18"}, {"6.48.6"}} {
		if _, err := LoadFileAs(file, asked); err != nil {
			t.Errorf("LoadFileAs(%v): %v", asked, err)
		}
	}
	if _, err := LoadFileAs(file, []string{"6.49.18", "7.16.2"}); err == nil || !strings.Contains(err.Error(), "as RouterOS 7.16.2") {
		t.Errorf("LoadFileAs(6.49.18, 7.16.2) error = %v, want the refusal named for 7.16.2", err)
	}
	// A channel is left to the run, which resolves it.
	if _, err := LoadFileAs(file, []string{"6-long-term"}); err != nil {
		t.Errorf("LoadFileAs(6-long-term): %v", err)
	}
}

func TestCheckConfigVerdicts(t *testing.T) {
	file := newTree(t, head+probeStep+"  - action: configure\n    rsc: /ip firewall nat print\n", "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether2\n")
	s, err := LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := s.CheckConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(checked) != 3 || !strings.HasSuffix(checked[0].File, "hairpin.rsc") || checked[1].Result.Count(config.Accepted) != 1 {
		t.Fatalf("checked: %+v", checked)
	}
}

func TestEmptyScenario(t *testing.T) {
	for _, data := range []string{"", "\n  \n", "\xef\xbb\xbf"} {
		_, err := Parse("e.yaml", []byte(data))
		if err == nil || err.Error() != "e.yaml: the scenario file is empty" {
			t.Errorf("%q: %v", data, err)
		}
	}
}

// TestLoadFreshDHCPClient: the lab's router starts with a fresh CHR's DHCP
// client on ether1, so a case without a base that adds its own there (a
// RouterBOARD export's defconf line) is refused at load with the line, as
// the router refuses it at apply; removing the default first loads.
func TestLoadFreshDHCPClient(t *testing.T) {
	const inline = "name: t\nlab:\n  name: bare\n  router:\n    name: router\n    ports:\n" +
		"      - {network: isp, address: 203.0.113.2, role: wan}\n      - {network: lan, address: 192.168.88.1, role: lan}\n" +
		"  networks:\n    - {name: isp, subnet: 203.0.113.0/24}\n    - {name: lan, subnet: 192.168.88.0/24}\n" +
		"  nodes:\n    - name: client1\n      role: client\n      gateway: 192.168.88.1\n      interfaces: [{network: lan, address: 192.168.88.20}]\n" +
		"router: |\n"
	const steps = "steps:\n  - probe: ping\n    from: client1\n    to: router.lan\n"
	dir := t.TempDir()
	for _, tc := range []struct{ name, rsc, want string }{
		{"export adds its own", "  /ip dhcp-client\n  add comment=defconf interface=ether1\n",
			"t.yaml:19:23: the router would refuse the configuration: failure: dhcp-client on that interface already exists (the lab's router starts as a fresh CHR does, with a DHCP client on ether1: `/ip dhcp-client remove [find]` above this line makes room)"},
		{"default removed first", "  /ip dhcp-client\n  remove [find]\n  add comment=defconf interface=ether1\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(dir, "t.yaml")
			if err := os.WriteFile(f, []byte(inline+tc.rsc+steps), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFile(f)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLoadOld6Export: the default configuration of a RouterOS 6.40 or
// older router disables neighbor discovery on one port and adds MAC server
// entries per interface, spellings 6.41 replaced with interface lists. Such
// an export runs as 6.40.9 and loads; the same lines under a 6.45 header
// run as 6.49.18, which refuses them where they are (the control).
func TestLoadOld6Export(t *testing.T) {
	lines := "/ip neighbor discovery\nset ether1 discover=no\n/tool mac-server\nset [ find default=yes ] disabled=yes\nadd interface=ether2\n"
	for header, want := range map[string]string{"6.40.8": Old6, "6.39.3": Old6, "6.30": Old6, "6.45.9": LastV6, "6.49.10": "6.49.10", "7.16.2": "7.16.2"} {
		if got, older := NearestEmulated(header); got != want || older != (want == Old6 || want == LastV6) {
			t.Errorf("NearestEmulated(%s) = %s, %v; want %s", header, got, older, want)
		}
	}
	old, err := LoadFile(newTree(t, head+probeStep, "# jan/02/2017 10:00:00 by RouterOS 6.40.8\n"+lines))
	if err != nil || old.ConfigVersion() != Old6 {
		t.Fatalf("a 6.40.8 export: %v, version %q; want it loaded as %s", err, old.ConfigVersion(), Old6)
	}
	// The message names the header's version as written, and the one run.
	if why := old.ConfigVersionWhy(); why != "its header says 6.40.8; "+Old6+" is the nearest version rosemu emulates" {
		t.Errorf("why = %q", why)
	}
	if _, err := LoadFile(newTree(t, head+probeStep, "# jan/02/2019 10:00:00 by RouterOS 6.45.9\n"+lines)); err == nil || !strings.Contains(err.Error(), "router.rsc:2:14") {
		t.Errorf("a 6.45.9 export: error %v, want the refusal at router.rsc:2:14", err)
	}
}

// TestLoadNamedPort: a lab port named as the RouterBOARD port it stands
// for lets a pasted export that names that port load, default-name
// lookups included; without the name the same export is refused.
func TestLoadNamedPort(t *testing.T) {
	lab := func(name string) string {
		return "name: t\nlab:\n  name: l\n  router:\n    name: router\n    ports:\n" +
			"      - {network: isp, address: 203.0.113.2" + name + "}\n      - {network: lan, address: 192.168.88.1}\n" +
			"  networks:\n    - {name: isp, subnet: 203.0.113.0/24}\n    - {name: lan, subnet: 192.168.88.0/24}\n" +
			"  nodes:\n    - name: isp\n      forward: true\n      interfaces: [{network: isp, address: 203.0.113.1}]\n" +
			"    - name: client1\n      gateway: 192.168.88.1\n      interfaces: [{network: lan, address: 192.168.88.20}]\n" +
			"router: router.rsc\nsteps:\n  - probe: tcp\n    from: client1\n    to: isp:12566\n"
	}
	rsc := "/interface ethernet\nset [ find default-name=sfp-sfpplus1 ] comment=fiber\n/ip address\nadd address=203.0.113.2/24 interface=sfp-sfpplus1\n"
	if _, err := LoadFile(newTree(t, lab(", name: sfp-sfpplus1"), rsc)); err != nil {
		t.Fatalf("named port: %v", err)
	}
	_, err := LoadFile(newTree(t, lab(""), rsc))
	if err == nil || !strings.Contains(err.Error(), "router.rsc:4:") {
		t.Fatalf("unnamed port: error = %v, want the address line refused", err)
	}
}

// TestLoadMarksStepsDecidedWhenRun (forum67 H1): the load check marks a
// configure step that reads what the router makes while it runs, or
// fetches, and then stops with :error, so that Run fails that step
// instead of ending the run as refused input. Control: a step the load
// check decides is not marked.
func TestLoadMarksStepsDecidedWhenRun(t *testing.T) {
	steps := probeStep +
		"  - action: configure\n    rsc: ':if ([:len [/ip firewall address-list find list=seen]] = 0) do={:error \"empty\"}'\n" +
		"  - action: configure\n    rsc: '{:local r [/tool fetch url=\"http://198.51.100.50/\" output=user as-value]; :if (!(($r->\"data\") ~ \"saw\")) do={:error \"wrong\"}}'\n" +
		"  - action: configure\n    rsc: /ip firewall nat print\n"
	s, err := LoadFile(newTree(t, head+steps, "/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []bool
	for _, st := range s.Steps {
		if st.Action == Configure {
			got = append(got, st.decidedWhenRun)
		}
	}
	if want := []bool{true, true, false}; !slices.Equal(got, want) {
		t.Errorf("decided when run %v, want %v", got, want)
	}
}

// TestLoadMarksDuringAndRangeSteps (sm58): the load check validates the
// configure steps a flow runs during it, in the order a run applies them,
// refusing a bad line at its place in the YAML, and marks one it leaves
// to the router as it marks a top-level step; and it marks the steps of a
// case whose routeros: range leaves out the emulator's default version.
// Before, neither was marked (a fetch's :error ended the run as refused
// input, exit 2) and a bad line during a flow loaded.
func TestLoadMarksDuringAndRangeSteps(t *testing.T) {
	fetch := `'{:local r [/tool fetch url="http://198.51.100.50/" output=user as-value]; :if (!(($r->"data") ~ "saw")) do={:error "wrong"}}'`
	flow := "  - probe: flow\n    from: client1\n    to: router.wan:12566\n    seconds: 2\n    during:\n" +
		"      - at: 1s\n        action: configure\n        rsc: " + fetch + "\n" +
		"      - at: 1s\n        action: configure\n        rsc: /ip firewall nat print\n"
	rsc := "/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1\n"
	marks := func(s *Scenario) (got []bool) {
		for _, st := range s.Steps {
			for _, d := range st.During {
				got = append(got, d.decidedWhenRun)
			}
			if st.Action == Configure {
				got = append(got, st.decidedWhenRun)
			}
		}
		return got
	}
	s, err := LoadFile(newTree(t, head+flow, rsc))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := marks(s), []bool{true, false}; !slices.Equal(got, want) {
		t.Errorf("during a flow: decided when run %v, want %v", got, want)
	}
	ranged := strings.Replace(head, "steps:\n", "routeros: 6.49.x\nsteps:\n", 1) +
		"  - action: configure\n    rsc: " + fetch + "\n"
	if s, err = LoadFile(newTree(t, ranged, rsc)); err != nil {
		t.Fatal(err)
	}
	if got, want := marks(s), []bool{true}; !slices.Equal(got, want) {
		t.Errorf("routeros: 6.49.x: decided when run %v, want %v", got, want)
	}
	bad := "  - probe: flow\n    from: client1\n    to: router.wan:12566\n    seconds: 2\n    during:\n" +
		"      - at: 1s\n        action: configure\n        rsc: /ip firewall nat add chain=srcnat action=masquerade out-interfaze=ether1\n"
	_, err = LoadFile(newTree(t, head+bad, rsc))
	if want := "scenario.yaml:12:66: the router would refuse the configuration: expected end of command"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a bad line during a flow: %v, want %q", err, want)
	}
}
