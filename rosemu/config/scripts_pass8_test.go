package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// countedLinks is a LinkState that also counts traffic, as the kernel's
// Dataplane does: each link has its own counters.
type countedLinks map[string]kernel.LinkCounters

func (c countedLinks) Running(name string) (bool, bool) { _, ok := c[name]; return ok, ok }

func (c countedLinks) Traffic(name string) (kernel.LinkCounters, bool) {
	v, ok := c[name]
	return v, ok
}

// /interface gives rx-byte, tx-byte and the other traffic counters as
// numbers from the kernel's link statistics, by the port's default name
// when it was renamed: traffic-accounting scripts subtract the last run's.
// Was "input does not match any value of value-name". Without a kernel
// (validate, offline check) the router has passed nothing and counts 0.
func TestInterfaceTrafficCounters(t *testing.T) {
	links := countedLinks{"ether1": {RxBytes: 1500, TxBytes: 700, RxPackets: 3, TxDrops: 2}, "ether2": {}}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Links: links})
	run(t, r, "/interface ethernet set ether1 name=wan")
	got := run(t, r, `:local rx [/interface get wan rx-byte]
:put ([:typeof $rx] . " " . $rx . " " . [/interface get wan tx-byte] . " " . [/interface get wan rx-packet] . " " . [/interface get wan tx-drop])
:put ([/interface get [find name=wan] rx-byte] - [/interface get ether2 rx-byte])`)
	if got != "num 1500 700 3 2\n1500\n" {
		t.Errorf("got %q", got)
	}
	out := run(t, r, "/interface print stats")
	if !strings.Contains(out, "RX-BYTE") || !strings.Contains(out, "wan     1500     700") {
		t.Errorf("print stats:\n%s", out)
	}
	links["ether1"] = kernel.LinkCounters{RxBytes: 9000}
	if got := run(t, r, `:put [/interface get wan rx-byte]`); got != "9000\n" {
		t.Errorf("after more traffic: %q", got)
	}
	off := New(Options{Ports: []string{"ether1"}})
	if got := run(t, off, `:put ([/interface get ether1 rx-byte] + [/interface get ether1 tx-error])`); got != "0\n" {
		t.Errorf("offline: %q", got)
	}
}

// /tool e-mail get last-status says how the last send ended: backup
// mailers poll it before removing the file they mailed. A lab router sends
// nothing, so after a send it is "failed" and the mailer keeps its file.
// Was "input does not match any value of value-name".
func TestEmailLastStatus(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	run(t, r, "/tool e-mail set server=192.0.2.25 from=router@example.net")
	got := run(t, r, `:put ("[" . [/tool e-mail get last-status] . "]")
/tool e-mail send to="admin@example.net" subject="backup" body="b"
:put ([/tool e-mail get last-status] = "succeeded")
:put [/tool e-mail get last-status]`)
	if got != "[]\nfalse\nfailed\n" {
		t.Errorf("got %q", got)
	}
}

// An address's network is an ip value, so "[... get $i network] + 1" is
// the first host; a scheduler's interval is a time, printed 00:01:00 and
// equal to 1m. Both were strings: the addition failed and the comparison
// was false.
func TestTypedNetworkAndInterval(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, "/ip address add address=192.168.88.1/24 interface=ether2\n/system scheduler add name=s1 interval=1m on-event=\":put 1\"")
	got := run(t, r, `:local net [/ip address get [find interface=ether2] network]
:put ([:typeof $net] . " " . ($net + 1) . " " . ((192.168.88.77 & 255.255.255.0) = $net))
:local a [/ip address get [find interface=ether2] address]
:put ([:typeof $a] . " " . [:pick $a 0 [:find $a "/"]])
:put ([/system scheduler get s1 interval] . " " . ([/system scheduler get s1 interval] = 1m))`)
	if want := "ip 192.168.88.1 true\nstr 192.168.88.1\n00:01:00 true\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if exp := run(t, r, "/system scheduler export"); !strings.Contains(exp, "interval=1m") {
		t.Errorf("export changed: %s", exp)
	}
	run(t, r, "/tool netwatch add host=192.0.2.1 interval=30s\n/ip pool add name=p1 ranges=192.168.88.100-192.168.88.200\n/ip dhcp-server add name=d1 interface=ether2 address-pool=p1 lease-time=1h")
	got = run(t, r, `:put ([/tool netwatch get [find] interval] . " " . ([/ip dhcp-server get d1 lease-time] > 30m) . " " . [:typeof [/ip dhcp-server get d1 name]])`)
	if got != "00:00:30 true str\n" {
		t.Errorf("netwatch interval, lease-time: %q", got)
	}
}

