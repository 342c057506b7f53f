package config

import (
	"context"
	"strings"
	"testing"
)

// TestRPSStored: /system resource irq rps has an entry for each port
// (disabled by default); "set ether1 disabled=no" of a CCR2004 export is
// stored, exported and taken again; an unknown interface is no such item.
func TestRPSStored(t *testing.T) {
	r := runShape(t, "7.19.4", []string{"ether1", "ether2"}, "/system resource irq rps\nset ether1 disabled=no\n")
	exp := body(r.Export())
	if !strings.Contains(exp, "/system resource irq rps\nset ether1 disabled=no\n") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "7.19.4", []string{"ether1", "ether2"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	if _, err := r.Run(context.Background(), "/system resource irq rps set nosuch disabled=no"); err == nil || !strings.Contains(err.Error(), "no such item") {
		t.Errorf("unknown interface: %v", err)
	}
}
