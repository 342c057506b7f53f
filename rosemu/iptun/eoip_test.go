package iptun

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/vishvananda/netlink"
)

// TestEoIPHeader: the header is the documented layout (GRE flags and
// version 0x2001, protocol 0x6400, the frame's length big-endian, the
// tunnel id little-endian: github.com/bbonev/eoip unified/eoip_proto.h,
// github.com/Nat-Lab/eoip readme), and decapsulation takes back only
// the frame of its own tunnel id.
func TestEoIPHeader(t *testing.T) {
	// A 60-byte broadcast ARP frame, as a bridge would send it.
	frame, _ := hex.DecodeString("ffffffffffff020000000001080600010800060400010200000000010a000001000000000000" + "0a000002" + strings.Repeat("00", 18))
	got := EncapEoIP(nil, 100, frame)
	// tunnel-id=100 (the Nat-Lab readme's example): 0x64 0x00 on the
	// wire; a 60-byte frame: 0x00 0x3c.
	if want := "200164" + "00" + "003c" + "6400"; hex.EncodeToString(got[:8]) != want {
		t.Errorf("header of tunnel-id 100 = % x, want %s", got[:8], want)
	}
	if !bytes.Equal(got[8:], frame) {
		t.Error("the frame does not follow the header unchanged")
	}
	if h := EncapEoIP(nil, 0x1234, nil); hex.EncodeToString(h) != "2001640000003412" {
		t.Errorf("keepalive of tunnel-id 0x1234 = % x, want 20 01 64 00 00 00 34 12", h)
	}
	if f, ka, ok := DecapEoIP(got, 100); !ok || ka || !bytes.Equal(f, frame) {
		t.Errorf("decap of its own tunnel id: ok=%v keepalive=%v len %d", ok, ka, len(f))
	}
	// Padding after the length is not part of the frame.
	if f, _, ok := DecapEoIP(append(append([]byte(nil), got...), 0, 0, 0, 0), 100); !ok || len(f) != len(frame) {
		t.Errorf("padded: ok=%v len %d, want %d", ok, len(f), len(frame))
	}
	for name, p := range map[string][]byte{
		"another tunnel id": EncapEoIP(nil, 101, frame),
		"id byte order":     EncapEoIP(nil, 0x6400, frame),
		"plain GRE":         append([]byte{0, 0, 0x08, 0x00}, frame...),
		"truncated":         got[:40],
		"short":             got[:6],
	} {
		if _, _, ok := DecapEoIP(p, 100); ok {
			t.Errorf("%s: taken as tunnel 100's", name)
		}
	}
	if _, ka, ok := DecapEoIP(EncapEoIP(nil, 100, nil), 100); !ok || !ka {
		t.Errorf("an empty frame: ok=%v keepalive=%v, want a keepalive", ok, ka)
	}
	// A GRE tunnel does not take an EoIP packet (key bit, version 1).
	if _, _, ok := (&Tunnel{cfg: Config{Proto: GRE}}).decap(got); ok {
		t.Error("GRE's decap took an EoIP packet")
	}
}

// eoipEnd starts an EoIP tunnel in ns with addr on its TAP.
func eoipEnd(t *testing.T, ns string, c Config, addr string) *Tunnel {
	t.Helper()
	c.EoIP = true
	var tun *Tunnel
	netnstest.InNamed(t, ns, func() {
		var err error
		if tun, err = Start(c); err != nil {
			t.Error(err)
			return
		}
		l, err := netlink.LinkByName(c.Link)
		if err != nil {
			t.Error(err)
			return
		}
		if l.Type() != "tuntap" || l.(*netlink.Tuntap).Mode != netlink.TUNTAP_MODE_TAP {
			t.Errorf("link %s is %s %+v, want a TAP", c.Link, l.Type(), l)
		}
		a, _ := netlink.ParseAddr(addr)
		if err := netlink.AddrAdd(l, a); err != nil {
			t.Error(err)
		}
		if err := netlink.LinkSetMTU(l, 1500-EoIPOverhead); err != nil {
			t.Error(err)
		}
		if err := netlink.LinkSetUp(l); err != nil {
			t.Error(err)
		}
	})
	if tun == nil {
		t.FailNow()
	}
	t.Cleanup(tun.Close)
	return tun
}

