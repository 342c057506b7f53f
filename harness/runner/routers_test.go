package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// loadTwoSite loads the repository's two-site-wireguard case with extra
// steps appended to its own, from a copy beside its files.
func loadTwoSite(t *testing.T, steps string) (*scenario.Scenario, string) {
	t.Helper()
	src := filepath.Join("..", "..", "scenarios", "two-site-wireguard")
	dir := t.TempDir()
	for _, f := range []string{"router.rsc", "site-b.rsc", "scenario.yaml"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "scenario.yaml" {
			data = append(data, steps...)
			data = []byte(strings.Replace(string(data), "lab: two-site\n", "lab: two-site.yaml\n", 1))
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"two-site.yaml", "two-site-b.rsc", "hairpin.rsc"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "labs", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := scenario.LoadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// TestRoutersOffline: a configure step on site-b is site-b's text, not
// among the texts the lab's router's offline reading applies (kernel
// features, not-enforced settings, caveats); what site-b's configuration
// stores without enforcing is reported, named by the router, and not as
// the lab's router's.
func TestRoutersOffline(t *testing.T) {
	s, _ := loadTwoSite(t, "  - action: configure\n    router: site-b\n    rsc: /snmp set enabled=yes\n")
	spec, err := s.LoadLab("")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range offlineTexts(spec, nil, s) {
		if strings.Contains(x.rsc, "/snmp") {
			t.Errorf("the lab router's offline texts hold site-b's step: %+v", x)
		}
	}
	got := routersNotEnforced(t.Context(), spec, "", s)
	if !slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, "router site-b: /snmp") }) {
		t.Errorf("site-b's not-enforced settings %q, want its /snmp", got)
	}
	for _, n := range notEnforced(t.Context(), spec, "", nil, s) {
		if strings.Contains(n, "/snmp") {
			t.Errorf("the lab router's not-enforced settings hold site-b's: %q", n)
		}
	}
}

// TestRoutersNotEnforcedDuring (sm58): what site-b's configure steps
// store without enforcing is read from the load check's results, which
// hold the steps a flow runs during it too; the runner's own replay of
// site-b's texts applied the top-level steps alone and missed it.
func TestRoutersNotEnforcedDuring(t *testing.T) {
	s, _ := loadTwoSite(t, "  - probe: flow\n    from: client-b\n    to: server:12566\n    seconds: 2\n    during:\n"+
		"      - {at: 1s, action: configure, router: site-b, rsc: /snmp set enabled=yes}\n")
	spec, err := s.LoadLab("")
	if err != nil {
		t.Fatal(err)
	}
	got := routersNotEnforced(t.Context(), spec, "", s)
	if !slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, "router site-b: /snmp") }) {
		t.Errorf("site-b's not-enforced settings %q, want its /snmp of the step during the flow", got)
	}
}

// TestMoreRouterNames: site-b.wan names site-b's WAN port as router.wan
// names the lab router's, and the load check takes it; a router the lab
// lacks, or a port name site-b's ports do not give, is no name.
func TestMoreRouterNames(t *testing.T) {
	s, _ := loadTwoSite(t, "")
	spec, err := s.LoadLab("")
	if err != nil {
		t.Fatal(err)
	}
	top := topology{spec}
	for name, want := range map[string]bool{"site-b.wan": true, "site-b.lan": true, "site-b.ether2": true, "site-b.wan2": false, "site-c.wan": false, "client-b": true} {
		if got := top.HasNode(name); got != want {
			t.Errorf("HasNode(%q) = %v, want %v", name, got, want)
		}
	}
	if r, port, ok := moreRouterPort(spec, "site-b.wan"); !ok || r.Name != "site-b" || port != "wan" {
		t.Errorf("site-b.wan: %v %q %v", r.Name, port, ok)
	}
	if _, _, ok := moreRouterPort(spec, "router.wan"); ok {
		t.Errorf("router.wan taken for a more router's name")
	}
}

