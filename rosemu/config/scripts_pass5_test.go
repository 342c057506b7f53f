package config

import (
	"context"
	"testing"

	"github.com/chrlab/chrlab/rosemu/script"
)

// A monitor's do={ } runs with the reading's values as its variables:
// a cable check reads $rate, a failover $status, and the block may set a
// local of the script around it. A name the reading lacks is nothing, and
// a variable that is neither declared nor the monitor's is still a syntax
// error where it stands. Was "bad parameter do".
func TestMonitorDoBlock(t *testing.T) {
	r := New(Options{Ports: ports})
	out := run(t, r, `:local st "unset"
/interface ethernet monitor ether1 once do={ :set st $status; :put ("rate=" . $rate . " duplex=" . $"full-duplex" . " partner=" . [:typeof $"link-partner-advertising"]) }
:put $st`)
	if out != "rate=1Gbps duplex=yes partner=nothing\nlink-ok\n" {
		t.Errorf("out = %q", out)
	}
	if _, err := r.Run(context.Background(), "/interface ethernet monitor ether1 once do={ :put $nosuch }"); err == nil || err.Error() != "syntax error (line 1 column 52)" {
		t.Errorf("undeclared variable in the block: err = %v", err)
	}
	if _, err := r.Run(context.Background(), "/ip address print do={ :put 1 }"); err == nil || err.Error() != "expected end of command (line 1 column 19)" {
		t.Errorf("do= of a command that has none: err = %v", err)
	}
}

// /system clock get gmt-offset is seconds, as date scripts use it
// ("946684800 - [/system clock get gmt-offset]"); a zone west of UTC is
// its 32-bit two's complement, which scripts undo with
// "($vgmt - 0x100000000)". Print still shows +HH:MM. Was the text
// "+00:00", which no arithmetic took.
func TestClockGMTOffsetSeconds(t *testing.T) {
	r := New(Options{Ports: ports})
	out := run(t, r, `:local g [/system clock get gmt-offset]
:put ([:typeof $g] . " " . (946684800 - $g))`)
	if out != "num 946684800\n" {
		t.Errorf("out = %q", out)
	}
	for in, want := range map[string]string{"+02:00": "7200", "-05:00": "4294949296", "+05:30": "19800"} {
		if v := typed(clockMenu, "gmt-offset", in); v.Kind != script.KindNum || v.String() != want {
			t.Errorf("%s: got %v (%v), want %s", in, v, v.Kind, want)
		}
	}
}

// "/menu { ... }" runs the block's commands relative to that menu, as
// DHCP lease scripts write it ("/ip dhcp-server network { :local d [get
// [:pick [find $leaseActIP in address] 0] domain] }") and function
// libraries do ("/ipv6/address { :retry command={ ... get ... } }"); the
// line after the block is back in the menu it was in. A bad line inside
// is refused where it is. Was a syntax error at the "{". In a where
// clause "in" reads a property on either side ($ip in address, address
// in 192.168.0.0/16); both were false before.
func TestMenuBlock(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip address add address=192.168.88.1/24 interface=ether2\n/ip dhcp-server network add address=192.168.88.0/24 domain=lan.example")
	out := run(t, r, `:local ip 192.168.88.10
:local d
/ip dhcp-server network {
  :set d [get [:pick [find $ip in address] 0] domain]
}
/ip/address { :put [get [find] interface] }
:put $d
/ip firewall filter
{ :put [:len [find]] }
add chain=input action=accept
:put [:len [find]]
:put [:len [/ip address find where address in 192.168.0.0/16]]`)
	if out != "ether2\nlan.example\n0\n1\n1\n" {
		t.Errorf("out = %q", out)
	}
	if _, err := r.Run(context.Background(), "/ip address {\n  frobnicate\n}"); err == nil || err.Error() != "bad command name frobnicate (line 2 column 3)" {
		t.Errorf("bad line in the block: err = %v", err)
	}
}

// /ppp active lists the sessions of PPP servers, of which rosemu runs
// none: a VPN monitor's walk and a metrics script's count see nothing
// and go on. Was "bad command name active".
func TestPPPActiveEmpty(t *testing.T) {
	r := New(Options{Ports: ports})
	out := run(t, r, `:local n 0
:foreach s in=[/ppp active print as-value where service=pppoe] do={ :set n ($n + 1) }
:put ($n . " " . [/ppp active print count-only] . " " . [:len [/ppp active find where name="alice"]])`)
	if out != "0 0 0\n" {
		t.Errorf("out = %q", out)
	}
	if _, err := r.Run(context.Background(), "/ppp active add name=x"); err == nil {
		t.Error("add to /ppp active was taken")
	}
}
