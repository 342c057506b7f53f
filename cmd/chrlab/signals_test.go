package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestClosedPipe: a write to a closed stdout pipe (`chrlab lab ... | head`)
// fails with an error instead of killing chrlab before its cleanup (issue
// 13). The child is this test binary; the control without survivePipes
// dies of SIGPIPE.
func TestClosedPipe(t *testing.T) {
	if mode := os.Getenv("CHRLAB_PIPE_CHILD"); mode != "" {
		if mode == "survive" {
			survivePipes()
		}
		for range 100 {
			if _, err := fmt.Println("a line nobody reads"); err != nil {
				fmt.Fprintln(os.Stderr, "write failed, cleaning up:", err)
				os.Exit(0)
			}
		}
		os.Exit(3)
	}
	for _, mode := range []string{"survive", "default"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestClosedPipe$")
		cmd.Env = append(os.Environ(), "CHRLAB_PIPE_CHILD="+mode)
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close() // the reader is gone before the first line
		cmd.Stdout = w
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err = cmd.Run()
		w.Close()
		died := err != nil && strings.Contains(err.Error(), "broken pipe")
		switch mode {
		case "survive":
			if err != nil || !strings.Contains(stderr.String(), "cleaning up") {
				t.Errorf("with survivePipes: %v, stderr %q; want the write to fail and the process to go on", err, stderr.String())
			}
		case "default":
			if !died {
				t.Errorf("control without survivePipes: %v; want death by SIGPIPE (else this test proves nothing)", err)
			}
		}
	}
}
