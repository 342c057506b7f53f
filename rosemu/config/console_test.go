package config

import (
	"context"
	"strings"
	"testing"
)

// TestSystemConsole: the console entries exports change ("set [ find ]
// disabled=yes", by port and by vcno) are taken, exported by the same
// references and taken again.
func TestSystemConsole(t *testing.T) {
	src := "/system console\nset [ find ] disabled=yes\nset [ find port=serial0 ] disabled=no term=vt102\nset [ find vcno=1 ] disabled=no\n"
	for _, v := range []string{"6.49.7", "7.16.2"} {
		r := runShape(t, v, []string{"ether1"}, src)
		exp := body(r.Export())
		if !strings.Contains(exp, "set [ find vcno=2 ] disabled=yes\n") || strings.Contains(exp, "find port=serial0") {
			t.Errorf("%s export:\n%s", v, exp)
		}
		if got := body(runShape(t, v, []string{"ether1"}, exp).Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", v, got, exp)
		}
	}
}

// TestPortRemoteAccess: a serial port's remote access is stored and
// exported; a port the router lacks is refused.
func TestPortRemoteAccess(t *testing.T) {
	r := runShape(t, "6.48.4", []string{"ether1"}, "/port remote-access\nadd disabled=yes port=serial0 tcp-port=2000\n")
	if !strings.Contains(body(r.Export()), "/port remote-access\nadd disabled=yes port=serial0 tcp-port=2000\n") {
		t.Errorf("export:\n%s", r.Export())
	}
	if _, err := r.Run(context.Background(), "/port remote-access add port=usb9"); err == nil {
		t.Errorf("a missing port was taken")
	}
}
