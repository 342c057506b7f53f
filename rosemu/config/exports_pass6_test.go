package config

import (
	"context"
	"strings"
	"testing"
)

// Shapes of the sixth pass (helper h13): lines of public exports that
// rosemu refused and RouterOS wrote.

// A 6.47.8 export of a User Manager on a RB450G: a customer added with
// disabled= and the PayPal settings, a limitation with RouterOS 6's own
// spelling "treshold", and users with shared-users=unlimited. All were
// refused ("bad parameter disabled", "bad parameter
// rate-limit-burst-treshold-rx", "invalid value for argument
// shared-users"); the export is taken whole and again from its own export.
func TestH13UserManagerV6Shapes(t *testing.T) {
	src := `/tool user-manager customer
add access=own-routers,own-users backup-allowed=no disabled=no login=op1 parent=admin password=p1 paypal-accept-pending=no paypal-allowed=no paypal-secure-response=no permissions=read-write signup-allowed=no time-zone=-00:00
/tool user-manager profile limitation
add download-limit=0B name=room1 owner=admin rate-limit-burst-rx=7340032B rate-limit-burst-treshold-rx=3145728B rate-limit-burst-treshold-tx=3145728B
/tool user-manager user
add customer=admin disabled=no password=u1 shared-users=unlimited username=1000212001
add customer=admin disabled=yes password=u2 shared-users=2 username=1000212002
`
	r := runShape(t, "6.47.8", []string{"ether1"}, src)
	exp := body(r.Export())
	for _, want := range []string{"login=op1", "rate-limit-burst-treshold-rx=3145728B", "shared-users=unlimited"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if got := body(runShape(t, "6.47.8", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
}

// RouterOS 6's NTP client has a mode as 7's has (a 6.47.8 switch export:
// "set enabled=yes mode=broadcast"); it was refused as "bad parameter mode".
func TestH13NTPClientModeV6(t *testing.T) {
	r := runShape(t, "6.47.8", []string{"ether1"}, "/system ntp client\nset enabled=yes mode=broadcast\n")
	if exp := body(r.Export()); !strings.Contains(exp, "/system ntp client\nset enabled=yes mode=broadcast\n") {
		t.Errorf("export:\n%s", exp)
	}
	if !hasNotEnforced(r, "/system ntp client", "") {
		t.Errorf("NTP client not reported as stored")
	}
}

// RouterOS 6's /routing mme interface: a 6.47.8 access point's export
// writes "/routing mme interface" and a bare "add" (every property at its
// default), refused before as "bad command name interface". The entry is
// stored, exported as the bare add, and taken again; 7 has no MME.
func TestH13MMEInterfaceV6(t *testing.T) {
	src := "/routing mme\nset gateway-selection=best-statistic\n/routing mme interface\nadd\nadd interface=ether1 passive=yes\n"
	r := runShape(t, "6.47.8", []string{"ether1"}, src)
	exp := body(r.Export())
	if !strings.Contains(exp, "/routing mme interface\nadd\nadd interface=ether1 passive=yes\n") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "6.47.8", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	if !hasNotEnforced(r, "/routing mme interface", "") {
		t.Errorf("not reported as stored")
	}
	v7 := runShape(t, "7.16.2", []string{"ether1"}, "")
	if _, err := v7.Run(context.Background(), "/routing mme interface add"); err == nil {
		t.Errorf("7 took /routing mme interface")
	}
}

// A tailscale container's export names its mount list as it names its
// environment list ("envlists=tailscale interface=veth1 ...
// mountlists=tailscale"); mountlists was refused as a bad parameter.
func TestH13ContainerMountlists(t *testing.T) {
	src := "/interface veth\nadd address=172.17.0.2/16 gateway=172.17.0.1 name=veth1\n/container\nadd envlists=ts interface=veth1 mountlists=ts name=ts remote-image=example/ts:latest start-on-boot=yes\n"
	r := runShape(t, "7.21.1", []string{"ether1"}, src)
	if exp := body(r.Export()); !strings.Contains(exp, "mountlists=ts") {
		t.Errorf("export:\n%s", exp)
	}
}

// RouterOS 6's RIP interface is "all" unless named: a 6.x lab export
// writes "/routing rip interface" then "add send=v1-2" (every interface,
// sending v1 and v2), refused before as "interface not specified". The
// entry is exported as it was written and taken again.
func TestH13RIPInterfaceAllV6(t *testing.T) {
	src := "/routing rip interface\nadd send=v1-2\nadd interface=ether1 passive=yes receive=v2\n"
	r := runShape(t, "6.44.3", []string{"ether1"}, src)
	exp := body(r.Export())
	if !strings.Contains(exp, "/routing rip interface\nadd send=v1-2\nadd interface=ether1 passive=yes\n") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "6.44.3", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
}

// RouterOS 6 writes a property at its default by leaving it out: 6.48
// exports of a ham network's routers write "/routing ospf interface add
// authentication=md5 network-type=broadcast" and "/tool romon port" then
// a bare "add", both refused before as "interface not specified". The
// interface is "all" in both; each entry is exported as written and taken
// again.
func TestH13OSPFAndRomonPortAllV6(t *testing.T) {
	src := "/routing ospf interface\nadd authentication=md5 network-type=broadcast\nadd interface=ether1 passive=yes\n/tool romon port\nadd\n"
	r := runShape(t, "6.48.6", []string{"ether1"}, src)
	exp := body(r.Export())
	for _, want := range []string{"/routing ospf interface\nadd authentication=md5 network-type=broadcast\nadd interface=ether1 passive=yes\n", "/tool romon port\nadd\n"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if got := body(runShape(t, "6.48.6", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
}
