package guest

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestCmdlineRoundTrip(t *testing.T) {
	c := Config{
		Ports: []Port{
			{Name: "ether1", MAC: PortMAC(0), Subnet: netip.MustParsePrefix("203.0.113.0/24")},
			{Name: "ether2", MAC: PortMAC(1), Subnet: netip.MustParsePrefix("192.168.88.0/24")},
		},
		Mgmt:     Mgmt{MAC: MgmtMAC, Addr: netip.MustParsePrefix("10.0.2.15/24")},
		Identity: "router",
		Args:     []string{"--cloud-check", "5s"},
	}
	line, err := c.Cmdline()
	if err != nil {
		t.Fatal(err)
	}
	// The kernel's own parameters around ours must not disturb parsing.
	got, err := Parse("console=ttyS0 quiet " + line + " panic=-1\n")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("Parse(Cmdline()) = %+v, want %+v", got, c)
	}
	want := []string{"--identity", "router", "--port", "ether1=203.0.113.0/24", "--port", "ether2=192.168.88.0/24",
		"--mgmt-port", "ether3", "--api", ":8728", "--ssh", ":22", "--console", "--autorun", "/run/autorun.scr", "--cloud-check", "5s"}
	if args := got.RosemuArgs("/run/autorun.scr"); !reflect.DeepEqual(args, want) {
		t.Errorf("RosemuArgs = %q, want %q", args, want)
	}
	if PortMAC(0).String() != "52:54:00:00:00:01" || PortMAC(9).String() != "52:54:00:00:00:0a" {
		t.Errorf("PortMAC(0), PortMAC(9) = %s, %s", PortMAC(0), PortMAC(9))
	}
}

func TestCmdlineErrors(t *testing.T) {
	okMgmt := Mgmt{MAC: MgmtMAC, Addr: netip.MustParsePrefix("10.0.2.15/24")}
	okPort := Port{Name: "ether1", MAC: PortMAC(0), Subnet: netip.MustParsePrefix("203.0.113.0/24")}
	for _, tc := range []struct {
		name    string
		c       Config
		wantErr string
	}{
		{"space in arg", Config{Ports: []Port{okPort}, Mgmt: okMgmt, Args: []string{"a b"}}, "space or quote"},
		{"no mgmt", Config{Ports: []Port{okPort}}, "management NIC"},
		{"comma in name", Config{Ports: []Port{{Name: "a,b", MAC: PortMAC(0), Subnet: okPort.Subnet}}, Mgmt: okMgmt}, "without commas"},
		{"too long", Config{Ports: []Port{okPort}, Mgmt: okMgmt, Args: []string{strings.Repeat("x", 2000)}}, "limit"},
	} {
		_, err := tc.c.Cmdline()
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: Cmdline error = %v, want one containing %q", tc.name, err, tc.wantErr)
		}
	}
	for _, tc := range []struct{ line, wantErr string }{
		{"console=ttyS0", "no chrlab.mgmt"},
		{"chrlab.mgmt=52:54:00:00:ff:ff,10.0.2.15/24", "no chrlab.port"},
		{"chrlab.mgmt=52:54:00:00:ff:ff,10.0.2.15/24 chrlab.port=ether1,zz,1.2.3.0/24", "bad MAC"},
		{"chrlab.mgmt=52:54:00:00:ff:ff,10.0.2.15/24 chrlab.port=ether1,52:54:00:00:00:01,1.2.3.0/24 chrlab.port=ether1,52:54:00:00:00:02,1.2.4.0/24", "given twice"},
	} {
		_, err := Parse(tc.line)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Parse(%q) error = %v, want one containing %q", tc.line, err, tc.wantErr)
		}
	}
}

func TestPickMgmtNet(t *testing.T) {
	p := netip.MustParsePrefix
	for _, tc := range []struct {
		used    []netip.Prefix
		want    string
		wantErr bool
	}{
		{[]netip.Prefix{p("203.0.113.0/24"), p("192.168.88.0/24")}, "10.0.2.0/24", false},
		{[]netip.Prefix{p("10.0.0.0/16")}, "10.255.254.0/24", false},
		{[]netip.Prefix{p("10.0.0.0/8"), p("172.16.0.0/12")}, "192.168.254.0/24", false},
		{[]netip.Prefix{p("0.0.0.0/0")}, "", true},
	} {
		got, err := PickMgmtNet(tc.used)
		if (err != nil) != tc.wantErr || (err == nil && got.String() != tc.want) {
			t.Errorf("PickMgmtNet(%v) = %v, %v; want %s (error %v)", tc.used, got, err, tc.want, tc.wantErr)
		}
	}
	if got := MgmtGuestAddr(p("10.0.2.0/24")); got.String() != "10.0.2.15/24" {
		t.Errorf("MgmtGuestAddr = %s, want 10.0.2.15/24", got)
	}
}
