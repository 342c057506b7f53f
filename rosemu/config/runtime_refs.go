package config

import (
	"errors"
	"slices"
	"strings"
)

// A configure step of a case runs on the lab's router while it runs:
// by then DHCP has leased, rules have filled address lists, PPP sessions
// are up and scripts have set globals. The offline check of a step runs on
// a model that has none of these, so a reference to one ("[/ip dhcp-server
// lease get [find mac-address=...] comment]" after the client leased) is
// "no such item" there although the router finds it. ValidateStep takes
// such a reference as checked at run time instead of refusing it; a menu
// or property that does not exist is refused as before, and so is a
// reference into a menu whose items only configuration makes (a filter
// rule's comment that matches nothing is a mistake of the case).

// runTimeMenus are the menus whose items rosemu's services, rules or
// scripts make while the router runs. /interface is not one of them,
// although PPP sessions add interfaces: a port name a step misspells
// ("set ether9 disabled=yes") is far more common there, and stays refused.
var runTimeMenus = map[string]bool{
	"ip dhcp-server lease":       true, // leases (dynamic until made static)
	"ip firewall address-list":   true, // add-src/dst-to-address-list, scripts
	"ipv6 firewall address-list": true,
	"ppp active":                 true, // sessions
	"ip address":                 true, // DHCP client and PPP addresses
	"ipv6 address":               true, // from a delegated pool
	"ip route":                   true, // DHCP, PPP and dynamic routing
	"ipv6 route":                 true,
	"ipv6 pool":                  true, // a DHCPv6 client's delegated pool
	"ip arp":                     true,
	// Dynamic queues of PPP sessions' rate-limit, leases and hotspot
	// users, and those a PPP profile's on-up script adds (a WISP's
	// per-customer queue): a step that counted them and stopped with
	// :error was refused at load (f71 D3).
	"queue simple":              true,
	"ip neighbor":               true,
	"ip firewall connection":    true,
	"ip dns cache":              true,
	"ip dns cache all":          true,
	"system script job":         true,
	"system script environment": true, // globals a scheduler's run set
	"log":                       true,
	// IP Cloud's public-address, dns-name and status are learnt from
	// the cloud service while the router runs (IP Cloud,
	// https://help.mikrotik.com/docs/display/ROS/Cloud); a step that
	// reads them and stops with :error was refused at load (forum45 D9).
	"ip cloud": true,
	// The IKE and ESP SAs rosemu/service/ipsec reports from charon: a
	// case's check that the tunnel is up (":if ([:len [/ip ipsec
	// installed-sa find]] != 2) do={:error ...}") was refused at load
	// (ipsec73).
	"ip ipsec active-peers": true,
	"ip ipsec installed-sa": true,
}

// runTimeRef notes, for ValidateStep, that a reference into m found
// nothing; the command's "no such item" is then the offline model's.
func (t *tx) runTimeRef(m *menu) {
	if runTimeMenus[m.path] {
		t.r.sys.runTimeRef = m.path
	}
}

// runTimeRead notes, for ValidateStep, that a step's statement read a
// menu the router fills while it runs. A script that then stops with
// :error (or a command that fails) may do so only because the offline
// model's menu is empty: a case's check ":if ([:len [/ip firewall
// address-list find list=seen]] = 0) do={:error ...}" after a probe made
// the firewall add the entry refused the whole case at load (forum27 D4).
func (t *tx) runTimeRead(m *menu, verb string) {
	if t.r.sys.step && runTimeMenus[m.path] && (verb == "find" || verb == "get" || verb == "print") {
		t.r.sys.runTimeRead = m.path
	}
}

// runTimeValues are the values the router counts or keeps while it runs,
// by menu ("" for every menu): a rule's packets and bytes, a scheduler
// entry's or a script's run-count, an interface's traffic counters. The
// offline model holds them at nothing or zero, so a case's step that reads
// one after a probe and stops with :error ("[/ip firewall filter get [find
// comment=x] packets] = 0" then :error "rule never matched") was refused
// at load, where the router's counter had counted the probe (forum60 D5).
var runTimeValues = map[string]map[string]bool{
	"":                 {"packets": true, "bytes": true},
	"system scheduler": {"run-count": true, "next-run": true},
	"system script":    {"run-count": true, "last-started": true},
	"interface": {"rx-byte": true, "tx-byte": true, "rx-packet": true, "tx-packet": true,
		"rx-drop": true, "tx-drop": true, "rx-error": true, "tx-error": true, "link-downs": true},
	"tool netwatch": {"status": true, "since": true},
}

// runTimeValue notes, for ValidateStep, that a step's get read such a
// value, as runTimeRead notes a read of a menu the router fills.
func (t *tx) runTimeValue(m *menu, name string) {
	if t.r.sys.step && (runTimeValues[""][name] || runTimeValues[m.path][name]) {
		t.r.sys.runTimeRead = m.path + "|" + name
	}
}

// runTimeOutcome tells whether err, raised by a statement that read a
// run-time menu, is an outcome of what the menu held: a script's :error
// or a general failure (categories 3 and 4). A misspelt command or
// parameter, a bad value or a syntax error is the case's mistake
// whatever the router holds, and stays refused.
func runTimeOutcome(err error) bool {
	var ce *Error
	if !errors.As(toError(err), &ce) || (ce.Category != 3 && ce.Category != 4) {
		return false
	}
	for _, p := range []string{"syntax error", "no such command", "expected ", "invalid value", "input does not match"} {
		if strings.HasPrefix(ce.Msg, p) {
			return false
		}
	}
	return true
}

// runTimeReadReason is the verdict's reason for such a statement.
func runTimeReadReason(path string, err error) string {
	msg := err.Error()
	var ce *Error
	if errors.As(toError(err), &ce) {
		msg = ce.Msg
	}
	stopped := "and this statement stopped with \"" + msg + "\" here, which the router decides when it runs the step"
	if menu, value, ok := strings.Cut(path, "|"); ok {
		return value + " of /" + menu + " is counted while the router runs (the offline check of a step holds it at nothing); the step read it, " + stopped
	}
	return "/" + path + " is filled while the router runs (the offline check of a step has no dynamic entries, leases or sessions); the step read it, " + stopped
}

// runTimeRefReason is the verdict's reason for such a command.
func runTimeRefReason(path string) string {
	return "/" + path + ": the item is made while the router runs (the offline check of a step has no leases, dynamic entries or sessions); the router looks it up when it runs the step (what follows the reference is not checked)"
}

// isNoSuchItem tells whether err is RouterOS's "no such item".
func isNoSuchItem(err error) bool {
	var ce *Error
	return errors.As(toError(err), &ce) && strings.HasPrefix(ce.Msg, "no such item")
}

// knownValueName tells whether get can read name of an item of m: a
// property, one of every item's flags, or a read-only value (asked of an
// empty item; a readonly that cannot work on one counts as knowing none).
func (t *tx) knownValueName(m *menu, name string) bool {
	switch name {
	case ".id", "comment", "disabled", "dynamic", "builtin", "invalid":
		return true
	}
	if m.prop(name) != nil || slices.Contains(m.maybeAbsent, name) {
		return true
	}
	if m.readonly == nil {
		return false
	}
	known := false
	func() {
		defer func() { _ = recover() }()
		for _, p := range m.readonly(t, &item{props: map[string]string{}}) {
			known = known || p.Name == name
		}
	}()
	return known
}
