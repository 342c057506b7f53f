package config

import (
	"strings"
	"testing"
)

// Shapes of the thirteenth pass (helper h49): lines of public exports
// (6.45 to 7.21) that rosemu refused and RouterOS wrote.

// A 6.49.6 CHR export filters OSPF routes by their type: "/routing filter
// add action=discard chain=ospf-in ospf-type=intra-area" was "bad parameter
// ospf-type". The v6 manual's matchers and setters are stored; a value
// outside the manual's list stays refused, and RouterOS 7 has no such menu.
func TestH49RoutingFilterV6Matchers(t *testing.T) {
	src := "/routing filter\n" +
		"add action=discard chain=ospf-in comment=\"discard intra area routes\" ospf-type=intra-area\n" +
		"add action=accept bgp-atomic-aggregate=present chain=bgp-in route-tag=7 set-bgp-med=20 set-route-tag=9\n"
	r := runShape(t, "6.49.6", []string{"ether1"}, src)
	exp := unwrapExport(body(r.Export()))
	for _, want := range []string{"ospf-type=intra-area", "bgp-atomic-aggregate=present", "set-bgp-med=20", "set-route-tag=9"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %s:\n%s", want, exp)
		}
	}
	if got := refusedLines(validateShape("6.49.6", []string{"ether1"}, "/routing filter\nadd chain=ospf-in ospf-type=type-3\n")); len(got) != 1 || !strings.Contains(got[0], "invalid value for argument ospf-type") {
		t.Errorf("ospf-type=type-3: %v", got)
	}
	if len(refusedLines(validateShape("7.16.2", []string{"ether1"}, src))) != 2 {
		t.Error("RouterOS 7 took the v6 /routing filter")
	}
}

// A 6.49.6 CHR export keeps 100000 lines in memory actions: "add
// memory-lines=100000 name=IpsecOnScreenLog target=memory" was "invalid
// value for argument memory-lines", and the /system logging rules using
// the action were refused after it. RouterOS 7 stays held to 65535.
func TestH49LoggingMemoryLinesV6(t *testing.T) {
	src := "/system logging action\nadd memory-lines=100000 name=IpsecOnScreenLog target=memory\n" +
		"/system logging\nadd action=IpsecOnScreenLog topics=ipsec,!debug,!packet\n"
	r := runShape(t, "6.49.6", []string{"ether1"}, src)
	if exp := body(r.Export()); !strings.Contains(exp, "memory-lines=100000") || !strings.Contains(exp, "action=IpsecOnScreenLog") {
		t.Errorf("export:\n%s", exp)
	}
	if got := refusedLines(validateShape("7.16.2", []string{"ether1"}, src)); len(got) == 0 || !strings.Contains(got[0], "memory-lines") {
		t.Errorf("RouterOS 7 took memory-lines=100000: %v", got)
	}
	if len(refusedLines(validateShape("6.49.6", []string{"ether1"}, "/system logging action\nadd memory-lines=0 name=m target=memory\n"))) != 1 {
		t.Error("memory-lines=0 was taken")
	}
}

// A 6.48.4 RB4011 export gives CAPs their own pool by DHCP vendor class:
// "/ip dhcp-server vendor-class-id add address-pool=pool-vendor
// name=vendor-mikrotik-caps server=main-dhcp-server vid=mikrotik-cap" was
// "bad command name vendor-class-id". It is stored (rosemu's DHCP server
// matches no option); the pool and server must exist, and RouterOS 7,
// which has /ip dhcp-server matcher instead, refuses it.
func TestH49DHCPVendorClassV6(t *testing.T) {
	base := "/ip pool\nadd name=pool-main ranges=192.0.2.10-192.0.2.99\nadd name=pool-vendor ranges=192.0.2.200-192.0.2.220\n" +
		"/ip dhcp-server\nadd address-pool=pool-main interface=ether2 name=main-dhcp-server\n"
	line := "/ip dhcp-server vendor-class-id\nadd address-pool=pool-vendor name=vendor-mikrotik-caps server=main-dhcp-server vid=mikrotik-cap\n"
	v := validateShape("6.48.4", []string{"ether1", "ether2"}, base+line)
	if got := refusedLines(v); len(got) != 0 {
		t.Fatalf("refused: %v", got)
	}
	if v.Count(NotEnforced) == 0 {
		t.Error("the vendor class is not reported as not enforced")
	}
	r := runShape(t, "6.48.4", []string{"ether1", "ether2"}, base+line)
	if exp := unwrapExport(body(r.Export())); !strings.Contains(exp, "/ip dhcp-server vendor-class-id\nadd address-pool=pool-vendor name=vendor-mikrotik-caps server=main-dhcp-server vid=mikrotik-cap\n") {
		t.Errorf("export:\n%s", exp)
	}
	bad := strings.ReplaceAll(line, "address-pool=pool-vendor", "address-pool=pool-none")
	if got := refusedLines(validateShape("6.48.4", []string{"ether1", "ether2"}, base+bad)); len(got) != 1 || !strings.Contains(got[0], "address-pool") {
		t.Errorf("a missing pool: %v", got)
	}
	for _, ver := range []string{"7.16.2", "6.44.6"} {
		got := refusedLines(validateShape(ver, []string{"ether1", "ether2"}, base+line))
		if len(got) == 0 || !strings.Contains(got[len(got)-1], "bad command name vendor-class-id") {
			t.Errorf("%s took /ip dhcp-server vendor-class-id: %v", ver, got)
		}
	}
}
