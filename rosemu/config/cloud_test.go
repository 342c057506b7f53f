package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

type fakeCloud struct {
	updates []CloudConfig
	forced  int
}

func (f *fakeCloud) Update(c CloudConfig) { f.updates = append(f.updates, c) }
func (f *fakeCloud) ForceUpdate()         { f.forced++ }

func TestCloudMenu(t *testing.T) {
	fc := &fakeCloud{}
	r := New(Options{Ports: ports, Cloud: fc})
	// The defaults are not exported, and nothing is reported before an update.
	if got := body(r.Export()); strings.Contains(got, "/ip cloud") {
		t.Errorf("default /ip cloud exported:\n%s", got)
	}
	rows, _, err := r.Command(context.Background(), "/ip/cloud/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"ddns-enabled": "false", "ddns-update-interval": "none", "update-time": "true", "status": ""} {
		if v, ok := rows[0].Get(k); !ok || v != want {
			t.Errorf("default %s = %q (present %v), want %q", k, v, ok, want)
		}
	}
	for _, k := range []string{"public-address", "dns-name", "warning"} {
		if v, ok := rows[0].Get(k); ok {
			t.Errorf("%s = %q shown before any update", k, v)
		}
	}

	run(t, r, "/ip cloud set ddns-enabled=yes ddns-update-interval=00:02:00 update-time=no")
	if !strings.Contains(body(r.Export()), "/ip cloud\nset ddns-enabled=yes ddns-update-interval=2m update-time=no\n") {
		t.Errorf("export:\n%s", r.Export())
	}
	if c := fc.updates[len(fc.updates)-1]; !c.DDNSEnabled || c.UpdateInterval.Minutes() != 2 || c.UpdateTime {
		t.Errorf("service got %+v", c)
	}
	run(t, r, "/ip cloud set ddns-update-interval=60s")
	if c := r.Cloud(); c.UpdateInterval.Seconds() != 60 {
		t.Errorf("60s gave %v", c.UpdateInterval)
	}
	run(t, r, "/ip cloud set ddns-update-interval=none")
	if c := r.Cloud(); c.UpdateInterval != 0 {
		t.Errorf("none gave %v", c.UpdateInterval)
	}

	// Too short an interval and read-only properties are refused, and the
	// configuration stays as it was.
	for src, want := range map[string]string{
		"/ip cloud set ddns-update-interval=59s":    "value of ddns-update-interval out of range",
		"/ip cloud set ddns-update-interval=0":      "value of ddns-update-interval out of range",
		"/ip cloud set ddns-update-interval=often":  "invalid value for argument ddns-update-interval",
		"/ip cloud set ddns-enabled=auto":           "invalid value for argument ddns-enabled",
		"/ip cloud set public-address=203.0.113.9":  "expected end of command",
		"/ip cloud set dns-name=x.sn.mynetname.net": "expected end of command",
	} {
		before := body(r.Export())
		_, err := r.Run(context.Background(), src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
		if body(r.Export()) != before {
			t.Errorf("%s changed the configuration", src)
		}
	}
	if _, _, err := r.Command(context.Background(), "/ip/cloud/set", map[string]string{"status": "updated"}); err == nil {
		t.Error("api set status accepted")
	}

	run(t, r, "/ip cloud force-update")
	if _, _, err := r.Command(context.Background(), "/ip/cloud/force-update", nil); err != nil {
		t.Fatal(err)
	}
	if fc.forced != 2 {
		t.Errorf("force-update reached the service %d times, want 2", fc.forced)
	}

	// What the service reports shows in print but never in export.
	r.SetCloudStatus(CloudStatus{PublicAddress: netip.MustParseAddr("198.51.100.7"), DNSName: "0123456789ab.sn.mynetname.net", Status: "updated", Warning: "Router is behind a NAT. Remote connection might not work."})
	out := run(t, r, "/ip cloud print")
	for _, want := range []string{"public-address: 198.51.100.7", "dns-name: 0123456789ab.sn.mynetname.net", "status: updated", "warning: Router is behind a NAT"} {
		if !strings.Contains(out, want) {
			t.Errorf("print lacks %q:\n%s", want, out)
		}
	}
	if exp := r.Export(); strings.Contains(exp, "198.51.100.7") || strings.Contains(exp, "updated") {
		t.Errorf("runtime status exported:\n%s", exp)
	}
	v := run(t, r, ":put [/ip cloud get public-address]")
	if strings.TrimSpace(v) != "198.51.100.7" {
		t.Errorf("get public-address = %q", v)
	}
}

// A 7.23.1 RB4011's export holds three Back To Home users of one name (the
// app names each device it pairs "Naprava A54 uporabnika Domen"), two
// with file access: "add allow-lan=yes comment=\"router | RB4011iGS+\"
// file-access=full file-access-path=/ name=\"Naprava A54 uporabnika
// Domen\" public-key=...". rosemu refused file-access "expected end of
// command", and a second user of the same name "entry with such name
// already exists" (realcheck32 D4). RouterOS wrote them: they are stored,
// exported and taken again; 7.17 has back-to-home-users instead.
func TestBackToHomeUserFileAccess(t *testing.T) {
	const second = `add allow-lan=yes comment="router | RB4011iGS+" file-access=full file-access-path=/ name="Naprava A54 uporabnika Domen" public-key="CSqqVJwqvleXJGoa7CNN9RIrnnhs59lpGHJ2jqxCTiU="`
	src := "/ip cloud back-to-home-user\n" +
		`add allow-lan=yes comment="Bela\C4\8Deva router" name="Naprava A54 uporabnika Domen" public-key="Fp71RRIKtmX2SvL8lorvzwY8ggKisE9APLDWU1BqN1o="` + "\n" +
		second + "\n" +
		`add allow-lan=yes comment="router | RB4011iGS+" file-access=full file-access-path=/ name="Naprava A54 uporabnika Domen" public-key="4MBE20H2YK4jcIK8opBWIrkThLb/5aldlqAbCFvgUFg="` + "\n"
	storedShape(t, "7.23.1", "7.17", []string{"ether1"}, src, "add allow-lan=yes comment=\"router", "file-access=full")
	r := New(Options{Ports: []string{"ether1"}, Version: "7.23.1"})
	run(t, r, src)
	if n := strings.Count(r.Export(), `"Naprava A54 uporabnika Domen"`); n != 3 {
		t.Errorf("%d users exported, want 3:\n%s", n, r.Export())
	}
}
