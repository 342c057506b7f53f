package kernel

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
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
// goodput in bit/s, measured at its receiver over the same d after the
// warmup: every connection is made first, then all senders start
// together, so that the windows line up (a flow that started alone took
// the whole queue for a while).
func measureRates(t *testing.T, d time.Duration, flows ...flowSpec) []float64 {
	t.Helper()
	conns := make([]*flowConn, len(flows))
	for i, f := range flows {
		c, err := connectFlow(f)
		if err != nil {
			t.Fatalf("transfer %d (%s -> %s, download %v): %v", i, f.src, f.addr, f.download, err)
		}
		defer c.close()
		conns[i] = c
	}
	start := time.Now()
	from, to := start.Add(rateWarmup), start.Add(rateWarmup+d)
	rates := make([]float64, len(flows))
	errs := make([]error, len(flows))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rates[i], errs[i] = c.run(from, to)
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

// flowConn is a transfer's connection, made and not yet sending.
type flowConn struct {
	ln               net.Listener
	sender, receiver net.Conn
	others           []net.Conn
}

func (c *flowConn) close() {
	c.ln.Close()
	for _, x := range c.others {
		x.Close()
	}
}

// connectFlow makes the connection of transfer f.
func connectFlow(f flowSpec) (*flowConn, error) {
	var ln net.Listener
	if err := inNetns(f.srv, func() (err error) { ln, err = net.Listen("tcp4", f.addr); return }); err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
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
		ln.Close()
		return nil, fmt.Errorf("dial: %w", err)
	}
	var sc net.Conn
	select {
	case c, ok := <-accepted:
		if !ok {
			ln.Close()
			cc.Close()
			return nil, errors.New("accept failed")
		}
		sc = c
	case <-time.After(3 * time.Second):
		ln.Close()
		cc.Close()
		return nil, errors.New("no connection accepted")
	}
	c := &flowConn{ln: ln, sender: cc, receiver: sc, others: []net.Conn{cc, sc}}
	if f.download {
		c.sender, c.receiver = sc, cc
	}
	return c, nil
}

// send writes until stop closes (run it in its own goroutine).
func (c *flowConn) send(stop <-chan struct{}) {
	buf := make([]byte, 32<<10)
	for {
		select {
		case <-stop:
			return
		default:
		}
		// A deadline, so that the sender sees stop while the queue
		// holds it back; one that passed is tried again.
		c.sender.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
		if _, err := c.sender.Write(buf); err != nil {
			if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
				return
			}
		}
	}
}

