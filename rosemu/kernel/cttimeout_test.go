package kernel

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestTrackingTimeouts: a UDP datagram from the LAN to the internet leaves
// a conntrack entry whose time left is RouterOS's udp-timeout when the
// state carries it (10 s by default, 7 s when set), and Linux's 30 s
// without it (the control); enabled=no leaves no entry at all.
func TestTrackingTimeouts(t *testing.T) {
	rateTest(t)
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli := nsHandle(t, l.c)
	port := 40000
	udpTimeLeft := func(tr *Tracking) (time.Duration, bool) {
		t.Helper()
		st := baseState()
		st.Tracking = tr
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
		port++
		src := "192.168.88.20:" + strconv.Itoa(port)
		sendUDP(t, cli, src, "198.51.100.50:5353")
		time.Sleep(100 * time.Millisecond)
		conns, err := dp.Connections()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conns {
			if c.Protocol == "udp" && c.Src.String() == src {
				return c.Timeout, true
			}
		}
		return 0, false
	}
	routerOS := func(udp int) *Tracking {
		return &Tracking{TCP: map[string]int{"established": 86400}, UDP: map[string]int{"unreplied": udp, "replied": 180}}
	}
	if left, ok := udpTimeLeft(routerOS(10)); !ok || left > 10*time.Second || left < 8*time.Second {
		t.Errorf("RouterOS's default udp-timeout: entry %v with %v left, want about 10s", ok, left)
	}
	if left, ok := udpTimeLeft(routerOS(7)); !ok || left > 7*time.Second || left < 5*time.Second {
		t.Errorf("udp-timeout=7s: entry %v with %v left, want about 7s", ok, left)
	}
	// The control: no tracking settings leave the kernel's own 30 s.
	if left, ok := udpTimeLeft(nil); !ok || left < 20*time.Second {
		t.Errorf("without tracking settings: entry %v with %v left, want Linux's 30s", ok, left)
	}
	off := routerOS(10)
	off.Off = true
	if left, ok := udpTimeLeft(off); ok {
		t.Errorf("enabled=no: an entry with %v left, want none", left)
	}
}