// TestEoIPCarry: TCP between addresses on the two ends' TAP links crosses
// an EoIP tunnel (ARP included: the frames are Ethernet). Controls: the
// far end on another tunnel id carries nothing; an input drop of GRE on
// the near end stops it.
func TestEoIPCarry(t *testing.T) {
	t.Parallel()
	needRoot(t)
	a, b := twoHosts(t)
	eoipEnd(t, a, Config{Link: "eoip1", TunnelID: 7, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2")}, "10.98.0.1/24")
	far := eoipEnd(t, b, Config{Link: "eoip1", TunnelID: 7, Remote: netip.MustParseAddr("192.0.2.1")}, "10.98.0.2/24")
	serve(t, b, "10.98.0.2")
	if got := dial(t, a, "10.98.0.2", 3*time.Second); got != "saw 10.98.0.1" {
		t.Fatalf("through the tunnel: %q, want %q", got, "saw 10.98.0.1")
	}
	// The far end learnt the near end's MAC over the tunnel.
	if out, _ := exec.Command("ip", "-n", b, "neigh", "show", "dev", "eoip1").CombinedOutput(); !strings.Contains(string(out), "10.98.0.1 lladdr") {
		t.Errorf("far end's neighbours: %s", out)
	}
	far.Close()
	wrong := eoipEnd(t, b, Config{Link: "eoip2", TunnelID: 8, Remote: netip.MustParseAddr("192.0.2.1")}, "10.98.0.3/24")
	exec.Command("ip", "-n", a, "neigh", "flush", "dev", "eoip1").Run()
	serve(t, b, "10.98.0.3")
	if got := dial(t, a, "10.98.0.3", 2*time.Second); !strings.HasPrefix(got, "error") {
		t.Errorf("far end on tunnel id 8, near on 7: %q, want no connection", got)
	}
	// Its link goes with it (and with it the far end's route to the
	// subnet through that link).
	wrong.Close()
	eoipEnd(t, b, Config{Link: "eoip3", TunnelID: 7, Remote: netip.MustParseAddr("192.0.2.1")}, "10.98.0.4/24")
	serve(t, b, "10.98.0.4")
	if got := dial(t, a, "10.98.0.4", 3*time.Second); got != "saw 10.98.0.1" {
		t.Fatalf("far end back on tunnel id 7: %q, want %q", got, "saw 10.98.0.1")
	}
	nft(t, a, fmt.Sprintf("table ip f {\n chain input {\n type filter hook input priority 0; ip protocol %d drop\n }\n}\n", int(GRE)))
	exec.Command("ip", "-n", a, "neigh", "flush", "dev", "eoip1").Run()
	if got := dial(t, a, "10.98.0.4", 2*time.Second); !strings.HasPrefix(got, "error") {
		t.Errorf("input drop of gre: %q, want no connection", got)
	}
}

// TestEoIPKeepalive: each end sends its own keepalives and nothing is
// echoed. With keepalive 1s,2 on both ends the near end runs; with the
// far end gone it stops within interval x retries (plus a tick) and its
// TAP loses its carrier; the far end's first keepalive brings it back.
// The far end without keepalive of its own does not keep it running:
// receiving is what counts, not an echo.
func TestEoIPKeepalive(t *testing.T) {
	t.Parallel()
	needRoot(t)
	a, b := twoHosts(t)
	near := eoipEnd(t, a, Config{Link: "eoip1", TunnelID: 7, Local: netip.MustParseAddr("192.0.2.1"), Remote: netip.MustParseAddr("192.0.2.2"),
		Keepalive: time.Second, Retries: 2}, "10.98.0.1/24")
	farCfg := Config{Link: "eoip1", TunnelID: 7, Remote: netip.MustParseAddr("192.0.2.1"), Keepalive: time.Second, Retries: 2}
	far := eoipEnd(t, b, farCfg, "10.98.0.2/24")
	time.Sleep(3500 * time.Millisecond)
	if !near.Running() || !settles(t, a, "eoip1", true) {
		t.Fatalf("the far end sends keepalives, yet running=%v, link running=%v", near.Running(), running(t, a, "eoip1"))
	}
	far.Close()
	gone := time.Now()
	for near.Running() && time.Since(gone) < 5*time.Second {
		time.Sleep(100 * time.Millisecond)
	}
	if took := time.Since(gone); near.Running() || took > 3500*time.Millisecond {
		t.Fatalf("far end gone: running=%v after %v, want false within 1s x 2 plus a tick", near.Running(), took)
	}
	if !settles(t, a, "eoip1", false) {
		t.Error("the TAP still has its carrier")
	}
	// A far end without keepalive: nothing brings the near end back.
	quiet := farCfg
	quiet.Keepalive, quiet.Link = 0, "eoip2"
	q := eoipEnd(t, b, quiet, "10.98.0.3/24")
	time.Sleep(2500 * time.Millisecond)
	if near.Running() {
		t.Error("a far end without keepalive brought the near end back (EoIP's keepalive is not echoed)")
	}
	q.Close()
	farCfg.Link = "eoip3"
	eoipEnd(t, b, farCfg, "10.98.0.4/24")
	back := time.Now()
	for !near.Running() && time.Since(back) < 3*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	if !near.Running() || !settles(t, a, "eoip1", true) {
		t.Fatalf("the far end is back, yet running=%v after %v", near.Running(), time.Since(back))
	}
}