// run sends until to and returns the goodput the receiver saw between
// from and to: the slope of the bytes received against the time of each
// read, fitted by least squares, not the bytes between the window's two
// ends. On a loaded machine the packets reach the receiver in bunches: a
// bunch the shaper let out before the window but the kernel delivered
// just after its first read counts in it in full at the ends (4.58 Mbit/s
// for a 4 Mbit/s queue at a load of 40), while a fit over every read of
// the window barely moves for a step at either end. A shaper that lets
// through more or less moves every read and so the slope.
func (c *flowConn) run(from, to time.Time) (float64, error) {
	stop := make(chan struct{})
	go c.send(stop)
	defer close(stop)
	// Big enough that the first read in the window drains the socket:
	// a receiver the machine held back while bytes piled up would
	// otherwise count the bytes left over from before from in the window
	// (2.23 Mbit/s read for a 2 Mbit/s PCQ rate under load).
	buf := make([]byte, 4<<20)
	c.receiver.SetReadDeadline(to.Add(3 * time.Second))
	var (
		n     int64
		first time.Time
		// The received bytes since the first read in the window (y)
		// against the seconds since it (x), one point a read.
		sx, sy, sxx, sxy, pts float64
	)
	for {
		k, err := c.receiver.Read(buf)
		now := time.Now()
		if now.After(from) {
			if first.IsZero() {
				// The bytes of this read came before from.
				first = now
			} else {
				n += int64(k)
			}
			x, y := now.Sub(first).Seconds(), float64(n)
			sx, sy, sxx, sxy, pts = sx+x, sy+y, sxx+x*x, sxy+x*y, pts+1
		}
		if now.After(to) {
			den := pts*sxx - sx*sx
			if first.IsZero() || !now.After(first) || pts < 3 || den <= 0 {
				return 0, errors.New("nothing received in the window")
			}
			return (pts*sxy - sx*sy) / den * 8, nil
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
	rateTest(t)
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

	lanOnBridge(st)
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

// lanOnBridge puts queueLab's LAN port in bridge1 and the LAN's address
// on the bridge.
func lanOnBridge(st *State) {
	st.Bridges = []Bridge{{Name: "bridge1", ARP: "enabled", PVID: 1, FrameTypes: "admit-all",
		Ports: []BridgePort{{Interface: "ether2", PVID: 1, FrameTypes: "admit-all"}}}}
	for i, a := range st.Addresses {
		if a.Interface == "ether2" {
			st.Addresses[i].Interface = "bridge1"
		}
	}
	st.InterfaceLists["LAN"] = []string{"bridge1"}
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

// sum adds rates.
func sum(rs ...float64) float64 {
	t := 0.0
	for _, r := range rs {
		t += r
	}
	return t
}

// upFrom and downTo are transfers of a LAN host to and from the internet,
// on a port of their own.
func upFrom(cli, inet netns.NsHandle, src string, port int) flowSpec {
	return flowSpec{cli: cli, srv: inet, src: src, addr: fmt.Sprintf("198.51.100.50:%d", port)}
}

func downTo(cli, inet netns.NsHandle, dst string, port int) flowSpec {
	f := upFrom(cli, inet, dst, port)
	f.download = true
	return f
}

// TestSimpleQueuePCQRate: a simple queue of the LAN's two hosts with the
// PCQ types of RouterOS's defaults and a pcq-rate: each host gets its
// pcq-rate each way at once, measured with both sending together (the
// queue's max-limit is above their sum); a host outside the target is not
// shaped (the control). Without the PCQ types the two hosts share the
// queue's max-limit instead (the second control).
func TestSimpleQueuePCQRate(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	target := []netip.Prefix{netip.MustParsePrefix("192.168.88.20/31")}
	st.Queues = []SimpleQueue{{Name: "pcq", Targets: target, Upload: 20e6, Download: 20e6,
		UploadPCQ:   PCQ{On: true, Rate: 3e6, Classifier: []string{"src-address"}, SrcMask: 32, DstMask: 32},
		DownloadPCQ: PCQ{On: true, Rate: 5e6, Classifier: []string{"dst-address"}, SrcMask: 32, DstMask: 32}}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r := measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.20", 5311), upFrom(cli, inet, "192.168.88.21", 5312))
	t.Logf("pcq-rate=3M upload, two hosts at once: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	for i, x := range r {
		if !within(x, 3e6, 0.75, 1.1) {
			t.Errorf("upload of host %d: %.2f Mbit/s; want about 3 (pcq-rate)", i, x/1e6)
		}
	}
	r = measureRates(t, 1500*time.Millisecond, downTo(cli, inet, "192.168.88.20", 5313), downTo(cli, inet, "192.168.88.21", 5314))
	t.Logf("pcq-rate=5M download, two hosts at once: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	for i, x := range r {
		if !within(x, 5e6, 0.75, 1.1) {
			t.Errorf("download of host %d: %.2f Mbit/s; want about 5 (pcq-rate)", i, x/1e6)
		}
	}
	r = measureRates(t, 500*time.Millisecond, upFrom(cli, inet, "192.168.88.22", 5315))
	t.Logf("outside the target: %.2f Mbit/s", r[0]/1e6)
	if r[0] < 40e6 {
		t.Errorf("a host outside the target was held to %.2f Mbit/s", r[0]/1e6)
	}
	st.Queues[0].UploadPCQ, st.Queues[0].DownloadPCQ = PCQ{}, PCQ{}
	st.Queues[0].Upload = 8e6
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	wantShared8M(t, "no PCQ, max-limit=8M", measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.20", 5316), upFrom(cli, inet, "192.168.88.21", 5317)))
}

// wantShared8M is the control of the PCQ tests: without PCQ two hosts
// share the queue's 8M as TCP gives it out, one of them above the 3M
// pcq-rate held each to.
func wantShared8M(t *testing.T, what string, r []float64) {
	t.Helper()
	t.Logf("%s: %.2f and %.2f Mbit/s", what, r[0]/1e6, r[1]/1e6)
	if !within(sum(r...), 8e6, 0.75, 1.1) || max(r[0], r[1]) < 3.3e6 {
		t.Errorf("%s: the hosts got %.2f and %.2f Mbit/s; want 8 together, one above pcq-rate", what, r[0]/1e6, r[1]/1e6)
	}
}

// TestSimpleQueuePCQShare: with pcq-rate=0 the sub-streams share the
// queue's max-limit equally: one host alone gets all of it, and a host with
// four connections and one with a single connection get half each, where
// one FIFO queue (the control) gives the four connections most of it.
func TestSimpleQueuePCQShare(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	lan := []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24")}
	st.Queues = []SimpleQueue{{Name: "share", Targets: lan, Upload: 8e6, Download: 8e6,
		UploadPCQ: PCQ{On: true, Classifier: []string{"src-address"}, SrcMask: 32, DstMask: 32}}}
	t0 := time.Now()
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	t.Logf("Apply with 256 sub-stream classes on each of 3 ports: %v", time.Since(t0))
	r := measureRates(t, 1500*time.Millisecond, upFrom(cli, inet, "192.168.88.20", 5321))
	t.Logf("pcq-rate=0, one host alone: %.2f Mbit/s", r[0]/1e6)
	if !within(r[0], 8e6, 0.75, 1.1) {
		t.Errorf("one host alone: %.2f Mbit/s; want about 8 (max-limit)", r[0]/1e6)
	}
	flows := []flowSpec{upFrom(cli, inet, "192.168.88.21", 5322)}
	for p := 5323; p < 5327; p++ {
		flows = append(flows, upFrom(cli, inet, "192.168.88.20", p))
	}
	r = measureRates(t, 2*time.Second, flows...)
	one, four := r[0], sum(r[1:]...)
	t.Logf("pcq-rate=0, one connection of .21 against four of .20: %.2f and %.2f Mbit/s", one/1e6, four/1e6)
	if !within(one, 4e6, 0.7, 1.3) || !within(four, 4e6, 0.7, 1.3) {
		t.Errorf("shared: .21 %.2f, .20 %.2f Mbit/s; want about 4 each", one/1e6, four/1e6)
	}
	st.Queues[0].UploadPCQ = PCQ{}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r = measureRates(t, 2*time.Second, flows...)
	one, four = r[0], sum(r[1:]...)
	t.Logf("one FIFO: one connection of .21 against four of .20: %.2f and %.2f Mbit/s", one/1e6, four/1e6)
	if one > 0.6*four {
		t.Errorf("without PCQ the single connection got %.2f of %.2f Mbit/s; the control shows nothing", one/1e6, (one+four)/1e6)
	}
}

// TestQueueTreePCQ: a leaf with a PCQ type of pcq-rate=3M under the LAN
// port's tree gives each LAN host its 3 Mbit/s of download at once; the
// same tree without the PCQ type gives them the parent's 8M together.
func TestQueueTreePCQ(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	st.Mangle = []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=down", "out-interface=ether2", "passthrough=no")}
	st.TreeQueues = []TreeQueue{
		{Name: "lan", Parent: "ether2", MaxLimit: 8e6, Priority: 8},
		{Name: "down", Parent: "lan", PacketMarks: []string{"down"}, Priority: 8,
			PCQ: PCQ{On: true, Rate: 3e6, Classifier: []string{"dst-address"}, SrcMask: 32, DstMask: 32}},
	}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	r := measureRates(t, 1500*time.Millisecond, downTo(cli, inet, "192.168.88.20", 5331), downTo(cli, inet, "192.168.88.21", 5332))
	t.Logf("tree pcq-rate=3M under max-limit=8M: %.2f and %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	for i, x := range r {
		if !within(x, 3e6, 0.75, 1.1) {
			t.Errorf("download of host %d: %.2f Mbit/s; want about 3 (pcq-rate)", i, x/1e6)
		}
	}
	st.TreeQueues[1].PCQ = PCQ{}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	wantShared8M(t, "tree without PCQ", measureRates(t, 1500*time.Millisecond, downTo(cli, inet, "192.168.88.20", 5333), downTo(cli, inet, "192.168.88.21", 5334)))
}

// TestRenderPCQ: the chains pick a PCQ queue's child by the classifier's
// bits under the mask (a /24 target with mask 32: the last octet, 256
// children; a /16 with mask 24: the third octet), by a hash for ports and
// several fields, and the class itself for an empty classifier.
func TestRenderPCQ(t *testing.T) {
	t.Parallel()
	st := baseState()
	st.Queues = []SimpleQueue{
		{Name: "lan", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.0/24")}, Upload: 1e6, Download: 2e6,
			UploadPCQ:   PCQ{On: true, Classifier: []string{"src-address"}, SrcMask: 32, DstMask: 32},
			DownloadPCQ: PCQ{On: true, Classifier: []string{"dst-address"}, SrcMask: 32, DstMask: 24}},
		{Name: "big", Targets: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}, Upload: 1e6,
			UploadPCQ: PCQ{On: true, Classifier: []string{"src-address"}, SrcMask: 24, DstMask: 32}},
		{Name: "ports", Interfaces: []string{"ether2"}, Upload: 1e6, Download: 1e6,
			UploadPCQ:   PCQ{On: true, Classifier: []string{"src-address", "dst-port"}, SrcMask: 24, DstMask: 32},
			DownloadPCQ: PCQ{On: true, Rate: 1e6}},
	}
	text, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`ip saddr { 192.168.88.0/24 } meta priority set ip saddr & 0.0.0.255 map { 0.0.0.0 : 7a:8000, 0.0.0.1 : 7a:8001,`,
		`0.0.0.255 : 7a:80ff } accept comment "lan upload"`,
		// The download's mask 24 leaves one sub-stream in a /24.
		`ip daddr { 192.168.88.0/24 } meta priority set 7a:8100 accept comment "lan download"`,
		`ip saddr { 10.0.0.0/16 } meta priority set ip saddr & 0.0.255.0 map { 0.0.0.0 : 7a:8101, 0.0.1.0 : 7a:8102,`,
		`iifname { "ether2" } meta priority set jhash ip saddr & 255.255.255.0 . th dport mod 64 seed 0x0 offset 0x7a8201 accept`,
		`oifname { "ether2" } meta priority set 7a:8241 accept`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	nftCheck(t, text)
}

// nftCheck has nft check the text in a namespace of its own (as root,
// when nft is there).
func nftCheck(t *testing.T, text string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	if _, err := exec.LookPath("nft"); err != nil {
		return
	}
	ns := nsName("pcq")
	if err := exec.Command("ip", "netns", "add", ns).Run(); err != nil {
		return
	}
	defer exec.Command("ip", "netns", "del", ns).Run()
	cmd := exec.Command("ip", "netns", "exec", ns, "nft", "-c", "-f", "-")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("nft refuses the text: %v: %s", err, out)
	}
}
