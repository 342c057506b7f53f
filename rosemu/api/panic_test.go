package api

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
)

// panicDevice panics on the command "/boom" and passes the rest on.
type panicDevice struct{ *tableDevice }

func (d panicDevice) Command(ctx context.Context, path string, args map[string]string) ([]config.Row, string, error) {
	if path == "/boom" {
		var m map[string]string
		m["x"] = "y"
	}
	return d.tableDevice.Command(ctx, path, args)
}

// TestPanicBecomesTrap: a sentence that trips the emulator gets a trap in
// RouterOS's form, and the same session goes on (issue 13: a panic killed
// the router).
func TestPanicBecomesTrap(t *testing.T) {
	c := pipeClient(t, &Server{Device: panicDevice{newTableDevice()}})
	login(t, c, "admin", "")
	_, err := c.RunArgsContext(t.Context(), []string{"/boom"})
	if msg := deviceMessage(t, err); !strings.HasPrefix(msg, "failure: internal error of the emulator in API sentence /boom") {
		t.Fatalf("message %q", msg)
	}
	r, err := c.RunArgsContext(t.Context(), []string{natPath + "/print"})
	if err != nil || len(r.Re) != 4 {
		t.Fatalf("after the panic: %v, %v", r, err)
	}
}
