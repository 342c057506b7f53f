package kernel

import (
	"strconv"
	"testing"
	"time"
)

// TestTrackingTimeouts: a UDP datagram from the LAN to the internet leaves
// a conntrack entry whose time left is RouterOS's udp-timeout when the
// state carries it (10 s by default, 7 s when set), and Linux's 30 s
// without it (the control); enabled=no leaves no entry at all.
func TestTrackingTimeouts(t *testing.T) {
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
