package ovpn

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestLaunchEndsWithContext: a context that ends before openvpn dials the
// management socket ends launch too; before, the accept waited for a dial
// that never came and the server's loop hung on shutdown.
func TestLaunchEndsWithContext(t *testing.T) {
	if _, err := os.Stat("/dev/net/tun"); err != nil && os.Geteuid() != 0 {
		t.Skip("needs /dev/net/tun or root to make it")
	}
	// A program that runs but never dials the management socket, as an
	// openvpn still starting does.
	bin := filepath.Join(t.TempDir(), "openvpn")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\nexec sleep 30\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := launch(ctx, (*exec.Cmd).Start, bin, "server",
			func(Files) (string, error) { return "", nil },
			func(Files) map[string]string { return map[string]string{} }, slog.New(slog.DiscardHandler))
		done <- err
	}()
	time.Sleep(300 * time.Millisecond) // the program is running: the race this test is about
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("launch succeeded without a management connection")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("launch still waits for the management socket 10 s after its context ended")
	}
}
