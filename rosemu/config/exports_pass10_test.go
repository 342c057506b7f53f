package config

import (
	"strings"
	"testing"
)

// Shapes of the tenth pass (helper h32): lines of public exports and
// scripts that rosemu refused and RouterOS takes.

// storedShape checks a line RouterOS ver takes that rosemu stores without
// enforcing: src is not refused, the line starting with prefix is reported
// not enforced, the export holds want and loads back, and older (a version
// without the property or menu) refuses it.
func storedShape(t *testing.T, ver, older string, ports []string, src, prefix, want string) {
	t.Helper()
	v := validateShape(ver, ports, src)
	if refused := refusedLines(v); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	if got, _ := verdictOf(v, prefix); got != NotEnforced {
		t.Errorf("%q: verdict %v, want not enforced", prefix, got)
	}
	r := New(Options{Ports: ports, Version: ver})
	if _, err := r.Run(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	exportRoundTrip(t, ver, ports, r, want)
	if len(refusedLines(validateShape(older, ports, src))) == 0 {
		t.Errorf("%s took %q", older, src)
	}
}

// A 7.2x verbose export writes forward-reserved-addresses=no on its
// bridge: "bad parameter" took the bridge, and every port, VLAN, address
// and DHCP server on it was refused after it. RouterOS 6 has no such
// property.
func TestH32BridgeForwardReservedAddresses(t *testing.T) {
	src := "/interface bridge add name=bridge forward-reserved-addresses=yes vlan-filtering=yes\n" +
		"/interface bridge port add bridge=bridge interface=ether2\n" +
		"/interface vlan add interface=bridge name=v10 vlan-id=10\n"
	storedShape(t, "7.20.1", "6.49.7", []string{"ether1", "ether2"}, src, "/interface bridge add", "forward-reserved-addresses=yes")
}

// The same export's DHCP networks write ntp-none=no next to dns-none=no.
func TestH32DHCPNetworkNTPNone(t *testing.T) {
	src := "/ip dhcp-server network add address=192.168.1.0/24 dns-none=no gateway=192.168.1.1 ntp-none=yes\n"
	storedShape(t, "7.20.1", "6.49.7", []string{"ether1"}, src, "/ip dhcp-server network add", "ntp-none=yes")
}

// Provisioning scripts for a hAP and a CRS run "/ip ssh
// regenerate-host-key" (as "/ip ssh" then "regenerate-host-key"): "bad
// command name" stopped them. It is reported as not enforced, changes no
// export, and the menu still refuses a word it has not.
func TestH32SSHRegenerateHostKey(t *testing.T) {
	ports := []string{"ether1"}
	v := validateShape("7.18.2", ports, "/ip ssh\nregenerate-host-key\n/ip ssh regenerate-host-key\n")
	if refused := refusedLines(v); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	for _, f := range v.Findings {
		if f.Verdict != NotEnforced {
			t.Errorf("%q: verdict %v, want not enforced", f.Text, f.Verdict)
		}
	}
	r := New(Options{Ports: ports, Version: "7.18.2"})
	before := r.Export()
	if _, err := r.Run(t.Context(), "/ip ssh regenerate-host-key\n"); err != nil {
		t.Fatal(err)
	}
	if r.Export() != before {
		t.Error("regenerate-host-key changed the export")
	}
	if len(refusedLines(validateShape("7.18.2", ports, "/ip ssh regenerate-keys\n"))) != 1 {
		t.Error("/ip ssh took regenerate-keys")
	}
}

// A 7.21 RB5009 export writes "/app settings set ...": "bad command name
// app" refused it. The settings are stored and reported (rosemu runs no
// containers); RouterOS before 7.21 has no /app.
func TestH32AppSettings(t *testing.T) {
	src := "/app settings set auto-update=no disk=usb-docker lan-bridge=br router-ip=192.168.90.1\n"
	storedShape(t, "7.21", "7.20.1", []string{"ether1"}, src, "/app settings set", "router-ip=192.168.90.1")
	if len(refusedLines(validateShape("7.21", []string{"ether1"}, "/app settings set router-ip=home\n"))) != 1 {
		t.Error("router-ip took a word")
	}
}

// Failover scripts and setup scripts act on an interface through the
// generic /interface menu ("/interface disable pppoe-out1", "/interface
// set ether1 comment=WAN", "/interface set [find name=v10] disabled=yes"):
// "bad command name" refused them all. The change goes to the menu that
// holds the interface, as its own set would make it.
func TestH32InterfaceGenericSet(t *testing.T) {
	ports := []string{"ether1", "ether2"}
	src := "/interface vlan add interface=ether2 name=v10 vlan-id=10\n" +
		"/interface wireguard add name=wg1 listen-port=13231\n" +
		"/interface gre add name=gre1 remote-address=192.0.2.1\n" +
		"/interface disable v10\n" +
		"/interface set ether1 comment=WAN\n" +
		"/interface set [find name=ether2] disabled=yes\n" +
		"/interface enable ether2\n" +
		"/interface disable wg1\n" +
		"/interface disable gre1\n"
	v := validateShape("7.18.2", ports, src)
	if refused := refusedLines(v); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	// GRE is built (iptunnel): disabling it stops the tunnel.
	if got, _ := verdictOf(v, "/interface disable gre1"); got != Accepted {
		t.Errorf("disable of a GRE interface (a link): verdict %v, want accepted", got)
	}
	if got, _ := verdictOf(v, "/interface disable wg1"); got != Accepted {
		t.Errorf("disable of a WireGuard interface (a link): verdict %v, want accepted", got)
	}
	if got, _ := verdictOf(v, "/interface disable v10"); got != Accepted {
		t.Errorf("disable of a VLAN: verdict %v, want accepted", got)
	}
	r := New(Options{Ports: ports, Version: "7.18.2"})
	if _, err := r.Run(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	exp := exportRoundTrip(t, "7.18.2", ports, r, "comment=WAN")
	for _, want := range []string{"add disabled=yes interface=ether2 name=v10 vlan-id=10", "add disabled=yes listen-port=13231 mtu=1420 name=wg1", "add disabled=yes name=gre1"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if strings.Contains(exp, "default-name=ether2 ] disabled=yes") {
		t.Errorf("enable did not undo the disable:\n%s", exp)
	}
	for _, bad := range []string{"/interface set ether1 foo=1\n", "/interface disable nosuch\n", "/interface set ether1 vlan-id=5\n"} {
		if len(refusedLines(validateShape("7.18.2", ports, bad))) != 1 {
			t.Errorf("took %q", bad)
		}
	}
}
