package kernel

import (
	"net/netip"
	"testing"
)

// TestIPSettings: /ip settings reach the router namespace's sysctls. With
// ip-forward=no the LAN no longer reaches the internet, and yes brings it
// back; rp-filter and the ICMP rate limit are written on every level;
// a nil IPSettings leaves the namespace alone.
func TestIPSettings(t *testing.T) {
	t.Parallel()
	dp, _, _, _, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = []Route{{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1}}
	defaults := IPSettings{Forward: true, SendRedirects: true, SecureRedirects: true, ICMPRateLimit: 10, ICMPRateMask: 0x1818, TCPTimestamps: 1}
	st.IPSettings = &defaults
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	sysctl := func(key string) string {
		t.Helper()
		v, err := readSysctl(dp.ns, key)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// icmp_ratelimit is kept in jiffies: 10 ms reads back as 10 or 12.
	if got := sysctl("net.ipv4.icmp_ratelimit"); got != "10" && got != "12" {
		t.Errorf("icmp_ratelimit = %s, want 10 ms", got)
	}
	for key, want := range map[string]string{"net.ipv4.icmp_ratemask": "6168",
		"net.ipv4.conf.all.rp_filter": "0", "net.ipv4.conf.all.accept_redirects": "0"} {
		if got := sysctl(key); got != want {
			t.Errorf("%s = %s, want %s", key, got, want)
		}
	}
	wantWAN(t, cli, "203.0.113.2")

	off := defaults
	off.Forward, off.RPFilter, off.ICMPRateLimit = false, 1, 250
	st2 := *st
	st2.IPSettings = &off
	if err := dp.Apply(&st2); err != nil {
		t.Fatal(err)
	}
	if got := sysctl("net.ipv4.icmp_ratelimit"); got != "250" && got != "252" {
		t.Errorf("icmp_ratelimit = %s, want 250 ms", got)
	}
	for key, want := range map[string]string{"net.ipv4.ip_forward": "0",
		"net.ipv4.conf.all.rp_filter": "1", "net.ipv4.conf.default.rp_filter": "1", "net.ipv4.conf.ether2.rp_filter": "1"} {
		if got := sysctl(key); got != want {
			t.Errorf("after ip-forward=no: %s = %s, want %s", key, got, want)
		}
	}
	if saw, err := dial(cli, "192.168.88.20", "198.51.100.50:12566"); err == nil {
		t.Errorf("with ip-forward=no the internet saw %s", saw)
	}

	// A state without settings changes nothing.
	st3 := *st
	st3.IPSettings = nil
	st3.Filter = append(st3.Filter[:len(st3.Filter):len(st3.Filter)], rule("*99", "chain=input", "action=accept", "comment=another state"))
	if err := dp.Apply(&st3); err != nil {
		t.Fatal(err)
	}
	if got := sysctl("net.ipv4.ip_forward"); got != "0" {
		t.Errorf("a state without settings changed ip_forward to %s", got)
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	wantWAN(t, cli, "203.0.113.2")
}
