package config

import (
	"context"
	"strings"
	"testing"
)

// TestVerboseSettingsMenus: the settings menus a 7.19 verbose export
// writes at their defaults are taken (a no-op), a change is exported and
// taken again; RouterOS 6 has its upgrade mirror instead of 7's and
// refuses 7's menus.
func TestVerboseSettingsMenus(t *testing.T) {
	verbose := `/file rsync-daemon
set enabled=no
/ip ipsec settings
set accounting=yes interim-update=0s xauth-use-radius=no
/ip media settings
set thumbnails=""
/ip nat-pmp
set enabled=no
/ip traffic-flow ipfix
set bytes=yes dst-address=yes nat-events=yes tcp-window-size=yes tos=yes ttl=yes udp-length=yes
/routing settings
set single-process=no
/system package local-update mirror
set check-interval=1d enabled=no primary-server=0.0.0.0 secondary-server=0.0.0.0 user=""
/system resource usb settings
set authorization=no
/tool traffic-generator
set latency-distribution-max=100us measure-out-of-order=no stats-samples-to-keep=100 test-id=0
`
	r := runShape(t, "7.19.4", []string{"ether1"}, verbose)
	if len(r.NotEnforced()) != 0 {
		t.Errorf("defaults reported: %v", r.NotEnforced())
	}
	r = runShape(t, "7.19.4", []string{"ether1"}, "/ip nat-pmp\nset enabled=yes\n/ip nat-pmp interfaces\nadd interface=ether1 type=external\n")
	exp := body(r.Export())
	if !strings.Contains(exp, "/ip nat-pmp\nset enabled=yes\n") || !strings.Contains(exp, "add interface=ether1 type=external") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "7.19.4", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	v6 := runShape(t, "6.49.10", []string{"ether1"}, "/system upgrade mirror\nset enabled=yes primary-server=10.0.0.7\n")
	if !strings.Contains(body(v6.Export()), "/system upgrade mirror\nset enabled=yes primary-server=10.0.0.7\n") {
		t.Errorf("v6 export:\n%s", v6.Export())
	}
	if _, err := v6.Run(context.Background(), "/ip nat-pmp set enabled=yes"); err == nil {
		t.Errorf("6 took /ip nat-pmp")
	}
}

// TestTrafficFlowIPFIX: a 7.18 export's traffic-flow target
// version=ipfix is taken (6's IPFIX too).
func TestTrafficFlowIPFIX(t *testing.T) {
	r := runShape(t, "7.18", []string{"ether1"}, "/ip traffic-flow target\nadd dst-address=10.6.11.4 src-address=10.6.1.1 version=ipfix\n")
	if !strings.Contains(body(r.Export()), "version=ipfix") {
		t.Errorf("export:\n%s", r.Export())
	}
	runShape(t, "6.49.10", []string{"ether1"}, "/ip traffic-flow target\nadd dst-address=10.6.11.4 version=IPFIX\n")
}

// TestUpgradeMirrorBefore717: RouterOS 7 kept 6's /system upgrade mirror
// and upgrade-package-source until 7.17 moved them under /system package
// local-update (the community.routeros collection's API data: "system
// upgrade upgrade-package-source" for RouterOS < 7.17, "system package
// local-update mirror" and "... update-package-source" for >= 7.17). A
// 7.13.3 hAP ac2's verbose export writes "/system upgrade mirror set
// check-interval=1d enabled=no primary-server=0.0.0.0 ..."; rosemu
// refused it as "bad command name upgrade" on every 7.x (realcheck32 D2).
func TestUpgradeMirrorBefore717(t *testing.T) {
	const verbose = "/system upgrade mirror set check-interval=1d enabled=no primary-server=0.0.0.0 secondary-server=0.0.0.0 user=\"\"\n"
	for _, c := range []struct{ v, mirror, source string }{
		{"7.13.3", "system upgrade mirror", "system upgrade upgrade-package-source"},
		{"7.16.2", "system upgrade mirror", "system upgrade upgrade-package-source"},
		{"7.17", "system package local-update mirror", "system package local-update update-package-source"},
		{"7.19.4", "system package local-update mirror", "system package local-update update-package-source"},
	} {
		r := New(Options{Ports: ports, Version: c.v})
		if c.mirror == "system upgrade mirror" {
			run(t, r, verbose)
			if len(r.NotEnforced()) != 0 {
				t.Errorf("%s: defaults reported: %v", c.v, r.NotEnforced())
			}
		}
		run(t, r, "/"+c.mirror+"\nset enabled=yes primary-server=10.0.0.7\n/"+c.source+"\nadd address=192.0.2.2 user=admin\n")
		exp := body(r.Export())
		for _, want := range []string{"/" + c.mirror + "\nset enabled=yes primary-server=10.0.0.7\n", "/" + c.source + "\nadd address=192.0.2.2 user=admin\n"} {
			if !strings.Contains(exp, want) {
				t.Errorf("%s: export lacks %q:\n%s", c.v, want, exp)
			}
		}
		if got := body(runShape(t, c.v, ports, exp).Export()); got != exp {
			t.Errorf("%s: re-import:\n%s\nwant\n%s", c.v, got, exp)
		}
		// The other version's paths are refused.
		other := map[string]string{"system upgrade mirror": "/system package local-update mirror set enabled=yes",
			"system package local-update mirror": "/system upgrade mirror set enabled=yes"}[c.mirror]
		if _, err := New(Options{Ports: ports, Version: c.v}).Run(context.Background(), other); err == nil {
			t.Errorf("%s took %q", c.v, other)
		}
	}
}
