package agentcmd

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// fakeTable is a router's connection table of a fixed capacity (0: none): a flow's first
// datagram makes its entry when there is room and is dropped (a timeout) when there is not; a flow
// with an entry is always answered.
type fakeTable struct {
	mu       sync.Mutex
	capacity int
	entries  map[int]bool
}

type fakeTimeout struct{}

func (fakeTimeout) Error() string   { return "i/o timeout" }
func (fakeTimeout) Timeout() bool   { return true }
func (fakeTimeout) Temporary() bool { return true }

func (t *fakeTable) open(_ context.Context, port int, _ string) (fillConn, error) {
	return fakeConn{t, port}, nil
}

type fakeConn struct {
	t    *fakeTable
	port int
}

func (c fakeConn) ask(time.Time) error {
	c.t.mu.Lock()
	defer c.t.mu.Unlock()
	if c.t.entries[c.port] {
		return nil
	}
	if c.t.capacity > 0 && len(c.t.entries) >= c.t.capacity {
		return fakeTimeout{}
	}
	c.t.entries[c.port] = true
	return nil
}

func (fakeConn) close() {}

func fastFill(flows, capacity int) (probe.Result, *fakeTable) {
	t := &fakeTable{capacity: capacity, entries: map[int]bool{}}
	o := fillOptions{to: "192.0.2.1:12566", flows: flows, rate: 2000, established: 3, newFlows: 10,
		timeout: 50 * time.Millisecond, firstPort: 30000, assure: 30 * time.Millisecond, every: 10 * time.Millisecond}
	return probeFill(context.Background(), o, t), t
}

func TestProbeFillFull(t *testing.T) {
	r, tbl := fastFill(20, 12)
	if r.Result != probe.OK {
		t.Fatalf("result %s: %s", r.Result, r.Error)
	}
	// 3 established entries, then 9 of the 20 fill flows fit; none of the new ones does.
	if r.Sent != 20 || r.Received != 9 || r.Assured != 9 {
		t.Errorf("fill: sent %d received %d assured %d, want 20 9 9", r.Sent, r.Received, r.Assured)
	}
	if r.NewFlows != 10 || r.NewAnswered != 0 {
		t.Errorf("new flows: %d of %d answered, want 0 of 10", r.NewAnswered, r.NewFlows)
	}
	if r.Established != 3 || r.EstablishedSent == 0 || r.EstablishedAnswered != r.EstablishedSent {
		t.Errorf("established: %d flows, %d of %d datagrams answered, want all of them", r.Established, r.EstablishedAnswered, r.EstablishedSent)
	}
	if len(tbl.entries) != 12 {
		t.Errorf("the table holds %d entries, want its capacity 12", len(tbl.entries))
	}
	if !strings.Contains(r.Error, "timeout") {
		t.Errorf("error %q does not name the first dropped flow", r.Error)
	}
}

// The control: a table with room for everything answers every flow.
func TestProbeFillRoom(t *testing.T) {
	r, _ := fastFill(20, 0)
	if r.Received != 20 || r.Assured != 20 || r.NewAnswered != 10 || r.EstablishedAnswered != r.EstablishedSent || r.Error != "" {
		t.Errorf("no limit: %+v", r)
	}
}

func TestFillOptionsCheck(t *testing.T) {
	good := fillOptions{flows: 300, rate: 500, established: 4, newFlows: 50, timeout: time.Second}
	if err := good.check(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mod  func(*fillOptions)
		want string
	}{
		{func(o *fillOptions) { o.flows = 0 }, "--flows 0"},
		{func(o *fillOptions) { o.flows = maxFillFlows + 1 }, "--flows"},
		{func(o *fillOptions) { o.rate = 0 }, "--rate"},
		{func(o *fillOptions) { o.flows, o.rate = 20000, 100 }, "more than 60s"},
		{func(o *fillOptions) { o.established = 0 }, "--established"},
		{func(o *fillOptions) { o.newFlows = maxFillNew + 1 }, "--new"},
		{func(o *fillOptions) { o.timeout = 11 * time.Second }, "--timeout"},
	} {
		o := good
		c.mod(&o)
		if err := o.check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %s", o, err, c.want)
		}
	}
}

func TestConntrackFillFlags(t *testing.T) {
	var stderr strings.Builder
	if _, err := cmdConntrackFill(context.Background(), []string{"--to", "nowhere"}, &stderr); err == nil {
		t.Error("--to without a port was accepted")
	}
	if _, err := cmdConntrackFill(context.Background(), []string{"--to", "192.0.2.1:1", "--new", "0"}, &stderr); err == nil {
		t.Error("--new 0 was accepted")
	}
}