// /ip address get gives netmask beside network (both ip values), and the
// firewall's address matchers take address/netmask: a public hairpin-NAT
// generator compares "($a->"netmask") < 255.255.255.252" and writes
// src-address="$network/$netmask". Was: no netmask (nothing, so every
// address was skipped) and "invalid value for argument src-address". A
// netmask whose ones are not contiguous stays invalid.
func TestAddressNetmask(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, "/ip address add address=192.168.88.1/24 interface=ether2\n/ip address add address=10.1.2.3/30 interface=ether1")
	got := run(t, r, `:foreach i in=[/ip address find] do={
  :local a [/ip address get $i]
  :put (($a->"netmask") . " " . [:typeof ($a->"netmask")] . " " . (($a->"netmask") < 255.255.255.252))
}
/ip firewall mangle add chain=forward src-address="192.168.88.0/255.255.255.0" dst-address=10.0.0.0/255.0.0.0 action=mark-connection new-connection-mark=HAIRPIN
:put [/ip firewall mangle get [find] src-address]
:put [/ip firewall mangle get [find] dst-address]`)
	if want := "255.255.255.0 ip true\n255.255.255.252 ip false\n192.168.88.0/24\n10.0.0.0/8\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := r.Run(context.Background(), "/ip firewall filter add chain=forward src-address=192.168.88.0/255.0.255.0"); err == nil || !strings.Contains(err.Error(), "invalid value for argument src-address") {
		t.Errorf("non-contiguous netmask: err = %v", err)
	}
}

// Of two routes to one destination in one table, only the one with the
// lower distance is active; the backup becomes active when the main one
// is disabled or the data plane holds it down (its gateway check failed),
// as a failover script reads it ("[/ip route get [find comment=ISP2]
// active]", "find where dst-address=0.0.0.0/0 and active"). Both were
// active. A route in another table is not behind it.
func TestBackupRouteInactive(t *testing.T) {
	k := &downKernel{}
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Kernel: k})
	run(t, r, `/ip address add address=198.51.100.7/24 interface=ether1
/ip address add address=203.0.113.7/24 interface=ether3
/routing table add name=alt fib
/ip route add gateway=198.51.100.1 comment=ISP1
/ip route add gateway=203.0.113.1 distance=2 comment=ISP2
/ip route add gateway=203.0.113.1 distance=3 routing-table=alt comment=ALT`)
	state := `:put ([/ip route get [find comment=ISP1] active] . " " . [/ip route get [find comment=ISP2] active] . " " . [/ip route get [find comment=ALT] active] . " " . [:len [/ip route find where dst-address=0.0.0.0/0 and active]])`
	if got := run(t, r, state); got != "true false true 2\n" {
		t.Errorf("both up: %q", got)
	}
	k.down = []kernel.Route{{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "198.51.100.1", Distance: 1}}
	if got := run(t, r, state); got != "false true true 2\n" {
		t.Errorf("ISP1 held down: %q", got)
	}
	k.down = nil
	run(t, r, "/ip route disable [find comment=ISP1]")
	if got := run(t, r, state); got != "false true true 2\n" {
		t.Errorf("ISP1 disabled: %q", got)
	}
	// A connected network (distance 0) is ahead of a static route to it.
	run(t, r, "/ip route add dst-address=198.51.100.0/24 gateway=203.0.113.1 comment=SHADOW\n/ip route add dst-address=192.0.2.0/24 gateway=203.0.113.1 comment=OTHER")
	if got := run(t, r, `:put ([/ip route get [find comment=SHADOW] active] . " " . [/ip route get [find comment=OTHER] active])`); got != "false true\n" {
		t.Errorf("route to a connected network: %q", got)
	}
}