// TestTrackingICMPAndAuto: a ping's conntrack entry lives RouterOS's
// icmp-timeout (10 s by default, 4 s when set) where Linux's namespace
// default is 30 s (the control, with no value given); and enabled=auto
// with no IPv4 firewall rule leaves an IPv4 datagram untracked, while an
// idle IPv6 alone does not touch IPv4 (the control).
func TestTrackingICMPAndAuto(t *testing.T) {
	rateTest(t)
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	cli := nsHandle(t, l.c)
	apply := func(tr *Tracking) {
		t.Helper()
		st := baseState()
		st.Tracking = tr
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
		if w := dp.Warnings(); len(w) > 0 {
			t.Fatalf("warnings: %v", w)
		}
	}
	find := func(proto, src string) (time.Duration, bool) {
		t.Helper()
		conns, err := dp.Connections()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conns {
			if c.Protocol == proto && (src == "" || c.Src.String() == src) {
				return c.Timeout, true
			}
		}
		return 0, false
	}
	routerOS := func() *Tracking {
		return &Tracking{TCP: map[string]int{"established": 86400}, UDP: map[string]int{"unreplied": 10, "replied": 180}}
	}
	pingLeft := func(tr *Tracking) (time.Duration, bool) {
		t.Helper()
		apply(tr)
		conns, err := dp.Connections()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conns {
			if c.Protocol == "icmp" {
				if err := dp.RemoveConnection(c.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		echoes(t, cli, "198.51.100.50", 1)
		return find("icmp", "")
	}
	if left, ok := pingLeft(routerOS()); !ok || left < 20*time.Second {
		t.Errorf("no icmp-timeout given: entry %v with %v left, want Linux's 30s", ok, left)
	}
	tr := routerOS()
	tr.ICMP = 10
	if left, ok := pingLeft(tr); !ok || left > 10*time.Second || left < 7*time.Second {
		t.Errorf("icmp-timeout=10s: entry %v with %v left, want about 10s", ok, left)
	}
	tr.ICMP = 4
	if left, ok := pingLeft(tr); !ok || left > 4*time.Second || left < 1*time.Second {
		t.Errorf("icmp-timeout=4s: entry %v with %v left, want about 4s", ok, left)
	}

	port := 41000
	udp := func(tr *Tracking) bool {
		t.Helper()
		apply(tr)
		port++
		src := "192.168.88.20:" + strconv.Itoa(port)
		sendUDP(t, cli, src, "198.51.100.50:5353")
		time.Sleep(100 * time.Millisecond)
		_, ok := find("udp", src)
		return ok
	}
	idle := routerOS()
	idle.IdleIPv4, idle.IdleIPv6 = true, true
	if udp(idle) {
		t.Error("enabled=auto with no rule: the datagram was tracked")
	}
	only6 := routerOS()
	only6.IdleIPv6 = true
	if !udp(only6) {
		t.Error("enabled=auto with an IPv4 rule: the IPv4 datagram was not tracked")
	}
}

// TestFirstPacketsOnly: the chains that set a connection's timeout policy
// open with unconfirmedOnly and those of its service-port helper with
// newOnly, so a packet of an
// established connection leaves each after one rule instead of being
// matched against every timeout and helper rule to no effect (2026-12-06:
// nft_do_chain 1.7 to 2.5 % of a hairpin flow's CPU samples without it,
// 1.2 to 1.6 % with it). The behaviour of the rules after it is kept by
// TestTrackingTimeouts and TestFTPHelper.
func TestFirstPacketsOnly(t *testing.T) {
	st := &State{InterfaceLists: map[string][]string{}, Helpers: []Helper{{Name: "ftp", Ports: []uint16{21}}},
		Tracking: &Tracking{TCP: map[string]int{"established": 86400}, UDP: map[string]int{"unreplied": 10, "replied": 180}}}
	rules, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ text, chain, first string }{
		{RenderCT(st), "prerouting", unconfirmedOnly}, {RenderCT(st), "output", unconfirmedOnly},
		{rules, "service_ports_prerouting", newOnly}, {rules, "service_ports_output", newOnly},
	} {
		_, body, ok := strings.Cut(c.text, "\tchain "+c.chain+" {\n")
		if !ok {
			t.Errorf("no chain %s in\n%s", c.chain, c.text)
			continue
		}
		lines := strings.Split(body, "\n")
		if len(lines) < 3 || strings.TrimSpace(lines[1]) != c.first {
			t.Errorf("chain %s opens with %q after its hook line, want %q:\n%s", c.chain, lines[1], c.first, body)
		}
		if strings.Count(body[:strings.Index(body, "\t}")], "\n") < 3 {
			t.Errorf("chain %s has no rule after %q:\n%s", c.chain, c.first, body)
		}
	}
}

// TestIdleFamilyOwnTable: with enabled=auto and no IPv6 firewall rule the
// notrack chains are in an ip6 table, so IPv4 packets never enter them
// (the inet table's base chains see both families); enabled=no keeps its
// notrack in the inet table. TestTrackingICMPAndAuto checks what the
// kernel then tracks.
func TestIdleFamilyOwnTable(t *testing.T) {
	tables := func(tr Tracking) map[string]string {
		out := map[string]string{}
		text := RenderCT(&State{Tracking: &tr})
		for _, part := range strings.Split(text, "\ntable ")[1:] {
			head, body, _ := strings.Cut(part, "\n")
			if strings.HasSuffix(head, "{") {
				out[strings.TrimSuffix(head, " {")] = body
			}
		}
		return out
	}
	got := tables(Tracking{IdleIPv6: true, UDP: map[string]int{"unreplied": 10}})
	if strings.Contains(got["inet "+CTTableName], "notrack") {
		t.Errorf("IPv6 idle: the inet table has a notrack chain:\n%s", got["inet "+CTTableName])
	}
	if !strings.Contains(got["ip6 "+CTTableName], "notrack") || got["ip "+CTTableName] != "" {
		t.Errorf("IPv6 idle: want the notrack in table ip6 only, got %q", got)
	}
	got = tables(Tracking{Off: true})
	if !strings.Contains(got["inet "+CTTableName], "notrack") || len(got) != 1 {
		t.Errorf("enabled=no: want one inet table with the notrack, got %q", got)
	}
}
