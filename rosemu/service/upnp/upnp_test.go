package upnp

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huin/goupnp/dcps/internetgateway1"
	"github.com/huin/goupnp/soap"

	"github.com/chrlab/chrlab/rosemu/config"
)

// The router: ether1 the WAN with UPnP's external interface, ether2 the
// LAN at 127.0.0.1/8, where the test's client (on loopback) is.
const setup = `/ip address add address=203.0.113.2/24 interface=ether1
/ip address add address=127.0.0.1/8 interface=ether2
/ip upnp interfaces add interface=ether1 type=external
/ip upnp interfaces add interface=ether2 type=internal
/ip upnp set enabled=yes
`

func router(t *testing.T, src string) (*config.Router, *Manager) {
	t.Helper()
	m := &Manager{Host: "127.0.0.1", HTTPPort: -1, SSDPPort: -1}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2", "ether3"}, OnCommit: []func(){m.Wake}})
	run(t, r, src)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx, r); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return r, m
}

func run(t *testing.T, r *config.Router, src string) string {
	t.Helper()
	out, err := r.Run(context.Background(), src)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	return out
}

// waitFor polls cond for up to 5s: the gateway starts and stops on the
// manager's goroutine after a commit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// search sends an SSDP M-SEARCH to the gateway and returns the LOCATION of
// its answer, "" without one within a second.
func search(t *testing.T, to *net.UDPAddr, st string) string {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg := "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: " + st + "\r\n\r\n"
	if _, err := c.WriteToUDP([]byte(msg), to); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(buf[:n]), "\r\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, "LOCATION") {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("answer without LOCATION: %q", buf[:n])
	return ""
}

func client(t *testing.T, loc string) *internetgateway1.WANIPConnection1 {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := internetgateway1.NewWANIPConnection1ClientsByURL(u)
	if err != nil || len(cs) != 1 {
		t.Fatalf("WANIPConnection clients at %s: %v %v", loc, cs, err)
	}
	return cs[0]
}

func upnpCode(err error) string {
	var f *soap.SOAPFaultError
	if errors.As(err, &f) {
		return strconv.Itoa(f.Detail.UPnPError.Errorcode)
	}
	return ""
}

