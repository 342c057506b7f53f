package scenario

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// routersCase is a one-file case whose inline lab has a second router,
// site-b, with ports on the internet segment and its own LAN; rest is
// what follows the lab (router:, routers:, steps:).
const routersCase = `name: t
lab:
  name: t
  router:
    name: router
    ports:
      - {network: isp, address: 203.0.113.2}
      - {network: lan, address: 192.168.88.1}
  routers:
    - name: site-b
      ports:
        - {network: internet, address: 198.51.100.2}
        - {network: lan-b, address: 192.168.89.1}
  networks:
    - {name: isp, subnet: 203.0.113.0/24}
    - {name: internet, subnet: 198.51.100.0/24}
    - {name: lan, subnet: 192.168.88.0/24}
    - {name: lan-b, subnet: 192.168.89.0/24}
  nodes:
    - name: isp
      forward: true
      interfaces:
        - {network: isp, address: 203.0.113.1}
        - {network: internet, address: 198.51.100.1}
    - name: client-b
      gateway: 192.168.89.1
      interfaces: [{network: lan-b, address: 192.168.89.20}]
router: |
  /ip address add address=203.0.113.2/24 interface=ether1
  /interface list add name=WAN
`

const routersStep = "steps:\n  - probe: tcp\n    from: client-b\n    to: 203.0.113.2:12566\n"

