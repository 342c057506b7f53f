package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestQuit: /quit ends the script that runs it without an error, so what
// follows does not run; a branch that does not quit runs on (the control).
func TestQuit(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"/system identity set name=a\n:if (1=1) do={ /quit }\n/system identity set name=b\n", "a"},
		{"/system identity set name=a\n:if (1=0) do={ /quit }\n/system identity set name=b\n", "b"},
	} {
		r := New(Options{Ports: []string{"ether1"}})
		if _, err := r.Run(context.Background(), c.src); err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		out, err := r.Run(context.Background(), ":put [/system identity get name]")
		if err != nil || out != c.want+"\n" {
			t.Errorf("%q: identity %q, %v; want %s", c.src, out, err, c.want)
		}
	}
}

// TestPackageEnableDisable: enable and disable of a package are taken and
// change nothing (validate reports them); an unknown package is no such
// item, as on RouterOS.
func TestPackageEnableDisable(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	v := r.Validate(context.Background(), "/system package enable ipv6\n/system package disable wireless\n/system package disable nosuch\n", time.Second)
	want := []Verdict{NotEnforced, NotEnforced, Refused}
	for i, f := range v.Findings {
		if i < len(want) && f.Verdict != want[i] {
			t.Errorf("line %d: %s %s, want %s", f.Line, f.Verdict, f.Msg, want[i])
		}
	}
	if len(v.Findings) != 3 || !strings.Contains(v.Findings[2].Msg, "no such item") {
		t.Errorf("findings %+v", v.Findings)
	}
}

// TestStartTime: a scheduler's start-time is H:M:S with one or two digits
// a field, kept as HH:MM:SS; startup; anything else is refused.
func TestStartTime(t *testing.T) {
	for v, want := range map[string]string{"0:0:0": "00:00:00", "8:5:30": "08:05:30", "23:59:59": "23:59:59", "startup": "startup"} {
		if got, err := pStartTime(nil, "start-time", v); err != nil || got != want {
			t.Errorf("start-time=%s: %q, %v; want %s", v, got, err, want)
		}
	}
	for _, v := range []string{"24:00:00", "8:00", "08:60:00", "1:2:3:4", "a:b:c", "", "123:0:0"} {
		if got, err := pStartTime(nil, "start-time", v); err == nil {
			t.Errorf("start-time=%s taken as %q", v, got)
		}
	}
}

// TestSCEPOTPGenerate: generate gives back a password, new each time, as
// a script takes it; a bad minutes-valid is refused.
func TestSCEPOTPGenerate(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	out := run(t, r, `:put ([/certificate scep-server otp generate minutes-valid=5 as-value]->"password")
:put ([/certificate scep-server otp generate as-value]->"password")`)
	pw := strings.Fields(out)
	if len(pw) != 2 || len(pw[0]) != 32 || pw[0] == pw[1] {
		t.Errorf("passwords %q", out)
	}
	if _, err := r.Run(context.Background(), "/certificate scep-server otp generate minutes-valid=0"); err == nil || !strings.Contains(err.Error(), "invalid value for argument minutes-valid") {
		t.Errorf("minutes-valid=0: %v", err)
	}
}

// TestOVPNExportClient: the command checks the certificates it names and
// writes nothing (validate says so); an unknown certificate is refused.
func TestOVPNExportClient(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	v := r.Validate(context.Background(), `/certificate add name=ca common-name=ca
/interface ovpn-server server export-client-configuration ca-certificate=ca server-address=192.0.2.1
/interface ovpn-server server export-client-configuration ca-certificate=nosuch
`, time.Second)
	if len(v.Findings) != 3 || v.Findings[1].Verdict != NotEnforced || !strings.Contains(v.Findings[1].Msg, "writes no OpenVPN client configuration") ||
		v.Findings[2].Verdict != Refused || !strings.Contains(v.Findings[2].Msg, "ca-certificate") {
		t.Errorf("findings %+v", v.Findings)
	}
}
