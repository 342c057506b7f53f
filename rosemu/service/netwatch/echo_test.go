package netwatch

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// lossyEcho is an echoConn whose target answers after rtt, except the
// requests in lost.
type lossyEcho struct {
	rtt  time.Duration
	lost map[int]bool
	mu   sync.Mutex
	due  []fakeReply // replies on their way, in order of arrival
}

type fakeReply struct {
	seq int
	at  time.Time
}

func (l *lossyEcho) send(seq int) error {
	if l.lost[seq] {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.due = append(l.due, fakeReply{seq, time.Now().Add(l.rtt)})
	return nil
}

var errDeadline = errors.New("deadline")

func (l *lossyEcho) read(deadline time.Time) (int, error) {
	l.mu.Lock()
	var next *fakeReply
	if len(l.due) > 0 {
		next = &l.due[0]
	}
	l.mu.Unlock()
	if next == nil || next.at.After(deadline) {
		time.Sleep(time.Until(deadline))
		return 0, errDeadline
	}
	time.Sleep(time.Until(next.at))
	l.mu.Lock()
	defer l.mu.Unlock()
	seq := l.due[0].seq
	l.due = l.due[1:]
	return seq, nil
}

// TestEchoesKeepInterval: an icmp probe sends its requests packet-interval
// apart whatever comes back, and ends when the last request's timeout has
// passed, so at 60 % loss a probe of 10 requests 20 ms apart with a
// 300-ms timeout lasts about 9 × 20 ms + 300 ms, not 6 timeouts. The
// control, without loss, ends at its last reply.
func TestEchoesKeepInterval(t *testing.T) {
	const (
		count    = 10
		interval = 20 * time.Millisecond
		timeout  = 300 * time.Millisecond
		rtt      = 5 * time.Millisecond
	)
	// 60 % loss, the last request among the lost.
	lost := map[int]bool{1: true, 2: true, 4: true, 5: true, 7: true, 9: true}
	for _, tc := range []struct {
		name     string
		lost     map[int]bool
		received int
		min, max time.Duration // how long the probe lasts
	}{
		// The upper bounds leave a loaded machine room (make unit runs
		// beside labs) and still tell the designs apart: at 60 % loss a
		// probe that waited out each lost request would last 6 timeouts
		// (1.8 s), and one that always waited for the last request's
		// timeout would make the lossless control last 480 ms.
		{"60% loss", lost, 4, (count-1)*interval + timeout, (count-1)*interval + 2*timeout},
		{"no loss", nil, 10, (count - 1) * interval, (count-1)*interval + timeout - 10*time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			begin := time.Now()
			r := echoes(context.Background(), &lossyEcho{rtt: rtt, lost: tc.lost}, count, interval, timeout)
			took := time.Since(begin)
			if r.Sent != count || r.Received != tc.received {
				t.Errorf("sent %d, received %d; want %d, %d", r.Sent, r.Received, count, tc.received)
			}
			if took < tc.min || took > tc.max {
				t.Errorf("the probe took %v, want %v to %v", took, tc.min, tc.max)
			}
			if r.Min < rtt || r.Max > rtt+timeout/2 || r.Avg < r.Min || r.Avg > r.Max {
				t.Errorf("round trips min %v avg %v max %v, want about %v", r.Min, r.Avg, r.Max, rtt)
			}
		})
	}
}

// TestEchoesLateReply: a reply that comes after its request's timeout is
// lost, and the probe still ends on time.
func TestEchoesLateReply(t *testing.T) {
	begin := time.Now()
	r := echoes(context.Background(), &lossyEcho{rtt: 80 * time.Millisecond}, 3, 10*time.Millisecond, 50*time.Millisecond)
	if took := time.Since(begin); took > 200*time.Millisecond {
		t.Errorf("took %v", took)
	}
	if r.Sent != 3 || r.Received != 0 {
		t.Errorf("sent %d, received %d; want 3, 0", r.Sent, r.Received)
	}
}
