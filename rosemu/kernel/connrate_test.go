package kernel

import (
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ti-mo/conntrack"
	"github.com/vishvananda/netns"
)

// paced sends size bytes every every from ns to dst (tcp4 or udp4) until
// the test ends; the receiver in srv throws them away.
func paced(t *testing.T, cli, srv netns.NsHandle, network, src, dst string, size int, every time.Duration) {
	t.Helper()
	switch network {
	case "tcp4":
		acceptIn(t, srv, network, dst, func(c net.Conn) { go func() { defer c.Close(); io.Copy(io.Discard, c) }() })
	case "udp4":
		var pc net.PacketConn
		if err := inNetns(srv, func() (err error) { pc, err = net.ListenPacket(network, dst); return }); err != nil {
			t.Fatalf("listen on %s: %v", dst, err)
		}
		t.Cleanup(func() { pc.Close() })
		go func() {
			buf := make([]byte, 65536)
			for {
				if _, _, err := pc.ReadFrom(buf); err != nil {
					return
				}
			}
		}()
	}
	var c net.Conn
	err := inNetns(cli, func() (err error) {
		d := net.Dialer{Timeout: 2 * time.Second}
		if network == "tcp4" {
			d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
		} else {
			d.LocalAddr = &net.UDPAddr{IP: net.ParseIP(src)}
		}
		c, err = d.Dial(network, dst)
		return
	})
	if err != nil {
		t.Fatalf("connect %s %s -> %s: %v", network, src, dst, err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	t.Cleanup(func() { close(stop); <-done; c.Close() })
	go func() {
		defer close(done)
		buf := make([]byte, size)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			c.SetWriteDeadline(time.Now().Add(time.Second))
			if _, err := c.Write(buf); err != nil && network == "tcp4" {
				return
			}
		}
	}()
}

// TestConnectionRateMeasured: connection-rate matches by each connection's
// rate over the last second, as RouterOS measures it. A fast TCP
// connection (about 8 Mbit/s) and a slow UDP one (about 5 kbit/s) cross
// the router; passthrough rules in mangle forward count, per connection,
// what each range matches. In the fast one's first second its rate reads
// 0: 0-100k matches it, 200k-100M does not. Once measured, 0-100k matches
// only the slow one, 200k-100M (both ends inside) and !0-100k only the
// fast one, and the control, 20M-100M, which neither falls in, matches
// nothing. An unrelated reload (an address list) changes none of it.
func TestConnectionRateMeasured(t *testing.T) {
	rateTest(t)
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	st := baseState()
	// Fasttracked packets skip mangle, on RouterOS as here.
	st.Filter = dropAction(st.Filter, "fasttrack-connection")
	type rr struct{ id, rate, proto, port string }
	rules := []rr{
		{"*61", "0-100k", "tcp", "5401"}, {"*62", "0-100k", "udp", "5402"},
		{"*63", "200k-100M", "tcp", "5401"}, {"*64", "200k-100M", "udp", "5402"},
		{"*65", "!0-100k", "tcp", "5401"}, {"*66", "!0-100k", "udp", "5402"},
		{"*67", "20M-100M", "tcp", "5401"}, {"*68", "20M-100M", "udp", "5402"},
	}
	var ids []string
	for _, r := range rules {
		st.Mangle = append(st.Mangle, rule(r.id, "chain=forward", "action=passthrough", "connection-rate="+r.rate,
			"protocol="+r.proto, "dst-port="+r.port))
		ids = append(ids, r.id)
	}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	cli, peer := nsHandle(t, l.c), nsHandle(t, l.w)
	paced(t, cli, peer, "udp4", "192.168.88.20", "198.51.100.50:5402", 100, 200*time.Millisecond)
	paced(t, cli, peer, "tcp4", "192.168.88.20", "198.51.100.50:5401", 10000, 10*time.Millisecond)
	counts := func() map[string]uint64 {
		t.Helper()
		c, err := dp.RuleCounters()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]uint64{}
		for _, id := range ids {
			out[id] = c[id].Packets
		}
		return out
	}
	time.Sleep(700 * time.Millisecond)
	first := counts()
	t.Logf("first 0.7 s: %v", first)
	if first["*61"] == 0 || first["*63"] != 0 || first["*65"] != 0 {
		t.Errorf("the fast connection's first second: 0-100k counted %d, 200k-100M %d, !0-100k %d packets; want >0, 0, 0 (it reads 0 until measured)",
			first["*61"], first["*63"], first["*65"])
	}
	time.Sleep(2500 * time.Millisecond)
	if err := dp.ResetCounters(ids); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	// An unrelated change reloads the table; the sets and what they hold
	// stay.
	st.AddressLists["wan-ip"] = []AddrEntry{prefix("203.0.113.2/32")}
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with an address list: %v", err)
	}
	time.Sleep(1500 * time.Millisecond)
	got := counts()
	t.Logf("measured, 3 s: %v", got)
	want := map[string]bool{"*61": false, "*62": true, "*63": true, "*64": false, "*65": true, "*66": false, "*67": false, "*68": false}
	for _, r := range rules {
		conn := "the fast TCP connection"
		if r.proto == "udp" {
			conn = "the slow UDP connection"
		}
		if (got[r.id] > 0) != want[r.id] {
			t.Errorf("connection-rate=%s on %s counted %d packets; want matched=%v", r.rate, conn, got[r.id], want[r.id])
		}
	}
	if e := dp.ConnRateError(); e != "" {
		t.Errorf("sampler: %s", e)
	}
	// Without rules with connection-rate the sampler stops.
	st.Mangle = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	dp.mu.Lock()
	running := dp.rates != nil
	dp.mu.Unlock()
	if running {
		t.Error("the sampler runs with no connection-rate rule")
	}
	if out, _ := dp.Ruleset(); strings.Contains(out, "cr_") {
		t.Errorf("a connection-rate set outlived its rule:\n%s", out)
	}
}

