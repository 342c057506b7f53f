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
	check := validateStepOrConfig
	for _, src := range []string{
		lease,
		`:put [/ip dhcp-server lease get 0 address]`,
		`:put [/ip firewall address-list get [find list=blocked address=192.0.2.9] timeout]`,
		`:put [/ppp active get [find name=user1] address]`,
	} {
		v := check(true, src)
		if v.Count(Refused) != 0 || v.Count(NotEnforced) != 0 || v.Count(RunTime) != 1 || !strings.Contains(v.Findings[0].Msg, "made while the router runs") {
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

// TestValidateStepRunTimeOutcome: a step's script that reads a menu the
// router fills while it runs and then stops with :error (here because the
// offline model's list is empty) is checked at run time, not refused at
// load (forum27 D4). Controls: the same text as router configuration is
// refused; an :error that follows no read of such a menu, a misspelt
// parameter or command and a bad value are refused in a step too.
func TestValidateStepRunTimeOutcome(t *testing.T) {
	assert := `:if ([:len [/ip firewall address-list find list=seen]] = 0) do={:error "list seen is empty"}`
	check := validateStepOrConfig
	for _, src := range []string{
		assert,
		`:if ([:len [/ip firewall address-list find list=secured dynamic=yes]] != 1) do={:error "secured missing"}`,
		`:local n [/ip firewall address-list print count-only where list=seen]; :if ($n < 1) do={:error "none"}`,
	} {
		v := check(true, src)
		if v.Count(Refused) != 0 || v.Count(NotEnforced) != 0 || v.Count(RunTime) != 1 || !strings.Contains(v.Findings[len(v.Findings)-1].Msg, "filled while the router runs") {
			t.Errorf("step %s: %+v", src, v.Findings)
		}
	}
	if v := check(false, assert); v.Count(Refused) != 1 || v.Findings[0].Msg != "list seen is empty" {
		t.Errorf("router configuration: %+v", v.Findings)
	}
	for src, want := range map[string]string{
		`:if ([:len [/ip firewall filter find comment=nothing]] = 0) do={:error "no rule"}`:     "no rule",
		`:if ([:len [/ip firewall address-lst find list=seen]] = 0) do={:error "x"}`:            "address-lst",
		`:if ([:len [/ip firewall address-list find list=seen]] = 0) do={:delay frob}`:          "invalid value",
		`:if ([:len [/ip firewall address-list find list=seen]] = 0) do={/ip route add frob=1}`: "expected end of command",
	} {
		v := check(true, src)
		if v.Count(Refused) != 1 || !strings.Contains(v.Findings[0].Msg, want) {
			t.Errorf("step %s: %+v, want refused %q", src, v.Findings, want)
		}
	}
}

// TestValidateStepCloudRead (forum45 D9): a step that reads /ip cloud's
// public-address and stops with :error is checked at run time, as the
// other run-time menus; the same text as router configuration is refused
// (control), and a misspelt property of /ip cloud is refused in a step.
func TestValidateStepCloudRead(t *testing.T) {
	src := `:if ([/ip cloud get public-address] != "203.0.113.2") do={:error ("cloud public-address is " . [/ip cloud get public-address])}`
	check := validateStepOrConfig
	if v := check(true, src); v.Count(Refused) != 0 || v.Count(RunTime) != 1 || !strings.Contains(v.Findings[len(v.Findings)-1].Msg, "/ip cloud is filled while the router runs") {
		t.Errorf("step: %+v", v.Findings)
	}
	if v := check(false, src); v.Count(Refused) != 1 {
		t.Errorf("router configuration: %+v", v.Findings)
	}
	if v := check(true, `:if ([/ip cloud get public-adress] != "x") do={:error "x"}`); v.Count(Refused) != 1 {
		t.Errorf("misspelt property: %+v", v.Findings)
	}
}

// TestValidateStepIPsecSARead (ipsec73): the IPsec service fills
// active-peers and installed-sa while the router runs, so a step that
// counts the SAs and stops with :error is checked at run time; it refused
// the scenario ipsec-site-to-site at load ("installed-sa does not hold
// the two SAs"). The same text as router configuration is refused
// (control).
func TestValidateStepIPsecSARead(t *testing.T) {
	for _, src := range []string{
		`:if ([:len [/ip ipsec installed-sa find]] != 2) do={:error "no SA"}`,
		`:if ([:len [/ip ipsec active-peers find where state=established]] != 1) do={:error "no peer"}`,
	} {
		if v := validateStepOrConfig(true, src); v.Count(Refused) != 0 || v.Count(RunTime) != 1 {
			t.Errorf("step %s: %+v", src, v.Findings)
		}
		if v := validateStepOrConfig(false, src); v.Count(Refused) != 1 {
			t.Errorf("router configuration %s: %+v", src, v.Findings)
		}
	}
}

// TestValidateStepQueueRead (f71 D3): the router makes simple queues while
// it runs (a PPP session's rate-limit queue, a lease's, and those a PPP
// profile's on-up script adds), so a step that counts them and stops with
// :error is checked at run time; it refused the whole case at load ("no
// queue for alice") although the router's on-up had added the queue. The
// same text as router configuration is refused (control), and so is a
// misspelt menu in a step.
func TestValidateStepQueueRead(t *testing.T) {
	src := `:if ([:len [/queue simple find name=alice comment=auto]] != 1) do={ :error "no queue for alice" }`
	check := validateStepOrConfig
	if v := check(true, src); v.Count(Refused) != 0 || v.Count(RunTime) != 1 || !strings.Contains(v.Findings[len(v.Findings)-1].Msg, "/queue simple is filled while the router runs") {
		t.Errorf("step: %+v", v.Findings)
	}
	if v := check(false, src); v.Count(Refused) != 1 {
		t.Errorf("router configuration: %+v", v.Findings)
	}
	if v := check(true, `:if ([:len [/queue simpel find name=alice]] != 1) do={ :error "x" }`); v.Count(Refused) != 1 {
		t.Errorf("misspelt menu: %+v", v.Findings)
	}
}

// validateStepOrConfig checks src offline as a case's configure step
// (step) or as the router's configuration.
func validateStepOrConfig(step bool, src string) *Validation {
	r := New(Options{Ports: ports})
	if step {
		return r.ValidateStep(context.Background(), src, 2*time.Second)
	}
	return r.Validate(context.Background(), src, 2*time.Second)
}
