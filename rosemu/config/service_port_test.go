package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestServicePortHelpers: a fresh router hands the kernel RouterOS's
// default helpers (ftp, tftp, irc, sip, h323, pptp; rtsp is off); a
// disabled one goes, changed ports follow; rtsp, which Linux has no helper
// for, is reported when turned on, and sip turned off is not (it is
// enforced).
func TestServicePortHelpers(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
	helpers := func() string {
		var out []string
		for _, h := range r.State().Helpers {
			out = append(out, fmt.Sprint(h.Name, h.Ports))
		}
		return strings.Join(out, " ")
	}
	if got := helpers(); got != "ftp[21] tftp[69] irc[6667] h323[] sip[5060 5061] pptp[]" {
		t.Errorf("default helpers: %s", got)
	}
	if _, err := r.Run(context.Background(), "/ip firewall service-port\nset sip disabled=yes\nset ftp ports=21,2121\nset rtsp disabled=no"); err != nil {
		t.Fatal(err)
	}
	if got := helpers(); got != "ftp[21 2121] tftp[69] irc[6667] h323[] pptp[]" {
		t.Errorf("helpers after the set: %s", got)
	}
	var reported []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/ip firewall service-port" {
			reported = append(reported, fmt.Sprint(n.Count, " ", n.Reason))
		}
	}
	if len(reported) != 1 || !strings.HasPrefix(reported[0], "1 rosemu's kernel has no RTSP") {
		t.Errorf("reported: %q", reported)
	}
	v := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"}).Validate(context.Background(), "/ip firewall service-port\nset sip disabled=yes\nset rtsp disabled=no\n", time.Second)
	got := strings.Join(findings(v), "\n")
	if !strings.Contains(got, "2:1 accepted") || !strings.Contains(got, "3:1 stored-not-enforced rosemu's kernel has no RTSP") {
		t.Errorf("findings:\n%s", got)
	}
}
