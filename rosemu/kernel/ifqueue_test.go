package kernel

import (
	"net/netip"
	"testing"
	"time"
)

// TestInterfaceQueueRate (forum36 G1): a CAKE interface queue's
// cake-bandwidth on the WAN port holds what the port sends (an upload) to
// that rate, measured; the download, which leaves by the LAN port, is not
// held (the control). With a simple queue too, the queues' HTB sits under
// the interface's token bucket and its lower limit still holds; without
// the interface queue the upload runs free again.
func TestInterfaceQueueRate(t *testing.T) {
	rateTest(t)
	dp, st, cli, inet := queueLab(t)
	up := flowSpec{cli: cli, srv: inet, src: "192.168.88.20", addr: "198.51.100.50:5341"}
	down := flowSpec{cli: cli, srv: inet, src: "192.168.88.21", addr: "198.51.100.50:5342", download: true}
	apply := func() {
		t.Helper()
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
	}
	st.InterfaceQueues = map[string]uint64{"ether1": 3e6}
	apply()
	r := measureRates(t, 2*time.Second, up)
	r = append(r, measureRates(t, 500*time.Millisecond, down)...) // the control: unshaped or not
	t.Logf("ether1 interface queue 3M: upload %.2f Mbit/s, download %.2f Mbit/s", r[0]/1e6, r[1]/1e6)
	if !within(r[0], 3e6, 0.7, 1.1) {
		t.Errorf("upload %.2f Mbit/s; want about 3 (the interface queue's rate)", r[0]/1e6)
	}
	if r[1] < 40e6 {
		t.Errorf("download %.2f Mbit/s; ether1's queue does not send it", r[1]/1e6)
	}

	st.Queues = []SimpleQueue{{Name: "host", Targets: []netip.Prefix{netip.MustParsePrefix("192.168.88.20/32")}, Upload: 1e6, Download: 8e6}}
	apply()
	r = measureRates(t, 2*time.Second, up)
	t.Logf("with a 1M simple queue under it: upload %.2f Mbit/s", r[0]/1e6)
	if !within(r[0], 1e6, 0.7, 1.15) {
		t.Errorf("upload %.2f Mbit/s; want about 1 (the simple queue under the interface queue)", r[0]/1e6)
	}

	st.Queues, st.InterfaceQueues = nil, nil
	apply()
	r = measureRates(t, 500*time.Millisecond, up)
	t.Logf("no interface queue: upload %.2f Mbit/s", r[0]/1e6)
	if r[0] < 40e6 {
		t.Errorf("upload %.2f Mbit/s after the interface queue was taken away", r[0]/1e6)
	}
}
