package qemubootcmd

import (
	"bufio"
	"encoding/json"
	"net"
	"net/netip"
	"strings"
	"testing"
)

// fakeQMP answers one QMP conversation on conn the way QEMU does: a
// greeting, then a reply per command; an event comes before the reply to
// set_link, which the client must skip. It records what set_link asked.
func fakeQMP(t *testing.T, conn net.Conn, reply string, got chan<- map[string]any) {
	defer conn.Close()
	w := func(s string) { _, _ = conn.Write([]byte(s + "\n")) }
	w(`{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}}, "capabilities": ["oob"]}}`)
	rd := bufio.NewReader(conn)
	for {
		line, err := rd.ReadBytes('\n')
		if err != nil {
			return
		}
		var cmd map[string]any
		if err := json.Unmarshal(line, &cmd); err != nil {
			t.Errorf("client sent %q, not JSON", line)
			return
		}
		switch cmd["execute"] {
		case "qmp_capabilities":
			w(`{"return": {}}`)
		case "set_link":
			got <- cmd["arguments"].(map[string]any)
			w(`{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "NIC_RX_FILTER_CHANGED", "data": {"path": "/machine/peripheral-anon/device[1]/virtio-backend"}}`)
			w(reply)
		default:
			w(`{"error": {"class": "CommandNotFound", "desc": "The command x has not been found"}}`)
		}
	}
}

func TestSetLink(t *testing.T) {
	client, server := net.Pipe()
	got := make(chan map[string]any, 1)
	go fakeQMP(t, server, `{"return": {}}`, got)
	if err := setLink(client, "port2", false); err != nil {
		t.Fatalf("setLink: %v", err)
	}
	args := <-got
	if args["name"] != "port2" || args["up"] != false {
		t.Errorf("set_link asked %v, want name port2, up false", args)
	}
}

func TestSetLinkError(t *testing.T) {
	client, server := net.Pipe()
	got := make(chan map[string]any, 1)
	go fakeQMP(t, server, `{"error": {"class": "DeviceNotFound", "desc": "Device 'port9' not found"}}`, got)
	err := setLink(client, "port9", true)
	if err == nil || !strings.Contains(err.Error(), "Device 'port9' not found") {
		t.Fatalf("setLink = %v, want QEMU's DeviceNotFound", err)
	}
}

func TestQEMUArgsQMP(t *testing.T) {
	args := strings.Join(qemuArgs(machine{Guest: GuestVM, Taps: []string{"tap0", "tap1"}, QMPSocket: "/run/q.sock", MgmtNet: netip.MustParsePrefix("10.0.2.0/24")}), " ")
	for _, want := range []string{"-qmp unix:/run/q.sock,server=on,wait=off", "tap,id=port1,ifname=tap0", "tap,id=port2,ifname=tap1"} {
		if !strings.Contains(args, want) {
			t.Errorf("qemu args lack %q: %s", want, args)
		}
	}
}

// TestQEMUArgsTCGCache: under TCG the translation cache is capped, so that
// QEMU stays within its container's memory limit (the guest's memory plus
// harness/lab's QEMUOverheadMiB); with KVM there is no such cache.
func TestQEMUArgsTCGCache(t *testing.T) {
	tcg := strings.Join(qemuArgs(machine{Guest: GuestVM, MgmtNet: netip.MustParsePrefix("10.0.2.0/24")}), " ")
	if !strings.Contains(tcg, "-accel tcg,tb-size=256") {
		t.Errorf("TCG args lack the cache cap: %s", tcg)
	}
	kvm := strings.Join(qemuArgs(machine{Guest: GuestVM, KVM: true, MgmtNet: netip.MustParsePrefix("10.0.2.0/24")}), " ")
	if strings.Contains(kvm, "tcg") || !strings.Contains(kvm, "-enable-kvm") {
		t.Errorf("KVM args: %s", kvm)
	}
}
