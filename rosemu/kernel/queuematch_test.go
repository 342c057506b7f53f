package kernel

import (
	"net/netip"
	"testing"
	"time"
)

// TestSimpleQueueDstAndMarks: a simple queue's dst= and packet-marks= are
// further matches: with packet-marks=bulk (mangle marks TCP to port 5331)
// the marked upload is held to 4M and the unmarked one to 5332 (the
// control) is not; with dst= the internet server's address the upload is
// held, with dst= another address (the control) it is not.
func TestSimpleQueueDstAndMarks(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	target := []netip.Prefix{netip.MustParsePrefix("192.168.88.20/32")}
	marked := flowSpec{cli: cli, srv: inet, src: "192.168.88.20", addr: "198.51.100.50:5331"}
	other := flowSpec{cli: cli, srv: inet, src: "192.168.88.20", addr: "198.51.100.50:5332"}
	st.Mangle = []Rule{rule("*1", "chain=forward", "action=mark-packet", "new-packet-mark=bulk", "protocol=tcp", "dst-port=5331", "passthrough=no")}
	apply := func(q SimpleQueue) {
		t.Helper()
		q.Name, q.Targets, q.Upload, q.Download = "q", target, 4e6, 4e6
		st.Queues = []SimpleQueue{q}
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, f flowSpec, shaped bool) {
		t.Helper()
		// A control only tells the queue's 4M from a flow it does not
		// hold (hundreds of Mbit/s): half a second after the warmup, as
		// TestSimpleQueueInterfaceTarget's controls; a rate 1.5 s.
		d := 1500 * time.Millisecond
		if !shaped {
			d = 500 * time.Millisecond
		}
		r := measureRates(t, d, f)[0]
		t.Logf("%s: %.2f Mbit/s", what, r/1e6)
		if shaped && !within(r, 4e6, 0.75, 1.1) {
			t.Errorf("%s: %.2f Mbit/s; want about 4", what, r/1e6)
		}
		if !shaped && r < 40e6 {
			t.Errorf("%s: %.2f Mbit/s; want unshaped", what, r/1e6)
		}
	}
	apply(SimpleQueue{PacketMarks: []string{"bulk"}})
	check("packet-marks=bulk, marked upload", marked, true)
	check("packet-marks=bulk, unmarked upload", other, false)
	apply(SimpleQueue{Dst: []netip.Prefix{netip.MustParsePrefix("198.51.100.50/32")}})
	check("dst=198.51.100.50", other, true)
	apply(SimpleQueue{Dst: []netip.Prefix{netip.MustParsePrefix("198.51.100.99/32")}})
	check("dst=198.51.100.99 (not the server)", other, false)
	apply(SimpleQueue{DstInterfaces: []string{"ether1"}})
	check("dst=ether1 (the upload leaves by it)", other, true)
	apply(SimpleQueue{DstInterfaces: []string{"ether3"}})
	check("dst=ether3 (not crossed)", other, false)
}