// TestConnectionRateScale: the sampler's second with 30000 connections in
// the table (entries made over ctnetlink): one dump, then every connection
// joining a rule's set in one nft transaction, then a tenth of them
// leaving. It times them; the bound is loose (a busy machine), the log
// has the figures.
func TestConnectionRateScale(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 30000 conntrack entries")
	}
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	st := baseState()
	st.Mangle = []Rule{rule("*71", "chain=forward", "action=passthrough", "connection-rate=200k-100M")}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	ct, err := dp.dialConntrack()
	if err != nil {
		t.Fatal(err)
	}
	defer ct.Close()
	const n = 30000
	src := netip.MustParseAddr("192.168.88.20")
	for i := 0; i < n; i++ {
		dst := netip.AddrFrom4([4]byte{198, 51, byte(100 + i/60000), byte(i % 250)})
		f := conntrack.NewFlow(17, 0, src, dst, uint16(1024+i%60000), 53, 600, 0)
		if err := ct.Create(f); err != nil {
			t.Fatalf("create entry %d: %v", i, err)
		}
	}
	t0 := time.Now()
	samples, err := dumpSamples(ct)
	dump := time.Since(t0)
	// Connections that share a ct id (a 32-bit hash) are left out.
	if err != nil || len(samples) < n*99/100 {
		t.Fatalf("dump: %d entries, %v", len(samples), err)
	}
	dp.mu.Lock()
	s := dp.rates
	s.prev, s.rates = samples, map[uint32]uint64{}
	for id := range samples {
		s.rates[id] = 1e6
	}
	t0 = time.Now()
	dp.publishRates()
	all := time.Since(t0)
	k := 0
	for id := range s.rates {
		if k%10 == 0 {
			s.rates[id] = 0
		}
		k++
	}
	t0 = time.Now()
	dp.publishRates()
	some := time.Since(t0)
	members, e := len(s.sets["cr__2a71"].members), s.err()
	// Under d.mu: the sampler's next second would empty the set (the
	// entries carry no traffic).
	out, err := run(dp.ns, "", dp.nft, "list", "set", "ip", TableName, "cr__2a71")
	dp.mu.Unlock()
	t.Logf("%d connections: dump %v, all joining the set %v, a tenth leaving %v", len(samples), dump, all, some)
	if want := len(samples) - (len(samples)+9)/10; e != "" || members != want {
		t.Errorf("set holds %d, want %d; error %q", members, want, e)
	}
	if err != nil || strings.Count(out, ",")+1 < members {
		t.Errorf("the kernel's set: %d elements, want %d (%v)", strings.Count(out, ",")+1, members, err)
	}
	if dump+all+some > 5*time.Second {
		t.Errorf("a second's work took %v", dump+all+some)
	}
}

