package lab

import (
	"context"
	"encoding/binary"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// fakeLogs is a container's log as the engine serves it: a follow call
// gets the chunks as they are written, a plain call what was written so
// far. It counts the calls.
type fakeLogs struct {
	mu      sync.Mutex
	written []string
	follows []*io.PipeWriter
	calls   int
	// dropFollow: the follow stream misses every chunk (the engine's
	// stream lost the line, as the wire container's attach once did).
	dropFollow bool
}

func (f *fakeLogs) ContainerLogs(ctx context.Context, id string, opts client.ContainerLogsOptions) (client.ContainerLogsResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	pr, pw := io.Pipe()
	w := frameWriter{pw}
	past := strings.Join(f.written, "")
	if !opts.Follow {
		go func() { io.WriteString(w, past); pw.Close() }()
		return pr, nil
	}
	f.follows = append(f.follows, pw)
	go func() {
		if !f.dropFollow {
			io.WriteString(w, past)
		}
		<-ctx.Done()
		pw.CloseWithError(ctx.Err())
	}()
	return pr, nil
}

// write appends a chunk to the log and hands it to the follow streams.
func (f *fakeLogs) write(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.written = append(f.written, s)
	if f.dropFollow {
		return
	}
	for _, pw := range f.follows {
		go io.WriteString(frameWriter{pw}, s)
	}
}

// exit ends the follow streams as the engine does when the container stops.
func (f *fakeLogs) exit() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, pw := range f.follows {
		pw.Close()
	}
}

type idTarget struct{ stateTarget }

func (idTarget) GetContainerID() string { return "0123456789ab" }

// TestLogReady: the wait returns once the ready line is in the log, even
// split across two writes, having asked the engine for the log a handful
// of times rather than every 50 ms as testcontainers' ForLog did (with a
// container inspect each time: some 2,000 engine calls per hairpin lab).
func TestLogReady(t *testing.T) {
	running := idTarget{stateTarget{state: container.State{Status: container.StateRunning, Running: true}}}
	logs := &fakeLogs{}
	logs.write("starting\n")
	go func() {
		time.Sleep(1500 * time.Millisecond)
		logs.write("lab node rea")
		time.Sleep(100 * time.Millisecond)
		logs.write("dy: client1\n")
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := logReady{docker: logs, line: []byte("lab node ready"), recheck: time.Second}
	if err := r.WaitUntilReady(ctx, running); err != nil {
		t.Fatalf("ready line written: %v", err)
	}
	logs.mu.Lock()
	calls := logs.calls
	logs.mu.Unlock()
	// One follow call and a recheck a second: a slow machine may take a
	// few seconds to get here, not a hundred polls.
	if calls > 6 {
		t.Errorf("the wait made %d log calls to the engine for a line written 1.6 s in", calls)
	}
}

// TestLogReadyMissedLine: a follow stream that never carries the line is
// backed by reading the whole log now and then.
func TestLogReadyMissedLine(t *testing.T) {
	running := idTarget{stateTarget{state: container.State{Status: container.StateRunning, Running: true}}}
	logs := &fakeLogs{dropFollow: true}
	logs.write("lab node ready: x\n")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := logReady{docker: logs, line: []byte("lab node ready"), recheck: 100 * time.Millisecond}
	if err := r.WaitUntilReady(ctx, running); err != nil {
		t.Fatalf("line in the log, missed by the stream: %v", err)
	}
}

// TestLogReadyExit: a container that stops without the line fails the
// wait at once with its exit code; the control, a running container that
// never says it, waits until the budget ends.
func TestLogReadyExit(t *testing.T) {
	exited := idTarget{stateTarget{state: container.State{Status: container.StateExited, ExitCode: 2}}}
	logs := &fakeLogs{}
	logs.write("rosemu: bad flag\n")
	go func() { time.Sleep(200 * time.Millisecond); logs.exit() }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := logReady{docker: logs, line: []byte("ready"), recheck: 10 * time.Second}
	err := r.WaitUntilReady(ctx, exited)
	if err == nil || !strings.Contains(err.Error(), "exited (exit code 2)") || ctx.Err() != nil {
		t.Fatalf("exited container: got %v, want an error naming the exit before the budget", err)
	}

	running := idTarget{stateTarget{state: container.State{Status: container.StateRunning, Running: true}}}
	silent := &fakeLogs{}
	silent.write("still starting\n")
	rctx, rcancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer rcancel()
	err = logReady{docker: silent, line: []byte("ready"), recheck: 200 * time.Millisecond}.WaitUntilReady(rctx, running)
	if err == nil || rctx.Err() == nil {
		t.Fatalf("running container without the line: got %v, want the budget to end the wait", err)
	}
}

// frameWriter writes what the engine's log endpoint sends for a container
// without a TTY: each write one frame, an 8-byte header (stream 1, stdout;
// the length) and the bytes.
type frameWriter struct{ w io.Writer }

func (f frameWriter) Write(p []byte) (int, error) {
	hdr := make([]byte, 8, 8+len(p))
	hdr[0] = 1
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(p)))
	if _, err := f.w.Write(append(hdr, p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// TestLogReadyStreamClosedEarly: the engine ends the follow stream while
// the container still runs; the rechecks of the whole log find the line
// written after that, rather than the wait failing at once.
func TestLogReadyStreamClosedEarly(t *testing.T) {
	running := idTarget{stateTarget{state: container.State{Status: container.StateRunning, Running: true}}}
	logs := &fakeLogs{}
	logs.write("starting\n")
	go func() {
		time.Sleep(200 * time.Millisecond)
		logs.exit()
		time.Sleep(300 * time.Millisecond)
		logs.write("lab node ready: x\n")
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := logReady{docker: logs, line: []byte("lab node ready"), recheck: 100 * time.Millisecond}
	if err := r.WaitUntilReady(ctx, running); err != nil {
		t.Fatalf("stream closed early, line written later: %v", err)
	}
}
