package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestValidateStepRunTimeRefs: a configure step that reads a lease (or a
// dynamic address-list entry) made at run time is not refused by the
// step's check; the same text as router configuration is (the control),
// and a menu, property or reference of configuration that does not exist
// is refused in a step too.
func TestValidateStepRunTimeRefs(t *testing.T) {
	lease := `:log info ("c=" . [/ip dhcp-server lease get [find mac-address=02:00:C0:A8:58:1E] comment])`
	check := func(step bool, src string) *Validation {
		r := New(Options{Ports: ports})
		if step {
			return r.ValidateStep(context.Background(), src, 2*time.Second)
		}
		return r.Validate(context.Background(), src, 2*time.Second)
	}
	for _, src := range []string{
		lease,
		`:put [/ip dhcp-server lease get 0 address]`,
		`:put [/ip firewall address-list get [find list=blocked address=192.0.2.9] timeout]`,
		`:put [/ppp active get [find name=user1] address]`,
	} {
		v := check(true, src)
		if v.Count(Refused) != 0 || v.Count(NotEnforced) != 1 || !strings.Contains(v.Findings[0].Msg, "made while the router runs") {
			t.Errorf("step %s: %+v", src, v.Findings)
		}
	}
	// The control: the router's own configuration runs on a fresh
	// router, where there is no lease.
	if v := check(false, lease); v.Count(Refused) != 1 || v.Findings[0].Msg != "no such item" {
		t.Errorf("router configuration: %+v", v.Findings)
	}
	for src, want := range map[string]string{
		`:put [/ip dhcp-server lease get [find mac-address=02:00:C0:A8:58:1E] commnt]`: "input does not match any value of value-name",
		`:put [/ip dhcp-server lese get [find mac-address=02:00:C0:A8:58:1E] comment]`: "bad command name lese",
		`:put [/ip firewall filter get [find comment=nothing] chain]`:                  "no such item",
		`/interface set ether9 disabled=yes`:                                           "no such item",
	} {
		v := check(true, src)
		if v.Count(Refused) != 1 || !strings.Contains(v.Findings[0].Msg, want) {
			t.Errorf("step %s: %+v, want refused %q", src, v.Findings, want)
		}
	}
}