// TestConnectionRateSamples: a connection is measured from its second
// dump on, over the time between the dumps; one whose id now names
// another connection, or whose count went back, starts again; a rate above
// RouterOS's scale reads its top, so A-4294967295 takes a 10 Gbit/s
// connection.
func TestConnectionRateSamples(t *testing.T) {
	k := func(port uint16) ctKey {
		return ctKey{proto: 6, src: netip.AddrPortFrom(netip.MustParseAddr("192.168.88.20"), port),
			dst: netip.MustParseAddrPort("198.51.100.50:80")}
	}
	var s rateSampler
	t0 := time.Unix(1000, 0)
	s.measure(map[uint32]ctSample{1: {k(1), 100}, 2: {k(2), 100}, 3: {k(3), 100}}, t0)
	if len(s.rates) != 0 {
		t.Errorf("first dump measured %v", s.rates)
	}
	s.measure(map[uint32]ctSample{1: {k(1), 100 + 12500}, 2: {k(9), 5000}, 3: {k(3), 50}, 4: {k(4), 1e6}, 5: {k(5), 0}}, t0.Add(500*time.Millisecond))
	if len(s.rates) != 1 || s.rates[1] != 200e3 {
		t.Errorf("rates %v; want only 1 at 200k (12500 bytes in 0.5 s)", s.rates)
	}
	s.measure(map[uint32]ctSample{5: {k(5), 2e9}}, t0.Add(1500*time.Millisecond))
	top, _ := parseConnRate("2M-4294967295")
	if s.rates[5] != maxConnRate || !top.matches(s.rates[5]) {
		t.Errorf("16 Gbit/s read %d; want the top of the scale, within 2M-4294967295", s.rates[5])
	}
}

// TestConnectionRateFaultTold (its sampler's second shortened to 0.2 s):
// a sampler that cannot update the sets (nft
// fails, injected by pointing the Dataplane at /bin/false) tells
// OnConnRate once, with the failure and when it began, though it fails
// every second; once nft works again it tells that too. Before the
// injection (the control) it tells nothing.
func TestConnectionRateFaultTold(t *testing.T) {
	rateTest(t)
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	dp.rateEvery = 200 * time.Millisecond
	faults := make(chan ConnRateFault, 10)
	dp.OnConnRate(func(f ConnRateFault) { faults <- f })
	st := baseState()
	st.Mangle = append(st.Mangle, rule("*61", "chain=forward", "action=passthrough", "connection-rate=0-100k", "protocol=tcp"))
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	select {
	case f := <-faults:
		t.Fatalf("a working sampler told %+v", f)
	case <-time.After(500 * time.Millisecond):
	}
	dp.mu.Lock()
	nft := dp.nft
	dp.nft = "/bin/false"
	for _, rs := range dp.rates.sets {
		rs.known = false // so that the next second writes the set
	}
	dp.mu.Unlock()
	began := time.Now()
	var f ConnRateFault
	select {
	case f = <-faults:
	case <-time.After(time.Second):
		t.Fatal("the failing sampler told nothing")
	}
	if !strings.Contains(f.Err, "update the connection-rate sets") || f.Since.Before(began) {
		t.Errorf("fault %+v; want the sets' update failing since after %s", f, began.Format(time.StampMilli))
	}
	if e := dp.ConnRateError(); e == "" {
		t.Error("ConnRateError is empty while the sampler fails")
	}
	dp.mu.Lock()
	dp.nft = nft
	dp.mu.Unlock()
	select {
	case r := <-faults:
		if r.Err != "" || !r.Since.Equal(f.Since) {
			t.Errorf("after nft works again: %+v; want the recovery of the failure since %s", r, f.Since.Format(time.StampMilli))
		}
	case <-time.After(time.Second):
		t.Fatal("the sampler did not tell that it works again")
	}
}
