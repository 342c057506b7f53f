package kernel

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// The queues' rates measured with real traffic: a TCP transfer through
// the router, its goodput taken at the receiver.

// flowSpec is one transfer: the client in cli (bound to src) connects to
// a listener on srv's addr; with download, the listener sends and the
// client receives (what the internet sends to a LAN host), else the client
// sends (its upload).
type flowSpec struct {
	cli, srv netns.NsHandle
	src      string
	addr     string
	download bool
}

// rateWarmup is left out of each measurement: TCP's slow start, and the
// first bytes an empty HTB class lets through at once (its burst).
const rateWarmup = 700 * time.Millisecond

// measureRates runs the transfers at once for d and returns each one's
// goodput in bit/s, measured at its receiver over d after the warmup.
func measureRates(t *testing.T, d time.Duration, flows ...flowSpec) []float64 {
	t.Helper()
	rates := make([]float64, len(flows))
	errs := make([]error, len(flows))
	var wg sync.WaitGroup
	for i, f := range flows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rates[i], errs[i] = measureRate(f, d)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("transfer %d (%s -> %s, download %v): %v", i, flows[i].src, flows[i].addr, flows[i].download, err)
		}
	}
	return rates
}

// measureRate is one transfer of measureRates.
func measureRate(f flowSpec, d time.Duration) (float64, error) {
	var ln net.Listener
	if err := inNetns(f.srv, func() (err error) { ln, err = net.Listen("tcp4", f.addr); return }); err != nil {
		return 0, fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	var cc net.Conn
	err := inNetns(f.cli, func() (err error) {
		dl := net.Dialer{Timeout: 2 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(f.src)}}
		cc, err = dl.Dial("tcp4", f.addr)
		return
	})
	if err != nil {
		return 0, fmt.Errorf("dial: %w", err)
	}
	defer cc.Close()
	var sc net.Conn
	select {
	case c, ok := <-accepted:
		if !ok {
			return 0, errors.New("accept failed")
		}
		sc = c
	case <-time.After(3 * time.Second):
		return 0, errors.New("no connection accepted")
	}
	defer sc.Close()
	sender, receiver := cc, sc
	if f.download {
		sender, receiver = sc, cc
	}
	stop := make(chan struct{})
	go func() {
		buf := make([]byte, 32<<10)
		for {
			select {
			case <-stop:
				return
			default:
			}
			// A deadline, so that the sender sees stop while the
			// queue holds it back; one that passed is tried again.
			sender.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
			if _, err := sender.Write(buf); err != nil {
				if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
					return
				}
			}
		}
	}()
	defer close(stop)
	buf := make([]byte, 64<<10)
	receiver.SetReadDeadline(time.Now().Add(d + rateWarmup + 3*time.Second))
	var start, from time.Time
	var n int64
	for {
		k, err := receiver.Read(buf)
		now := time.Now()
		if k > 0 && start.IsZero() {
			start = now
		}
		if !start.IsZero() && now.Sub(start) >= rateWarmup {
			if from.IsZero() {
				from = now
			} else {
				n += int64(k)
			}
			if now.Sub(from) >= d {
				return float64(n) * 8 / now.Sub(from).Seconds(), nil
			}
		}
		if err != nil {
			if err == io.EOF {
				err = errors.New("the sender closed early")
			}
			return 0, err
		}
	}
}

// within reports whether got is within [lo, hi] times want.
func within(got, want, lo, hi float64) bool { return got >= lo*want && got <= hi*want }

// queueLab is dualDataplane's router with the PCC mangle, the second
// WAN's routes and the fasttrack rule taken away: LAN connections leave by
// ether1, and the queues see every packet. The internet answers on
// 198.51.100.50.
func queueLab(t *testing.T) (*Dataplane, *State, netns.NsHandle, netns.NsHandle) {
	dp, _, _, wn, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	for i, r := range st.Filter {
		if r.Props["action"] == "fasttrack-connection" {
			st.Filter = append(st.Filter[:i:i], st.Filter[i+1:]...)
			break
		}
	}
	return dp, st, cli, nsHandle(t, wn)
}

