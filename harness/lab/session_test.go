package lab

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/internal/execserve"
)

// A server reached by PID through /proc must name the member the harness
// asked for: the PID may be another process's, seen from another PID
// namespace, and its commands would run in the wrong container.
func TestSessionWantsItsMember(t *testing.T) {
	for _, tc := range []struct {
		hello, want string
		ok          bool
	}{
		{"chrlab-r1-client1", "chrlab-r1-client1", true},
		{"chrlab-r2-client1", "chrlab-r1-client1", false},
		{"", "chrlab-r1-client1", false},
		{"", "", true}, // a docker exec of the member's own program
	} {
		r, w := io.Pipe()
		go json.NewEncoder(w).Encode(execserve.Response{Ready: true, Member: tc.hello})
		s, err := newSession(io.Discard, r, r, tc.want)
		if (err == nil) != tc.ok {
			t.Errorf("ready line of %q, want %q: err %v", tc.hello, tc.want, err)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("not %q's", tc.want)) {
			t.Errorf("error %q does not say whose server it reached", err)
		}
		if s != nil {
			s.close()
		}
		w.Close()
	}
}