// TestRoutersKernelLacks (lab70 N1): a configure step that gives site-b a
// VLAN interface needs 802.1Q of this machine's kernel, since a more
// router is rosemu on it under every backend: on a kernel without it the
// run is skipped with site-b and the feature named, before any container
// starts. On a kernel with it, or with the VLAN on the lab's router (its
// own check, which may move it into a VM), this says nothing. Read from
// the load check's models (sm60), site-b's own configuration and a step
// during a flow need it too.
func TestRoutersKernelLacks(t *testing.T) {
	lacksVLAN := func(f kernel.Feature) error {
		if f == kernel.FeatureVLAN {
			return fmt.Errorf("probe: %w", kernel.ErrProbeUnsupported)
		}
		return nil
	}
	vlan := "/interface vlan add name=mgmt interface=ether2 vlan-id=99"
	for _, tt := range []struct {
		name, steps string
		probe       func(kernel.Feature) error
		want        string
	}{
		{"site-b's VLAN, kernel without 802.1Q", "  - action: configure\n    router: site-b\n    rsc: " + vlan + "\n", lacksVLAN,
			"router site-b: its vlan interfaces need 802.1Q VLAN support (CONFIG_VLAN_8021Q), which this machine's kernel lacks; the lab's more routers run rosemu on this machine's kernel whatever the router backend"},
		{"site-b's VLAN, kernel with it", "  - action: configure\n    router: site-b\n    rsc: " + vlan + "\n", func(kernel.Feature) error { return nil }, ""},
		{"the lab router's VLAN", "  - action: configure\n    rsc: " + vlan + "\n", lacksVLAN, ""},
		// A step a flow runs during it is one of site-b's texts too
		// (sm60: the runner's own replay missed it).
		{"site-b's VLAN during a flow", "  - probe: flow\n    from: client-b\n    to: server:12566\n    seconds: 2\n    during:\n      - at: 1s\n        action: configure\n        router: site-b\n        rsc: " + vlan + "\n    expect: {result: ok}\n", lacksVLAN,
			"router site-b: its vlan interfaces need 802.1Q VLAN support"},
		// site-b's own configuration (routers: site-b: site-b.rsc).
		{"site-b's VLAN in its configuration", "", lacksVLAN, "router site-b: its vlan interfaces need 802.1Q VLAN support"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := loadTwoSite(t, tt.steps)
			if tt.steps == "" {
				rsc, err := os.ReadFile(filepath.Join(dir, "site-b.rsc"))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "site-b.rsc"), append(rsc, "\n"+vlan+"\n"...), 0o644); err != nil {
					t.Fatal(err)
				}
				if s, err = scenario.LoadFile(filepath.Join(dir, "scenario.yaml")); err != nil {
					t.Fatal(err)
				}
			}
			spec, err := s.LoadLab("")
			if err != nil {
				t.Fatal(err)
			}
			got := routersKernelLacks(t.Context(), spec, "", s, tt.probe)
			if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMoreRouterLinkPorts (sm58): a link step with router: names a lab
// port of that router (etherN, wan, lan as its roles give them), checked
// against that router's ports and not the lab router's.
func TestMoreRouterLinkPorts(t *testing.T) {
	s, _ := loadTwoSite(t, "")
	spec, err := s.LoadLab("")
	if err != nil {
		t.Fatal(err)
	}
	top := topology{spec}
	for _, c := range []struct {
		router, port string
		want         bool
	}{{"site-b", "ether2", true}, {"site-b", "wan", true}, {"site-b", "ether3", false}, {"site-c", "ether1", false}, {"router", "lan", true}} {
		if got := top.HasRouterLabPort(c.router, c.port); got != c.want {
			t.Errorf("%s %s: a lab port %v, want %v", c.router, c.port, got, c.want)
		}
	}
	s, _ = loadTwoSite(t, "  - action: link-down\n    router: site-b\n    interface: ether3\n")
	if err := s.Check(top); err == nil || !strings.Contains(err.Error(), `link-down: interface "ether3" is not a port of router site-b`) {
		t.Errorf("site-b's ether3: %v, want it refused as no port of site-b", err)
	}
	s, _ = loadTwoSite(t, "  - action: link-down\n    router: site-b\n    interface: lan\n")
	if err := s.Check(top); err != nil {
		t.Errorf("site-b's lan: %v", err)
	}
}

// TestMoreRouterConntrackLimit (sm58): conntrack_limit's entry with
// router: site-b starts site-b's rosemu with that table capacity, and the
// entry without router: is the lab router's; before, the limit was the
// lab router's alone.
func TestMoreRouterConntrackLimit(t *testing.T) {
	s, _ := loadTwoSite(t, "conntrack_limit:\n  - {limit: 300, router: site-b}\n  - {limit: 200}\n")
	spec, err := s.LoadLab("")
	if err != nil {
		t.Fatal(err)
	}
	if s.ConntrackLimit != 200 {
		t.Errorf("the lab router's limit %d, want 200", s.ConntrackLimit)
	}
	limitMoreRouters(spec, s)
	if got := strings.Join(spec.Routers[0].Emulator, " "); !strings.Contains(got, "--conntrack-max 300") {
		t.Errorf("site-b's rosemu flags %q, want --conntrack-max 300", got)
	}
}

// TestConfigureRouterRefusedAtItsLine (f69): a line of a case's inline
// configuration the router refuses when it is applied (rosemu's console
// over SSH, as a run applies it) is named at its line and column in the
// case file, as the load check names a line it refuses; it was named as a
// line of the text after the line the text starts on ("case.yaml:4
// (router):2:36"). Control: the same text in a .rsc of its own keeps the
// file's own line and column.
func TestConfigureRouterRefusedAtItsLine(t *testing.T) {
	rc := serveRouter(t)
	s, err := scenario.Parse("case.yaml", []byte("name: t\nlab: hairpin\nrouter: |\n  /ip firewall nat\n  add chain=srcnat action=masquerade out-interfaze=ether2\nsteps:\n  - action: configure\n    rsc: /ip address print\n"))
	if err != nil {
		t.Fatal(err)
	}
	spec := &lab.Spec{Router: lab.Router{Name: "router"}}
	err = configureRouter(t.Context(), "", spec, rc, "", nil, s.RouterSource(), s.RSC, routerAt(s))
	if want := "case.yaml:5:38: router rejected the configuration: expected end of command"; err == nil || err.Error() != want {
		t.Errorf("inline text: %v, want %q", err, want)
	}
	err = configureRouter(t.Context(), "", spec, rc, "", nil, "router.rsc", s.RSC, inlineAt{})
	if want := "router.rsc:2:36: router rejected the configuration: expected end of command"; err == nil || err.Error() != want {
		t.Errorf("a .rsc of its own: %v, want %q", err, want)
	}
	// A more router's inline text (routers: site-b: |), at its own
	// indentation.
	s, err = scenario.Parse("case.yaml", []byte("name: t\nlab: two-site\nrouter: router.rsc\nrouters:\n  site-b: |\n    /ip firewall nat\n    add chain=srcnat action=masquerade out-interfaze=ether2\nsteps:\n  - action: configure\n    rsc: /ip address print\n"))
	if err != nil {
		t.Fatal(err)
	}
	spec.Routers = []lab.Router{{Name: "site-b"}}
	_, err = configureRouters(t.Context(), "", spec, s, moreRouters{"site-b": rc})
	if want := "case.yaml:7:40: router rejected the configuration: expected end of command"; err == nil || err.Error() != want {
		t.Errorf("a more router's inline text: %v, want %q", err, want)
	}
}

// TestConfigureRefusedAfterOpening (sm60): at apply time too, a refused
// line of a block text that opens with blank lines, a comment, CRLF line
// ends or a tab is named at its line and column in the case file: the
// lab router's text (router: |), a more router's (routers:) and a
// configure step's. The text's line 1 was taken to be its first line
// with text, so each blank line it opens with moved the refusal one line
// down.
func TestConfigureRefusedAfterOpening(t *testing.T) {
	const word = "out-interfaze"
	bad := "add chain=srcnat action=masquerade " + word + "=ether2"
	// Each text is the indicator's tail and the lines after it.
	openings := map[string]struct{ indicator, text string }{
		"blank lines": {"|", "\n\n \n  /ip firewall nat\n  " + bad + "\n"},
		"comments":    {"| # NAT", "\n  # masquerade\n  /ip firewall nat\n  " + bad + "\n"},
		"tab":         {"|", "\n\n  /ip firewall nat\n  \t" + bad + "\n"},
		"indicator":   {"|2", "\n\n  \t/ip firewall nat " + bad + "\n"},
	}
	indent := func(text, by string) string {
		return strings.ReplaceAll(text, "\n  ", "\n"+by+"  ")
	}
	rc := serveRouter(t)
	for name, o := range openings {
		for _, crlf := range []bool{false, true} {
			cases := map[string]string{
				"router":  "router: " + o.indicator + o.text + "steps:\n  - action: configure\n    rsc: /ip address print\n",
				"routers": "router: router.rsc\nrouters:\n  site-b: " + o.indicator + indent(o.text, "  ") + "steps:\n  - action: configure\n    rsc: /ip address print\n",
				"step":    "router: router.rsc\nsteps:\n  - action: configure\n    rsc: " + o.indicator + indent(o.text, "    "),
			}
			for place, text := range cases {
				text = "name: t\nlab: hairpin\n" + text
				if crlf {
					text = strings.ReplaceAll(text, "\n", "\r\n")
				}
				t.Run(fmt.Sprintf("%s %s crlf=%v", place, name, crlf), func(t *testing.T) {
					s, err := scenario.Parse("case.yaml", []byte(text))
					if err != nil {
						t.Fatal(err)
					}
					spec := &lab.Spec{Router: lab.Router{Name: "router"}, Routers: []lab.Router{{Name: "site-b"}}}
					switch place {
					case "router":
						err = configureRouter(t.Context(), "", spec, rc, "", nil, s.RouterSource(), s.RSC, routerAt(s))
					case "routers":
						_, err = configureRouters(t.Context(), "", spec, s, moreRouters{"site-b": rc})
					default:
						_, err = scenario.Run(t.Context(), s, &labEnv{spec: spec, rc: rc}, nil, nil)
					}
					var want string
					for i, l := range strings.Split(text, "\n") {
						if c := strings.Index(l, word); c >= 0 {
							want = fmt.Sprintf("case.yaml:%d:%d: router rejected the configuration: expected end of command", i+1, c+1)
						}
					}
					if want == "" || err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("%v, want %q", err, want)
					}
				})
			}
		}
	}
}