// A stored script called through the code a command substitution gives,
// as a Telegram bot runs its command scripts ("[[:parse \"[:parse
// [/system script get $cmd source]] $restline\"]]"), gets the words after
// it from $0: an Antizapret command script reads ":local action $0;
// :local address $1". Was $0 empty and the words from $1, so every
// command fell through to its help text. A function called by its
// variable keeps $0 as its name.
func TestParsedScriptArgsFromZero(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	run(t, r, `/system script add name=azapret source=":local action \$0; :local address \$1; :if (\$action = \"add\") do={ /ip firewall address-list add list=antizapret address=\$address; :return [] }; :put \"help\""`)
	run(t, r, `:local cmd "azapret"; :local restline "add 192.0.2.9"
[[:parse "[:parse [/system script get $cmd source]] $restline"]]`)
	if got := run(t, r, `:put [/ip firewall address-list get [find list=antizapret] address]`); got != "192.0.2.9\n" {
		t.Errorf("address-list after the command: %q", got)
	}
	if got := run(t, r, `[:parse [/system script get azapret source]] status`); got != "help\n" {
		t.Errorf("another action: %q", got)
	}
	if got := run(t, r, `:local f [:parse [/system script get azapret source]]; $f add 192.0.2.10`); got != "help\n" {
		t.Errorf("called by its variable ($0 is \"$f\"): %q", got)
	}
}

// /ip neighbor lists what MNDP, CDP and LLDP found; rosemu speaks none of
// them, so a script walking it finds no neighbour and goes on. Was "bad
// command name find", which refused the whole script. It is a read-only
// list: add is refused, and a number names no item.
func TestNeighborListEmpty(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	got := run(t, r, `:local n 0
:foreach i in=[/ip neighbor find where identity~"^sw"] do={ :set n ($n + 1) }
:put ($n . " " . [/ip neighbor print count-only] . " " . [:len [/ip neighbor print as-value]])`)
	if got != "0 0 0\n" {
		t.Errorf("got %q", got)
	}
	for _, src := range []string{"/ip neighbor add address=192.0.2.1", ":put [/ip neighbor get 0 identity]"} {
		if _, err := r.Run(context.Background(), src); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}

// /system ssh and ssh-exec compile and fail when they run (rosemu opens
// no SSH connection from a lab router's scripts), so on-error takes over
// and a neighbour walk that never reaches them runs to its end. Were "bad
// command name ssh", which refused the whole script.
func TestSystemSSHFails(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	got := run(t, r, `:do { /system ssh 192.0.2.1 user=admin command="/system identity print" } on-error={ :put "ssh failed" }
:do { :local o [/system ssh-exec address=192.0.2.1 user=admin command=":put 1" as-value] } on-error={ :put "ssh-exec failed" }
:foreach n in=[/ip neighbor find] do={ /system ssh address=[/ip neighbor get $n address4] user=admin command="/user print" }
:put done`)
	if got != "ssh failed\nssh-exec failed\ndone\n" {
		t.Errorf("got %q", got)
	}
	if _, err := r.Run(context.Background(), `/system ssh address=192.0.2.1 user=admin command="x"`); err == nil || !strings.Contains(err.Error(), "rosemu opens no SSH connection to 192.0.2.1") {
		t.Errorf("err = %v", err)
	}
	if _, err := r.Run(context.Background(), `/system ssh address=192.0.2.1 bogus=1`); err == nil || !strings.Contains(err.Error(), "expected end of command") {
		t.Errorf("unknown parameter: err = %v", err)
	}
}

// print as-value types its values as get does: .id is an id, a boolean a
// bool, a scheduler's interval a time. Every value was a string, so
// "($i->\"disabled\") = false" compared text with a bool and [:typeof]
// said str.
func TestPrintAsValueTyped(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	run(t, r, "/ip firewall address-list add list=x address=192.0.2.1 disabled=yes\n/system scheduler add name=s1 interval=1m on-event=\":put 1\"")
	got := run(t, r, `:foreach i in=[/ip firewall address-list print as-value where list=x] do={ :put ([:typeof ($i->".id")] . " " . [:typeof ($i->"disabled")] . " " . (($i->"disabled") = true)); /ip firewall address-list remove ($i->".id") }
:put [:len [/ip firewall address-list find list=x]]
:put ((([/system scheduler print as-value]->0)->"interval") = 1m)`)
	if got != "id bool true\n0\ntrue\n" {
		t.Errorf("got %q", got)
	}
}

// TestInterfaceResetCounters: /interface reset-counters zeroes the named
// interfaces' counters, which then count on from there; reset-counters-all
// zeroes every interface's. The control: an interface not named keeps
// its count, and a number of no interface is "no such item".
func TestInterfaceResetCounters(t *testing.T) {
	links := countedLinks{"ether1": {RxBytes: 1500, TxBytes: 700}, "ether2": {RxBytes: 40}}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Links: links})
	run(t, r, "/interface ethernet set ether1 name=wan\n/interface reset-counters [find name=wan]")
	if got := run(t, r, `:put ([/interface get wan rx-byte] . " " . [/interface get ether2 rx-byte])`); got != "0 40\n" {
		t.Errorf("after reset of wan: %q", got)
	}
	links["ether1"] = kernel.LinkCounters{RxBytes: 1600, TxBytes: 750}
	if got := run(t, r, `:put ([/interface get wan rx-byte] . " " . [/interface get wan tx-byte])`); got != "100 50\n" {
		t.Errorf("traffic since the reset: %q", got)
	}
	run(t, r, "/interface reset-counters-all")
	if got := run(t, r, `:put ([/interface get wan rx-byte] + [/interface get ether2 rx-byte])`); got != "0\n" {
		t.Errorf("after reset-counters-all: %q", got)
	}
	if _, err := r.Run(context.Background(), "/interface reset-counters 9"); err == nil || !strings.Contains(err.Error(), "no such item") {
		t.Errorf("reset of no interface: %v", err)
	}
}