// TestRoutersConfigChecked: the configuration a case gives a second router
// (routers:) is checked at load on a model of that router, with its own
// ports, and a refused line is named by the case file's line and column
// (inline) or the .rsc file's (a file beside the case); so is a configure
// step with router:. A name that is no router of the lab is refused at
// its line.
func TestRoutersConfigChecked(t *testing.T) {
	tests := []struct {
		name, tail, file, want string
	}{
		{"good inline", "routers:\n  site-b: |\n    /ip address add address=192.168.89.1/24 interface=ether2\n" + routersStep, "", ""},
		// out-interfaze is at line 34 of the file, column 40.
		{"bad inline", "routers:\n  site-b: |\n    /ip firewall nat\n    add chain=srcnat action=masquerade out-interfaze=ether1\n" + routersStep, "",
			"case.yaml:34:40: the router would refuse the configuration: expected end of command"},
		// site-b has a model of its own: the interface list the lab
		// router's configuration makes is not site-b's.
		{"its own model", "routers:\n  site-b: |\n    /interface list member add interface=ether1 list=WAN\n" + routersStep, "",
			"case.yaml:33:49: the router would refuse the configuration: input does not match any value of list"},
		{"its own model, list made", "routers:\n  site-b: |\n    /interface list add name=WAN\n    /interface list member add interface=ether1 list=WAN\n" + routersStep, "", ""},
		{"bad file", "routers:\n  site-b: site-b.rsc\n" + routersStep, "/ip address\nadd address=192.168.89.1/24 interface=ether2 bogus=1\n",
			"site-b.rsc:2:"},
		{"unknown router", "routers:\n  site-c: |\n    /ip address add address=192.168.89.1/24 interface=ether2\n" + routersStep, "",
			"case.yaml:32: routers: site-c is none of the more routers of lab t (site-b)"},
		{"step on site-b", routersStep + "  - action: configure\n    router: site-b\n    rsc: |\n      /ip firewall filter add chain=forward action=drop in-interfaze=ether2\n", "",
			"case.yaml:38:57: the router would refuse the configuration"},
		{"step good on site-b", routersStep + "  - action: configure\n    router: site-b\n    rsc: |\n      /ip address add address=192.168.89.1/24 interface=ether2\n", "", ""},
		{"step on no router", routersStep + "  - action: configure\n    router: site-c\n    rsc: |\n      /ip address add address=192.168.89.1/24 interface=ether2\n", "",
			`case.yaml:35: router "site-c" is no router of lab t (its routers: router, site-b)`},
		{"router on a probe", "steps:\n  - probe: tcp\n    from: client-b\n    to: 203.0.113.2:12566\n    router: site-b\n", "",
			"router does not apply to a tcp probe"},
		// A link step pulls a cable of the router it names (sm58; f68
		// N2 said it could not).
		{"link-down on site-b", "steps:\n  - action: link-down\n    router: site-b\n    interface: ether2\n", "", ""},
		{"link-up on no router", "steps:\n  - action: link-up\n    router: site-c\n    interface: ether2\n", "",
			`case.yaml:32: router "site-c" is no router of lab t (its routers: router, site-b)`},
		// conntrack_limit for a more router, by router: as a configure
		// step names it (sm58); the lab router's with no router:.
		{"conntrack_limit on site-b", "conntrack_limit:\n  - {limit: 300, router: site-b}\n  - {limit: 200}\n" + routersStep, "", ""},
		{"conntrack_limit on no router", "conntrack_limit:\n  - {limit: 300, router: site-c}\n" + routersStep, "",
			"case.yaml:32: conntrack_limit: router site-c is none of the more routers of lab t (site-b; the lab's router's limit has no router:)"},
		{"conntrack_limit twice", "conntrack_limit:\n  - {limit: 300, router: site-b}\n  - {limit: 30, router: site-b}\n" + routersStep, "",
			"case.yaml:33: conntrack_limit: router site-b has a limit already"},
		{"conntrack_limit out of range", "conntrack_limit:\n  - {limit: 0, router: site-b}\n" + routersStep, "",
			"case.yaml:32: conntrack_limit 0 is not within 1..1000000"},
		{"conntrack_limit bad key", "conntrack_limit:\n  - {limit: 5, routr: site-b}\n" + routersStep, "",
			"routr"},
		{"renumber-wan on site-b", "steps:\n  - action: renumber-wan\n    router: site-b\n", "",
			"router does not apply to a renumber-wan action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "case.yaml")
			if err := os.WriteFile(file, []byte(routersCase+tt.tail), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.file != "" {
				if err := os.WriteFile(filepath.Join(dir, "site-b.rsc"), []byte(tt.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := LoadFile(file)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want it loaded, got %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("want an error with %q, got none", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("want an error with %q, got %v", tt.want, err)
			}
		})
	}
}

// TestRoutersRSCTexts: the second router's configuration and a configure
// step on it are among the texts a case applies, named by the router.
func TestRoutersRSCTexts(t *testing.T) {
	s, err := Parse("case.yaml", []byte(routersCase+"routers:\n  site-b: |\n    /system identity set name=b\n"+routersStep+"  - action: configure\n    router: site-b\n    rsc: /system identity set name=c\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range s.RSCTexts() {
		got = append(got, x.What+"@"+strings.TrimSpace(string(x.Text)))
	}
	want := "router@/ip address add address=203.0.113.2/24 interface=ether1\n/interface list add name=WAN,router site-b@/system identity set name=b,step 2 (configure site-b)@/system identity set name=c"
	if strings.Join(got, ",") != want {
		t.Fatalf("texts:\n got %s\nwant %s", strings.Join(got, ","), want)
	}
}

// routersEnv is fakeEnv that also takes configure steps for the lab's
// more routers, recording which router got which text.
type routersEnv struct {
	fakeEnv
	got []string
}

func (e *routersEnv) ConfigureRouter(_ context.Context, router, _ string, _ int, rsc string) error {
	e.got = append(e.got, router+": "+strings.TrimSpace(rsc))
	return nil
}

// runOnRouters runs a case of steps on a lab with site-b.
func runOnRouters(t *testing.T, steps string) (*Scenario, *routersEnv, []StepResult) {
	t.Helper()
	s, err := Parse("t.yaml", []byte(head+steps))
	if err != nil {
		t.Fatal(err)
	}
	env := &routersEnv{}
	res, err := Run(t.Context(), s, env, &fakeProber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, env, res
}

// TestRunConfigureOnRouter: a configure step with router: goes to that
// router and not to the router under test, and its result names it; a
// lab that has no more routers refuses it rather than configuring the
// router under test in its place.
func TestRunConfigureOnRouter(t *testing.T) {
	s, env, res := runOnRouters(t, probeStep+"  - action: configure\n    router: site-b\n    rsc: /system identity set name=b\n  - action: configure\n    rsc: /system identity set name=a\n")
	if len(env.got) != 1 || env.got[0] != "site-b: /system identity set name=b" || len(env.configured) != 1 {
		t.Errorf("site-b got %q, the router was configured %d times; want site-b's text there and one step on the router", env.got, len(env.configured))
	}
	if res[1].To != "site-b" || res[2].To != "" {
		t.Errorf("step results name %q and %q, want site-b and nothing", res[1].To, res[2].To)
	}
	plain := &fakeEnv{}
	if _, err := Run(t.Context(), s, plain, &fakeProber{}, nil); err == nil || !strings.Contains(err.Error(), "this lab has no router site-b") || len(plain.configured) != 0 {
		t.Errorf("without more routers: error %v, router configured %d times; want an error and none", err, len(plain.configured))
	}
}

func (e *routersEnv) SetLink(_ context.Context, port string, up bool) (string, error) {
	e.got = append(e.got, fmt.Sprintf("router: %s up=%v", port, up))
	return "done", nil
}

func (e *routersEnv) SetRouterLink(_ context.Context, router, port string, up bool) (string, error) {
	e.got = append(e.got, fmt.Sprintf("%s: %s up=%v", router, port, up))
	return "done", nil
}

// TestRunLinkOnRouter (sm58): a link-down or link-up step with router:
// pulls or plugs back the cable of that router's port, one without it the
// router under test's; a lab without more routers refuses the step rather
// than pulling the router under test's cable in its place. The step with
// router: was refused at load (f68 N2).
func TestRunLinkOnRouter(t *testing.T) {
	s, env, res := runOnRouters(t, "  - action: link-down\n    router: site-b\n    interface: ether2\n  - action: link-up\n    router: site-b\n    interface: ether2\n  - action: link-down\n    interface: ether1\n")
	if want := []string{"site-b: ether2 up=false", "site-b: ether2 up=true", "router: ether1 up=false"}; strings.Join(env.got, "; ") != strings.Join(want, "; ") {
		t.Errorf("cables %q, want %q", env.got, want)
	}
	if res[0].Router != "site-b" || res[2].Router != "" {
		t.Errorf("step results name %q and %q, want site-b and nothing", res[0].Router, res[2].Router)
	}
	if _, err := Run(t.Context(), s, &linkOnly{}, &fakeProber{}, nil); err == nil || !strings.Contains(err.Error(), "this lab has no router site-b") {
		t.Errorf("without more routers: error %v, want the step refused", err)
	}
}

// linkOnly is a lab of one router that can pull its cables.
type linkOnly struct{ fakeEnv }

func (*linkOnly) SetLink(context.Context, string, bool) (string, error) { return "done", nil }

// routersProber is fakeProber that can read site-b: its counters read
// 99 packets where the router under test's read 7.
type routersProber struct{ fakeProber }

func (p *routersProber) OnRouter(name string) (Prober, error) {
	if name != "site-b" {
		return nil, fmt.Errorf("no router %s", name)
	}
	return &siteBProber{}, nil
}

type siteBProber struct{ fakeProber }

func (*siteBProber) Counter(_ context.Context, rule string, _ Selector) (Counter, error) {
	return Counter{Rule: rule, Matched: 1, Packets: 99}, nil
}

// TestRunProbeReadsRouter: a probe step with router: reads its counter on
// that router, one without it on the router under test; a prober that
// knows no more routers refuses the step rather than reading the router
// under test in its place.
func TestRunProbeReadsRouter(t *testing.T) {
	counter := "    expect: {result: ok, counter: {rule: '/ip firewall nat [find comment=x]', packets: \">0\"}}\n"
	doc := head + probeStep + counter + probeStep + "    router: site-b\n" + counter
	s, err := Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), s, &routersEnv{}, &routersProber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := res[0].Seen.Counter; c == nil || c.Packets != 7 {
		t.Errorf("step 1 read %+v, want the router under test's 7 packets", c)
	}
	if c := res[1].Seen.Counter; c == nil || c.Packets != 99 || res[1].Router != "site-b" {
		t.Errorf("step 2 read %+v on %q, want site-b's 99 packets", c, res[1].Router)
	}
	if _, err := Run(t.Context(), s, &routersEnv{}, &fakeProber{}, nil); err == nil || !strings.Contains(err.Error(), "this lab has no router site-b") {
		t.Errorf("without more routers: %v, want an error", err)
	}
}

func (e *routersEnv) MoreRouterAddr(_ context.Context, name, _ string) (netip.Addr, bool, error) {
	if name != "site-b.wan" {
		return netip.Addr{}, false, nil
	}
	return netip.MustParseAddr("198.51.100.2"), true, nil
}

// TestRunMoreRouterTarget: a step's target site-b.wan is resolved by the
// lab's more routers (as router.wan by the lab's router), not taken for
// a node's name.
func TestRunMoreRouterTarget(t *testing.T) {
	s, err := Parse("t.yaml", []byte(head+"  - probe: tcp\n    from: client1\n    to: site-b.wan:12566\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), s, &routersEnv{}, &fakeProber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Target != "198.51.100.2:12566" {
		t.Errorf("target %s, want site-b's WAN 198.51.100.2:12566", res[0].Target)
	}
}
