package ipsec

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// TestLaunchWithoutCharon (ipsec73): where charon is missing (the vm
// backend's guest) the service says so in these words before it tries
// anything; it logged only 'exec: "unshare": executable file not found'
// there, and with unshare present it would start a shell that fails to
// exec charon.
func TestLaunchWithoutCharon(t *testing.T) {
	s := New(slog.New(slog.DiscardHandler))
	s.charon = filepath.Join(t.TempDir(), "charon")
	_, err := s.launch(context.Background(), "connections {\n  peer-1 {\n  }\n}\n")
	if err == nil || !strings.Contains(err.Error(), s.charon+" is not installed on this machine") {
		t.Fatalf("launch without charon: %v", err)
	}
}
