package config

import (
	"context"
	"strings"
	"testing"
)

// TestMACServerV640: RouterOS 6.40 takes the per-interface MAC server and
// neighbor discovery forms (and refuses 6.41's interface lists); 6.49
// refuses the old forms. The old forms export and import again.
func TestMACServerV640(t *testing.T) {
	src := "/ip neighbor discovery\nset ether1 discover=no\n/tool mac-server\nset [ find default=yes ] disabled=yes\nadd interface=ether2\n/tool mac-server mac-winbox\nadd interface=ether2\n"
	r := runShape(t, "6.40.8", []string{"ether1", "ether2"}, src)
	exp := body(r.Export())
	for _, want := range []string{"/ip neighbor discovery\nset ether1 discover=no\n", "/tool mac-server\nset [ find default=yes ] disabled=yes\nadd interface=ether2\n"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if got := body(runShape(t, "6.40.8", []string{"ether1", "ether2"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	if _, err := r.Run(context.Background(), "/tool mac-server set allowed-interface-list=all"); err == nil {
		t.Errorf("6.40 took allowed-interface-list")
	}
	v649 := New(Options{Ports: []string{"ether1", "ether2"}, Version: "6.49.10"})
	if _, err := v649.Run(context.Background(), "/tool mac-server add interface=ether2"); err == nil {
		t.Errorf("6.49 took the old form")
	}
	run(t, v649, "/tool mac-server set allowed-interface-list=all\n/ip neighbor discovery-settings set discover-interface-list=all")
}
