package runner

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/scenario"
)

// captureCase is a small hairpin case: one TCP probe from client1 through
// the WAN address, with method 2's rule so that it passes.
const captureCase = `name: capture-probe
title: "a hairpin probe whose packets the capture must hold"
lab: hairpin
router: |
  /ip firewall nat
  add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
  add action=masquerade chain=srcnat dst-address=192.168.88.10 dst-port=12566 out-interface=ether2 protocol=tcp src-address=192.168.88.0/24
steps:
  - probe: tcp
    from: client1
    to: router.wan:12566
    expect: {result: ok, server: server, server_saw: router.lan}
`

// TestCaptureEndToEnd runs the case on rosemu twice: with PCAP the run's
// folder holds the LAN capture, listed as an artifact, with the probe's
// packets in it (client1 to the WAN address, and the server answering the
// router's LAN address); without PCAP a passing run leaves no capture.
func TestCaptureEndToEnd(t *testing.T) {
	root, s := caseFile(t, captureCase)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var log bytes.Buffer

	t.Run("with --pcap", func(t *testing.T) {
		rep, err := Run(ctx, Options{Root: root, Scenario: s, Router: Rosemu, Results: t.TempDir(), PCAP: true, Progress: &log})
		if err != nil || !rep.Passed {
			t.Fatalf("run: %v, passed %v; progress:\n%s", err, rep.Passed, log.String())
		}
		for _, name := range []string{"pcap/lan.pcap", "pcap/isp.pcap", "pcap/internet.pcap"} {
			if !slices.Contains(rep.Artifacts, name) {
				t.Errorf("artifacts %v lack %s", rep.Artifacts, name)
			}
		}
		lan := flows(t, filepath.Join(rep.Dir, "pcap", "lan.pcap"))
		// The hairpin on the router's LAN port: client1 to the WAN address
		// (before dst-nat), then the router (after masquerade) to the server.
		for _, want := range []string{"192.168.88.20>203.0.113.2:12566", "192.168.88.1>192.168.88.10:12566"} {
			if lan[want] == 0 {
				t.Errorf("lan.pcap holds no packet %s; flows %v", want, lan)
			}
		}
		// Negative control: the hairpin never leaves by the WAN, so the
		// ISP's segment carries none of client1's probe.
		isp := flows(t, filepath.Join(rep.Dir, "pcap", "isp.pcap"))
		for f, n := range isp {
			if bytes.Contains([]byte(f), []byte(":12566")) {
				t.Errorf("isp.pcap holds %d packets of %s: the hairpin went out the WAN", n, f)
			}
		}
	})

	t.Run("passing run without --pcap", func(t *testing.T) {
		rep, err := Run(ctx, Options{Root: root, Scenario: s, Router: Rosemu, Results: t.TempDir(), Progress: &log})
		if err != nil || !rep.Passed {
			t.Fatalf("run: %v, passed %v; progress:\n%s", err, rep.Passed, log.String())
		}
		if _, err := os.Stat(filepath.Join(rep.Dir, "pcap")); !os.IsNotExist(err) {
			t.Errorf("a passing run without --pcap left %s (stat: %v)", filepath.Join(rep.Dir, "pcap"), err)
		}
		for _, a := range rep.Artifacts {
			if filepath.Dir(a) == "pcap" {
				t.Errorf("artifact %s listed by a passing run without --pcap", a)
			}
		}
	})
}

// pausedCase fails (no hairpin rule), so its captures are kept without
// --pcap; its cps step from the WAN peer falls between two LAN probes.
const pausedCase = `name: capture-paused
title: "a failed run whose captures pause over its load step"
lab: hairpin
router: |
  /ip firewall nat
  add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
steps:
  - {probe: tcp, from: client1, to: "router.wan:12566", expect: {result: ok}}
  - {probe: cps, from: peer, to: "router.wan:12566", expect: {result: ok}}
  - {probe: tcp, from: client2, to: "router.wan:12566", expect: {result: ok}}
`

// TestCapturePausedOverLoadSteps: without --pcap the captures pause over a
// load step and start again after it. The kept LAN capture holds the
// probes before and after (two rings merged), and the WAN capture none of
// the cps step's thousands of connections.
func TestCapturePausedOverLoadSteps(t *testing.T) {
	root, s := caseFile(t, pausedCase)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var log bytes.Buffer
	rep, err := Run(ctx, Options{Root: root, Scenario: s, Router: Rosemu, Results: t.TempDir(), Progress: &log})
	if err != nil || rep.Passed || rep.Steps[1].Seen.Result != "ok" {
		t.Fatalf("run: %v, passed %v (want a failed run whose cps step worked); progress:\n%s", err, rep.Passed, log.String())
	}
	lan := flows(t, filepath.Join(rep.Dir, "pcap", "lan.pcap"))
	for _, want := range []string{"192.168.88.20>203.0.113.2:12566", "192.168.88.21>203.0.113.2:12566"} {
		if lan[want] == 0 {
			t.Errorf("lan.pcap holds no packet %s (before and after the paused step); flows %v", want, lan)
		}
	}
	isp := flows(t, filepath.Join(rep.Dir, "pcap", "isp.pcap"))
	if n := isp["198.51.100.50>203.0.113.2:12566"]; n != 0 {
		t.Errorf("isp.pcap holds %d packets of the cps step, which should not be captured", n)
	}
}

// caseFile writes a case to a file and loads it, or skips the test where
// no lab can start.
func caseFile(t *testing.T, src string) (string, *scenario.Scenario) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a lab; skipped with -short")
	}
	if err := images.CheckDockerHost(context.Background()); err != nil {
		t.Skipf("no Docker engine answers (%v)", err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := scenario.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return root, s
}

// flows counts the TCP packets of a pcap by "src>dst:dport".
func flows(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	out := map[string]int{}
	src := gopacket.NewPacketSource(r, r.LinkType())
	for p := range src.Packets() {
		ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip == nil || tcp == nil {
			continue
		}
		out[ip.SrcIP.String()+">"+ip.DstIP.String()+":"+tcp.DstPort.String()]++
	}
	return out
}