// TestSimpleQueueInterfaceTarget: a queue whose target is the LAN port
// holds what enters by it (upload) and what leaves by it (download) to its
// max-limit, measured; the same queue on the second WAN, which this
// traffic does not cross, leaves it at full speed (the control). With the
// LAN port in a bridge the routed packets are the bridge's: target=bridge
// holds them, a target naming the port catches none.
func TestSimpleQueueInterfaceTarget(t *testing.T) {
	dp, st, cli, inet := queueLab(t)
	up := flowSpec{cli: cli, srv: inet, src: "192.168.88.20", addr: "198.51.100.50:5301"}
	down := flowSpec{cli: cli, srv: inet, src: "192.168.88.21", addr: "198.51.100.50:5302", download: true}
	apply := func(q SimpleQueue) {
		t.Helper()
		st.Queues = []SimpleQueue{q}
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
	}
	apply(SimpleQueue{Name: "lan", Interfaces: []string{"ether2"}, Upload: 4e6, Download: 8e6})
	r := measureRates(t, 1500*time.Millisecond, up)
	r = append(r, measureRates(t, 1500*time.Millisecond, down)...)
	t.Logf("target=ether2 max-limit=4M/8M: upload %.2f Mbit/s, download %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if !within(r[0], 4e6, 0.75, 1.1) || !within(r[1], 8e6, 0.75, 1.1) {
		t.Errorf("target=ether2: upload %.2f, download %.2f Mbit/s; want about 4 and 8", r[0]/1e6, r[1]/1e6)
	}
	apply(SimpleQueue{Name: "wan2", Interfaces: []string{"ether3"}, Upload: 4e6, Download: 8e6})
	r = measureRates(t, 500*time.Millisecond, up)
	t.Logf("target=ether3 (not crossed): upload %.2f Mbit/s", r[0]/1e6)
	if r[0] < 40e6 {
		t.Errorf("target=ether3 held the LAN's upload to %.2f Mbit/s; it does not cross ether3", r[0]/1e6)
	}
	// A queue with both kinds of targets: the other host by address, the
	// second WAN by interface; the client's .22 is neither.
	apply(SimpleQueue{Name: "mixed", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.20/32")}, Interfaces: []string{"ether3"}, Upload: 4e6, Download: 8e6})
	other := up
	other.src, other.addr = "192.168.88.22", "198.51.100.50:5303"
	r = measureRates(t, 1500*time.Millisecond, up)
	r = append(r, measureRates(t, 500*time.Millisecond, other)...)
	t.Logf("target=192.168.88.20/32,ether3: .20 upload %.2f Mbit/s, .22 %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if !within(r[0], 4e6, 0.75, 1.1) || r[1] < 40e6 {
		t.Errorf("mixed targets: .20 %.2f Mbit/s (want about 4), .22 %.2f (want unshaped)", r[0]/1e6, r[1]/1e6)
	}

	// The LAN port in a bridge, the LAN's address on the bridge.
	st.Bridges = []Bridge{{Name: "bridge1", ARP: "enabled", PVID: 1, FrameTypes: "admit-all",
		Ports: []BridgePort{{Interface: "ether2", PVID: 1, FrameTypes: "admit-all"}}}}
	for i, a := range st.Addresses {
		if a.Interface == "ether2" {
			st.Addresses[i].Interface = "bridge1"
		}
	}
	st.InterfaceLists["LAN"] = []string{"bridge1"}
	apply(SimpleQueue{Name: "bridge", Interfaces: []string{"bridge1"}, Upload: 4e6, Download: 8e6})
	wantWAN(t, cli, "203.0.113.2")
	r = measureRates(t, 1500*time.Millisecond, up)
	r = append(r, measureRates(t, 1500*time.Millisecond, down)...)
	t.Logf("target=bridge1: upload %.2f Mbit/s, download %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if !within(r[0], 4e6, 0.75, 1.1) || !within(r[1], 8e6, 0.75, 1.1) {
		t.Errorf("target=bridge1: upload %.2f, download %.2f Mbit/s; want about 4 and 8", r[0]/1e6, r[1]/1e6)
	}
	apply(SimpleQueue{Name: "port", Interfaces: []string{"ether2"}, Upload: 4e6, Download: 8e6})
	r = measureRates(t, 500*time.Millisecond, up)
	t.Logf("target=ether2 as a bridge port: upload %.2f Mbit/s", r[0]/1e6)
	if r[0] < 40e6 {
		t.Errorf("a bridge port as target held routed traffic to %.2f Mbit/s; the bridge carries it", r[0]/1e6)
	}
}

// TestRenderQueueInterfaces: interface targets match the interface a
// packet came in by (upload) and leaves by (download), after the address
// targets of the same direction; a long RouterOS name is the kernel's link
// name.
func TestRenderQueueInterfaces(t *testing.T) {
	st := baseState()
	st.Queues = []SimpleQueue{
		{Name: "mixed", Targets: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, Interfaces: []string{"ether2", "bridge"}, Upload: 1e6, Download: 2e6},
		{Name: "long", Interfaces: []string{"ether2 - LAN office"}, Upload: 1e6},
	}
	text, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`ip saddr { 10.0.0.0/8 } meta priority set 7a:10 accept comment "mixed upload"`,
		`iifname { "ether2", "bridge" } meta priority set 7a:10 accept comment "mixed upload"`,
		`ip daddr { 10.0.0.0/8 } meta priority set 7a:11 accept comment "mixed download"`,
		`oifname { "ether2", "bridge" } meta priority set 7a:11 accept comment "mixed download"`,
		`iifname { "` + LinkName("ether2 - LAN office") + `" } meta priority set 7a:12 accept`,
	}
	last := -1
	for _, want := range lines {
		i := strings.Index(text, want)
		if i < 0 {
			t.Errorf("no %q in:\n%s", want, text)
			continue
		}
		if i < last {
			t.Errorf("%q out of order in:\n%s", want, text)
		}
		last = i
	}
}
