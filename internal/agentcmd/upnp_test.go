package agentcmd

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/upnp"
)

// TestUPnPProbe runs the probe against rosemu's gateway: discovered by a
// multicast M-SEARCH, the external address read, a mapping to this host
// made (a dynamic dst-nat rule), one made and deleted, one for another
// host refused with 606 in the gateway's words, and with UPnP off nothing
// answers the search (timeout). The gateway and the client share a
// network namespace of their own (the test binary again, under ip netns
// exec) with a veth link as the LAN, where the kernel loops the
// client's multicast back to the gateway's socket.
func TestUPnPProbe(t *testing.T) {
	if os.Getenv("UPNPPROBE_NS") == "" {
		if os.Geteuid() != 0 {
			t.Skip("needs root for a network namespace")
		}
		if _, err := exec.LookPath("ip"); err != nil {
			t.Skip("needs ip(8) to run a process in a namespace")
		}
		ns := fmt.Sprintf("upnpprobe-%d", os.Getpid())
		if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
			t.Fatalf("ip netns add: %v %s", err, out)
		}
		defer exec.Command("ip", "netns", "del", ns).Run()
		cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestUPnPProbe$", "-test.v")
		cmd.Env = append(os.Environ(), "UPNPPROBE_NS=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("in the namespace: %v\n%s", err, out)
		}
		return
	}
	lo, _ := netlink.LinkByName("lo")
	netlink.LinkSetUp(lo)
	if err := netlink.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "ether2"}, PeerName: "ether2p"}); err != nil {
		t.Fatal(err)
	}
	p, _ := netlink.LinkByName("ether2p")
	netlink.LinkSetUp(p)
	l, _ := netlink.LinkByName("ether2")
	a, _ := netlink.ParseAddr("10.9.0.1/24")
	netlink.AddrAdd(l, a)
	netlink.LinkSetMulticastOn(l)
	netlink.LinkSetUp(l)
	// The multicast route a LAN host's default route gives it.
	_, mc, _ := net.ParseCIDR("224.0.0.0/4")
	if err := netlink.RouteAdd(&netlink.Route{LinkIndex: l.Attrs().Index, Dst: mc, Scope: netlink.SCOPE_LINK}); err != nil {
		t.Fatal(err)
	}

	m := &upnp.Manager{HTTPPort: -1}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, OnCommit: []func(){m.Wake}})
	if _, err := r.Run(context.Background(), `/ip address add address=203.0.113.2/24 interface=ether1
/ip address add address=10.9.0.1/24 interface=ether2
/ip upnp interfaces add interface=ether1 type=external
/ip upnp interfaces add interface=ether2 type=internal
/ip upnp set enabled=yes
`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx, r); close(done) }()
	defer func() { cancel(); <-done }()
	for end := time.Now().Add(5 * time.Second); m.SSDPAddr() == nil && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}

	res := probeUPnP(ctx, upnpOptions{externalPort: 12566, internalPort: 12566, protocol: "tcp", lease: time.Hour, timeout: 2 * time.Second})
	if res.Result != probe.OK || res.ExternalIP != "203.0.113.2" || !strings.HasPrefix(res.Gateway, "http://10.9.0.1:") || res.Mapped != "tcp 12566 -> 10.9.0.1:12566 lease 1h0m0s: added" {
		t.Fatalf("mapping: %s", res)
	}
	if err := res.Validate(probe.KindUPnP); err != nil {
		t.Error(err)
	}
	if ms := r.UPnPMappings(); len(ms) != 1 || ms[0].ExternalPort != 12566 || ms[0].InternalClient.String() != "10.9.0.1" {
		t.Errorf("the gateway's mappings %v", ms)
	}
	res = probeUPnP(ctx, upnpOptions{externalPort: 3074, internalPort: 3075, protocol: "udp", delete: true, timeout: 2 * time.Second})
	if res.Result != probe.OK || res.Mapped != "udp 3074 -> 10.9.0.1:3075 lease 0s: added, deleted" || len(r.UPnPMappings()) != 1 {
		t.Errorf("mapping deleted: %s, mappings %v", res, r.UPnPMappings())
	}
	res = probeUPnP(ctx, upnpOptions{externalPort: 8080, internalPort: 80, protocol: "tcp", client: "10.9.0.7", timeout: 2 * time.Second})
	if res.Result != probe.Refused || res.UPnPError != 606 || res.Error != "AddPortMapping: UPnP error 606 Action not authorized" {
		t.Errorf("another host's mapping: %s", res)
	}
	if _, err := r.Run(context.Background(), "/ip upnp set enabled=no\n"); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(5 * time.Second); m.SSDPAddr() != nil && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	res = probeUPnP(ctx, upnpOptions{externalPort: 12566, protocol: "tcp", timeout: 2 * time.Second})
	if res.Result != probe.Timeout || res.Gateway != "" {
		t.Errorf("UPnP off: %s", res)
	}
}