// TestGateway: a client on the internal interface discovers the gateway by
// SSDP, reads the external address, maps a port to itself, which becomes a
// dynamic dst-nat rule of /ip firewall nat (D, RouterOS's comment, chain
// dstnat on the external interface and address), reads it back and
// deletes it; a mapping for another host is refused with 606.
func TestGateway(t *testing.T) {
	r, m := router(t, setup)
	waitFor(t, "the gateway", func() bool { return m.SSDPAddr() != nil })
	loc := search(t, m.SSDPAddr(), "urn:schemas-upnp-org:device:InternetGatewayDevice:1")
	if !strings.HasPrefix(loc, "http://127.0.0.1:") {
		t.Fatalf("LOCATION %q: want the router's address on the client's internal interface", loc)
	}
	c := client(t, loc)
	if ip, err := c.GetExternalIPAddress(); err != nil || ip != "203.0.113.2" {
		t.Fatalf("GetExternalIPAddress: %q %v", ip, err)
	}
	if err := c.AddPortMapping("", 3074, "UDP", 3075, "127.0.0.1", true, "Xbox", 0); err != nil {
		t.Fatalf("AddPortMapping: %v", err)
	}
	out := run(t, r, "/ip firewall nat print")
	for _, want := range []string{" 0 D  ;;; upnp 127.0.0.1: Xbox", "chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=udp dst-port=3074 in-interface=ether1 to-addresses=127.0.0.1 to-ports=3075"} {
		if !strings.Contains(out, want) {
			t.Errorf("nat print lacks %q:\n%s", want, out)
		}
	}
	if exp := run(t, r, "/export"); strings.Contains(exp, "upnp 127.0.0.1") {
		t.Errorf("the dynamic rule is exported:\n%s", exp)
	}
	if in, ic, _, desc, _, err := c.GetSpecificPortMappingEntry("", 3074, "UDP"); err != nil || in != 3075 || ic != "127.0.0.1" || desc != "Xbox" {
		t.Errorf("GetSpecificPortMappingEntry: %d %q %q %v", in, ic, desc, err)
	}
	if _, ext, proto, in, _, _, _, _, err := c.GetGenericPortMappingEntry(0); err != nil || ext != 3074 || proto != "UDP" || in != 3075 {
		t.Errorf("GetGenericPortMappingEntry(0): %d %q %d %v", ext, proto, in, err)
	}
	if _, _, _, _, _, _, _, _, err := c.GetGenericPortMappingEntry(1); upnpCode(err) != "713" {
		t.Errorf("GetGenericPortMappingEntry(1): %v, want 713", err)
	}
	// Another host's address: refused, nothing added.
	if err := c.AddPortMapping("", 8080, "TCP", 80, "127.0.0.9", true, "other", 0); upnpCode(err) != "606" {
		t.Errorf("mapping for another host: %v, want 606", err)
	}
	if len(r.UPnPMappings()) != 1 {
		t.Errorf("mappings %v: want the one", r.UPnPMappings())
	}
	// A port another client holds: 718, its mapping kept.
	if err := r.AddUPnPMapping(config.UPnPMapping{Protocol: "tcp", ExternalPort: 9000, InternalPort: 9000, InternalClient: netip.MustParseAddr("127.0.0.5"), Description: "other"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddPortMapping("", 9000, "TCP", 9000, "127.0.0.1", true, "mine", 0); upnpCode(err) != "718" {
		t.Errorf("another client's port: %v, want 718", err)
	}
	if _, ic, _, _, _, err := c.GetSpecificPortMappingEntry("", 9000, "TCP"); err != nil || ic != "127.0.0.5" {
		t.Errorf("the other client's mapping: %q %v", ic, err)
	}
	if _, err := r.DeleteUPnPMapping("tcp", 9000); err != nil {
		t.Fatal(err)
	}
	if err := c.DeletePortMapping("", 3074, "UDP"); err != nil {
		t.Fatalf("DeletePortMapping: %v", err)
	}
	if out := run(t, r, "/ip firewall nat print"); strings.Contains(out, "upnp") {
		t.Errorf("rule left after DeletePortMapping:\n%s", out)
	}
	if err := c.DeletePortMapping("", 3074, "UDP"); upnpCode(err) != "714" {
		t.Errorf("second DeletePortMapping: %v, want 714", err)
	}
}

// TestGatewayOff: enabled=no stops the gateway and takes its dynamic
// rules with it; the static rules stay.
func TestGatewayOff(t *testing.T) {
	r, m := router(t, setup+"/ip firewall nat add chain=srcnat action=masquerade out-interface=ether1\n")
	waitFor(t, "the gateway", func() bool { return m.HTTPAddr() != nil })
	c := client(t, "http://"+m.HTTPAddr().String()+"/rootDesc.xml")
	if err := c.AddPortMapping("", 5000, "TCP", 5000, "127.0.0.1", true, "app", 0); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/ip upnp set enabled=no")
	waitFor(t, "the mappings to go", func() bool { return m.HTTPAddr() == nil && len(r.UPnPMappings()) == 0 })
	if out := run(t, r, "/ip firewall nat print"); !strings.Contains(out, "masquerade") || strings.Contains(out, "upnp") {
		t.Errorf("nat after enabled=no:\n%s", out)
	}
}

// TestGatewayNotInternal: a client on no internal interface is neither
// answered by SSDP nor served by the control URL.
func TestGatewayNotInternal(t *testing.T) {
	r, m := router(t, strings.Replace(setup, "127.0.0.1/8 interface=ether2", "127.0.0.1/8 interface=ether3", 1)+"/ip address add address=192.168.88.1/24 interface=ether2\n")
	waitFor(t, "the gateway", func() bool { return m.SSDPAddr() != nil })
	if loc := search(t, m.SSDPAddr(), "ssdp:all"); loc != "" {
		t.Errorf("answered a client on no internal interface: %s", loc)
	}
	u, _ := url.Parse("http://" + m.HTTPAddr().String() + "/rootDesc.xml")
	if _, err := internetgateway1.NewWANIPConnection1ClientsByURL(u); err == nil {
		t.Errorf("description served to a client on no internal interface")
	}
	if len(r.UPnPMappings()) != 0 {
		t.Errorf("mappings %v", r.UPnPMappings())
	}
}

// TestGatewayDisableOther: AddPortMapping with NewEnabled=0 removes the
// client's own mapping but not another host's, which DeletePortMapping
// refuses too (606; review43 finding 1).
func TestGatewayDisableOther(t *testing.T) {
	r, m := router(t, setup)
	waitFor(t, "the gateway", func() bool { return m.HTTPAddr() != nil })
	c := client(t, "http://"+m.HTTPAddr().String()+"/rootDesc.xml")
	if err := r.AddUPnPMapping(config.UPnPMapping{Protocol: "tcp", ExternalPort: 9000, InternalPort: 9000, InternalClient: netip.MustParseAddr("127.0.0.5"), Description: "other"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddPortMapping("", 9000, "TCP", 9000, "127.0.0.1", false, "mine", 0); upnpCode(err) != "606" {
		t.Errorf("disabling another host's mapping: %v, want 606", err)
	}
	if ms := r.UPnPMappings(); len(ms) != 1 || ms[0].InternalClient.String() != "127.0.0.5" {
		t.Errorf("mappings %v: want 127.0.0.5's kept", ms)
	}
	// Control: the client's own mapping goes.
	if err := c.AddPortMapping("", 9001, "TCP", 9001, "127.0.0.1", true, "mine", 0); err != nil {
		t.Fatal(err)
	}
	if err := c.AddPortMapping("", 9001, "TCP", 9001, "127.0.0.1", false, "mine", 0); err != nil {
		t.Errorf("disabling the own mapping: %v", err)
	}
	if ms := r.UPnPMappings(); len(ms) != 1 || ms[0].ExternalPort != 9000 {
		t.Errorf("mappings %v: want only 9000", ms)
	}
}

// TestGatewayTakenPort: a port a static dst-nat rule forwards on the
// external interface and address, or a router service listens on, is
// refused with 718 and the static rule keeps the traffic (review43
// finding 2). Controls: a rule on another interface, a disabled rule, a
// disabled service and another protocol leave the port free.
func TestGatewayTakenPort(t *testing.T) {
	r, m := router(t, setup+`/ip firewall nat add chain=dstnat action=dst-nat in-interface=ether1 protocol=tcp dst-port=443 to-addresses=127.0.0.20 comment=web
/ip firewall nat add chain=dstnat action=dst-nat dst-address=203.0.113.0/24 protocol=udp dst-port=5000-5100 to-addresses=127.0.0.21 comment=range
/ip firewall nat add chain=dstnat action=dst-nat in-interface=ether3 protocol=tcp dst-port=8443 to-addresses=127.0.0.22
/ip firewall nat add chain=dstnat action=dst-nat in-interface=ether1 protocol=tcp dst-port=8444 to-addresses=127.0.0.23 disabled=yes
/ip service set telnet disabled=yes
`)
	waitFor(t, "the gateway", func() bool { return m.HTTPAddr() != nil })
	c := client(t, "http://"+m.HTTPAddr().String()+"/rootDesc.xml")
	for _, p := range []struct {
		proto string
		port  uint16
	}{{"TCP", 443}, {"UDP", 5050}, {"TCP", 22}, {"TCP", 8291}} {
		if err := c.AddPortMapping("", p.port, p.proto, p.port, "127.0.0.1", true, "steal", 0); upnpCode(err) != "718" {
			t.Errorf("%s/%d: %v, want 718", p.proto, p.port, err)
		}
	}
	if ms := r.UPnPMappings(); len(ms) != 0 {
		t.Errorf("mappings %v: want none", ms)
	}
	for _, p := range []struct {
		proto string
		port  uint16
	}{{"TCP", 8443}, {"TCP", 8444}, {"TCP", 23}, {"UDP", 443}, {"UDP", 5101}} {
		if err := c.AddPortMapping("", p.port, p.proto, p.port, "127.0.0.1", true, "free", 0); err != nil {
			t.Errorf("%s/%d: %v, want it mapped", p.proto, p.port, err)
		}
	}
	if out := run(t, r, "/ip firewall nat print"); !strings.Contains(out, "web") {
		t.Errorf("static rule gone:\n%s", out)
	}
}

// blockingEngine holds AddUPnPMapping until release is closed.
type blockingEngine struct {
	*config.Router
	entered, release chan struct{}
}

func (e *blockingEngine) AddUPnPMapping(m config.UPnPMapping) error {
	close(e.entered)
	<-e.release
	return e.Router.AddUPnPMapping(m)
}

// TestGatewayStopWaits: stopping the gateway waits for a request that is
// adding a mapping, so the manager's clear after it cannot be overtaken
// (review43 finding 11).
func TestGatewayStopWaits(t *testing.T) {
	r := config.New(config.Options{Ports: []string{"ether1", "ether2", "ether3"}})
	run(t, r, setup)
	e := &blockingEngine{Router: r, entered: make(chan struct{}), release: make(chan struct{})}
	m := &Manager{Host: "127.0.0.1", HTTPPort: -1, SSDPPort: -1}
	stop, err := m.start(t.Context(), e, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, "http://"+m.HTTPAddr().String()+"/rootDesc.xml")
	go c.AddPortMapping("", 6000, "TCP", 6000, "127.0.0.1", true, "slow", 0)
	<-e.entered
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Error("stop returned while a request was adding a mapping")
	case <-time.After(200 * time.Millisecond):
	}
	close(e.release)
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("stop did not return after the request ended")
	}
}

// TestGatewayWANAddressGone: the external interface losing its address
// stops the gateway but keeps the mappings, which serve again once the
// address is back, on the new address when it changed; only enabled=no
// clears them (review43 finding 5).
func TestGatewayWANAddressGone(t *testing.T) {
	r, m := router(t, setup)
	waitFor(t, "the gateway", func() bool { return m.HTTPAddr() != nil })
	c := client(t, "http://"+m.HTTPAddr().String()+"/rootDesc.xml")
	if err := c.AddPortMapping("", 5000, "TCP", 5000, "127.0.0.1", true, "app", 0); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/ip address remove [find interface=ether1]")
	waitFor(t, "the gateway to stop", func() bool { return m.HTTPAddr() == nil })
	run(t, r, "/ip address add address=203.0.113.2/24 interface=ether1")
	waitFor(t, "the gateway", func() bool { return m.HTTPAddr() != nil })
	if ms := r.UPnPMappings(); len(ms) != 1 || ms[0].ExternalPort != 5000 {
		t.Errorf("mappings %v after the WAN address came back: want 5000 kept", ms)
	}
	// A new WAN address: the kept rule follows it.
	run(t, r, "/ip address set [find interface=ether1] address=198.51.100.9/24")
	waitFor(t, "the rule on the new address", func() bool {
		return strings.Contains(run(t, r, "/ip firewall nat print"), "dst-address=198.51.100.9 protocol=tcp dst-port=5000 in-interface=ether1")
	})
}

// TestGatewayInternalGone: the internal entry removed stops the gateway
// and drops the mappings of its clients, which could no longer renew or
// delete them (review43 finding 6); the WAN address gone keeps them
// (TestGatewayWANAddressGone).
func TestGatewayInternalGone(t *testing.T) {
	r, m := router(t, setup)
	waitFor(t, "the gateway", func() bool { return m.HTTPAddr() != nil })
	c := client(t, "http://"+m.HTTPAddr().String()+"/rootDesc.xml")
	if err := c.AddPortMapping("", 5000, "TCP", 5000, "127.0.0.1", true, "app", 0); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/ip upnp interfaces remove [find type=internal]")
	waitFor(t, "the mapping to go", func() bool { return m.HTTPAddr() == nil && len(r.UPnPMappings()) == 0 })
	if out := run(t, r, "/ip firewall nat print"); strings.Contains(out, "upnp") {
		t.Errorf("rule left:\n%s", out)
	}
}
