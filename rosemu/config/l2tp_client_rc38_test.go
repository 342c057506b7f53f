package config

import (
	"strings"
	"testing"
)

// TestL2TPClientAddedDisabled: RouterOS adds an L2TP client disabled
// unless told otherwise (row of /interface l2tp-client): a 7.16.1 RB5009's
// "add connect-to=... disabled=no keepalive-timeout=disabled ... name=
// YLO-L2TP-TURNEL use-ipsec=yes user=tony" exports so, and one added
// without disabled= is disabled and exports without it. rosemu's export
// dropped disabled=no, and a client added without it dialled (realcheck38).
func TestL2TPClientAddedDisabled(t *testing.T) {
	r := exportOf(t, "7.16.1", "/interface l2tp-client\nadd connect-to=192.0.2.9 disabled=no keepalive-timeout=disabled max-mru=1420 max-mtu=1420 name=YLO use-ipsec=yes user=tony\nadd connect-to=192.0.2.10 name=hub user=Manganti2\n",
		"add connect-to=192.0.2.9 disabled=no keepalive-timeout=disabled max-mru=1420 \\\n",
		"add connect-to=192.0.2.10 name=hub user=Manganti2\n")
	if got := run(t, r, ":put [/interface l2tp-client get hub disabled]"); strings.TrimSpace(got) != "true" {
		t.Errorf("a client added without disabled=: disabled=%q, want true", got)
	}
	if got := run(t, r, ":put [/interface l2tp-client get YLO disabled]"); strings.TrimSpace(got) != "false" {
		t.Errorf("disabled=no: disabled=%q, want false", got)
	}
}
