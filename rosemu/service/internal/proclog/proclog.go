// Package proclog starts a daemon rosemu runs (openvpn, charon) with its
// output logged line by line, keeping its last lines for the error that
// says why it exited.
package proclog

import (
	"bufio"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Start starts cmd by start (exec.Cmd.Start, or a test's) with its stdout
// and stderr logged at debug level under name, and returns tail, which
// gives its last keep lines joined by " | ". tail waits up to a second
// for the output's end, so that after the process exited it holds the
// lines that say why.
func Start(start func(*exec.Cmd) error, cmd *exec.Cmd, log *slog.Logger, name string, keep int) (tail func() string, err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = start(cmd)
	w.Close()
	if err != nil {
		r.Close()
		return nil, err
	}
	var mu sync.Mutex
	var last []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer r.Close()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			log.Debug(name, "line", sc.Text())
			mu.Lock()
			last = append(last, sc.Text())
			if len(last) > keep {
				last = last[1:]
			}
			mu.Unlock()
		}
	}()
	return func() string {
		select {
		case <-done:
		case <-time.After(time.Second):
		}
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(last, " | ")
	}, nil
}