// TestScriptPolicyReported: a script or scheduler entry whose policy lacks
// write is reported as not enforced (since forum35 D11 for what rosemu
// still does not enforce: ftp, sensitive, ...); the exports' usual full
// policy and read,write are not (the controls).
func TestScriptPolicyReported(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/system script add name=full source=":log info x"
/system script add name=rw policy=read,write source=":log info x"
/system script add name=ro policy=read,test source=":log info x"
/system scheduler add name=s1 interval=1h on-event=ro policy=ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon
/system scheduler add name=s2 interval=1h on-event=ro policy=read,test`)
	got := map[string]int{}
	for _, n := range r.NotEnforced() {
		if n.Property == "policy" {
			got[n.Path] += n.Count
			if !strings.Contains(n.Reason, "ftp, sensitive") {
				t.Errorf("reason %q", n.Reason)
			}
		}
	}
	if got["/system script"] != 1 || got["/system scheduler"] != 1 {
		t.Errorf("policy reported %v, want one script (ro) and one scheduler entry (s2)", got)
	}
}

// growingLinks counts 125000 bytes and 100 packets more on ether1 at each
// reading: a link at about 1 Mbit/s when read a second apart.
type growingLinks struct{ n uint64 }

func (g *growingLinks) Running(name string) (bool, bool) { return name == "ether1", name == "ether1" }

func (g *growingLinks) Traffic(name string) (kernel.LinkCounters, bool) {
	if name != "ether1" {
		return kernel.LinkCounters{}, false
	}
	g.n++
	return kernel.LinkCounters{RxBytes: g.n * 125000, RxPackets: g.n * 100}, true
}

// /interface monitor-traffic <if> once as-value gives the rates of the
// last second as numbers, from two readings of the link's counters a
// second apart: traffic scripts compare ($m->"rx-bits-per-second") with a
// threshold. It was refused as "bad command name monitor-traffic". The
// control: the idle direction reads 0.
func TestMonitorTraffic(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Links: &growingLinks{}})
	got := run(t, r, `:local m [/interface monitor-traffic ether1 once as-value]
:put [:typeof ($m->"rx-bits-per-second")]
:put (($m->"rx-bits-per-second") > 800000 && ($m->"rx-bits-per-second") <= 1000000)
:put (($m->"rx-packets-per-second") > 80)
:put ($m->"tx-bits-per-second")`)
	if got != "num\ntrue\ntrue\n0\n" {
		t.Errorf("got %q", got)
	}
}
