package config

import (
	"context"
	"strings"
	"testing"
)

// A netwatch down-script as forum posts write it: take ISP1's route out
// of use, then tell someone by e-mail and by a web request. The e-mail is
// queued (and logged as not sent), the fetch fails as it would in a lab
// with no internet, and the route stays disabled: the script ran up to
// the fetch, as on RouterOS. The same fetch inside :do ... on-error= is
// handled and the script goes on.
func TestNoticeCommandsInEventScripts(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/ip route add gateway=10.0.0.254 comment=isp1
/ip route add gateway=10.0.0.253 comment=isp2 distance=2
/tool e-mail set from=router@example.net
/system script
add name=down source="/ip route disable [find comment=isp1]\r\n/tool e-mail send to=noc@example.net subject=\"ISP1 down\" body=\"failing over\"\r\n/tool fetch url=\"https://api.example.net/notify\?text=down\" keep-result=no\r\n/ip route disable [find comment=isp2]"
add name=guarded source=":do { /tool fetch url=http://192.0.2.80/x output=user as-value } on-error={ :log warning \"notice failed\" }\r\n/ip route disable [find comment=isp2]"`)
	if err := r.runEventForTest(ctx, "down"); err == nil || !strings.Contains(err.Error(), "rosemu does not fetch https://api.example.net/notify?text=down") {
		t.Errorf("down: %v; want the fetch's failure", err)
	}
	disabled := func(c string) string { return run(t, r, ":put [/ip route get [find comment="+c+"] disabled]") }
	if disabled("isp1") != "true\n" || disabled("isp2") != "false\n" {
		t.Errorf("after down: isp1 disabled %q, isp2 %q; want the line before the fetch done and the one after it not", disabled("isp1"), disabled("isp2"))
	}
	logs := run(t, r, "/log print")
	if !strings.Contains(logs, "e-mail to noc@example.net (ISP1 down) not sent") {
		t.Errorf("log has no line for the e-mail:\n%s", logs)
	}
	if err := r.runEventForTest(ctx, "guarded"); err != nil {
		t.Errorf("guarded: %v; want the on-error to handle the fetch", err)
	}
	if disabled("isp2") != "true\n" || !strings.Contains(run(t, r, "/log print"), "notice failed") {
		t.Errorf("guarded: the script did not go on after its handled fetch")
	}
}

// runEventForTest runs a /system script by name as the scheduler runs an
// on-event.
func (r *Router) runEventForTest(ctx context.Context, name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runEvent(ctx, name, name)
}
