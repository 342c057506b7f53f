package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go/wait"
)

// logReady waits for a member's ready line by following its log: one
// streaming call to the engine for the whole wait. testcontainers-go's
// ForLog polls instead, and each poll is a container inspect and a read of
// the whole log; at 50 ms a hairpin lab's seven members made the engine
// serve some 2,000 calls while they started, CPU the engine took from the
// members it was starting (make test runs four labs at once on two cores).
type logReady struct {
	docker logSource
	line   []byte
	// recheck is how often the whole log is read as well: a follow stream
	// that missed a line (the wire container's attach stream did once, on
	// a loaded machine with Docker 20.10) must not cost the lab its budget.
	recheck time.Duration
}

// logSource is the one call of the engine logReady makes.
type logSource interface {
	ContainerLogs(ctx context.Context, id string, opts client.ContainerLogsOptions) (client.ContainerLogsResult, error)
}

func (r logReady) String() string { return fmt.Sprintf("log line %q", r.line) }

// WaitUntilReady returns when the log holds the line, or with an error
// when the container stopped first or ctx ended.
func (r logReady) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	ider, ok := target.(interface{ GetContainerID() string })
	if !ok {
		return fmt.Errorf("wait for %s: the target has no container ID", r)
	}
	id := ider.GetContainerID()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	found := make(chan error, 1)
	go func() { found <- r.follow(ctx, id) }()
	recheck := r.recheck
	if recheck <= 0 {
		recheck = 2 * time.Second
	}
	tick := time.NewTicker(recheck)
	defer tick.Stop()
	for {
		select {
		case err := <-found:
			if err == nil {
				return nil
			}
			if ctx.Err() != nil {
				return fmt.Errorf("wait for %s: %w", r, ctx.Err())
			}
			// The stream ended without the line: the container stopped, or
			// the engine closed the stream. The whole log decides.
			if ok, _ := r.logHolds(ctx, id); ok {
				return nil
			}
			if st, serr := target.State(ctx); serr == nil && st != nil && !st.Running {
				return fmt.Errorf("wait for %s: the container %s (exit code %d) before it was ready (%v)", r, st.Status, st.ExitCode, err)
			}
			// Still running: the engine closed the stream early. The
			// rechecks of the whole log go on until the budget ends (a nil
			// channel never delivers).
			found = nil
		case <-tick.C:
			if ok, _ := r.logHolds(ctx, id); ok {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w", r, ctx.Err())
		}
	}
}

// follow streams the log from its start and returns nil once the line has
// appeared, or the error that ended the stream.
func (r logReady) follow(ctx context.Context, id string) error {
	rc, err := r.docker.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: true})
	if err != nil {
		return err
	}
	defer rc.Close()
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, pw, rc)
		pw.CloseWithError(err)
	}()
	defer pr.Close()
	var seen []byte
	buf := make([]byte, 4096)
	for {
		n, err := pr.Read(buf)
		// The line may arrive split across reads: look in what came so
		// far, from a little before this read's start.
		seen = append(seen, buf[:n]...)
		if bytes.Contains(seen, r.line) {
			return nil
		}
		// Only a line split across reads needs what came before: keep
		// the tail that could hold its start, not the whole log.
		if k := len(seen) - len(r.line); k > 0 {
			seen = append(seen[:0], seen[k:]...)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return errors.New("the log stream ended without the line")
			}
			return err
		}
	}
}

// logHolds reads the whole log once.
func (r logReady) logHolds(ctx context.Context, id string) (bool, error) {
	lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	rc, err := r.docker.ContainerLogs(lctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return false, err
	}
	defer rc.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, rc); err != nil && out.Len() == 0 {
		return false, err
	}
	return bytes.Contains(out.Bytes(), r.line), nil
}
