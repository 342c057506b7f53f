package config

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/files"
)

// Scripts pass 4 (helper h25): firewall rules toggled and moved by
// comment, queues by time of day, /interface and /ip arp walks, leases
// made static, :execute file=, start-up schedulers, nested arrays and
// :toarray, functions with named arguments and :parse, :onerror, /log
// parsing, clock arithmetic and address-list timeouts, written in the
// shapes of public scripts, run as RouterOS runs them and checked by the
// configuration they leave.

func putLines(t *testing.T, r *Router, src string) string {
	t.Helper()
	return strings.TrimSpace(run(t, r, src))
}

// A DDNS updater that keeps the last address it sent in a file written by
// `:execute script=":put $ip" file="name"` and reads name.txt back (a
// public Cloudflare updater's shape). The fetch fails in a lab (nothing is
// sent); the file is written each time the address differs, and a run
// with the same address does not try to update. Before, file= was
// ignored: the address went to the console and no file was written, so
// every run tried the update again.
func TestH25ExecuteFileDDNS(t *testing.T) {
	store := &files.Store{}
	r := New(Options{Ports: ports, Files: store})
	run(t, r, `/ip address add address=198.51.100.20/24 interface=ether1
/system script add name=ddns-file source={
  :local host "gw.example.net"
  :local cur [/ip address get [find interface="ether1"] address]
  :set cur [:pick $cur 0 [:find $cur "/"]]
  :local prev ""
  :if ([/file find name="ddns-last.txt"] = "") do={
    :log warning "ddns-file: no previous address"
  } else={
    :set prev [/file get [find name="ddns-last.txt"] contents]
    :set prev [:pick $prev 0 [:find $prev "\n"]]
  }
  :if ($prev != $cur) do={
    :do {
      /tool fetch url=("https://dyn.example.net/update?host=" . $host . "&ip=" . $cur) output=none
      :log info ("ddns-file: " . $host . " -> " . $cur)
    } on-error={ :log error "ddns-file: update failed" }
    :if ([:len [/file find name="ddns-last.txt"]] > 0) do={ /file remove ddns-last.txt }
    :execute script=":put $cur" file="ddns-last"
  }
}`)
	if out := run(t, r, "/system script run ddns-file"); out != "" {
		t.Errorf("first run printed %q; the job's output goes to the file", out)
	}
	got, err := store.ReadFile("ddns-last.txt")
	if err != nil || string(got) != "198.51.100.20\n" {
		t.Fatalf("ddns-last.txt = %q, %v; want the address the job printed", got, err)
	}
	if logCount(r, "ddns-file: update failed") != 1 || logCount(r, "no previous address") != 1 {
		t.Fatalf("first run log %v", r.Log())
	}
	// Same address: the file is read, nothing is tried (control).
	run(t, r, "/system script run ddns-file")
	if n := logCount(r, "ddns-file: update failed"); n != 1 {
		t.Errorf("same address: %d update attempts, want 1", n)
	}
	// The address changes: the update is tried again and the file follows.
	run(t, r, `/ip address set [find interface=ether1] address=198.51.100.21/24
/system script run ddns-file`)
	if n := logCount(r, "ddns-file: update failed"); n != 2 {
		t.Errorf("changed address: %d update attempts, want 2", n)
	}
	if got, _ := store.ReadFile("ddns-last.txt"); string(got) != "198.51.100.21\n" {
		t.Errorf("ddns-last.txt after the change = %q", got)
	}
	// A name that ends with .txt is kept; without a file store the job
	// fails and says the file was not written (logged, not the caller's).
	run(t, r, `:execute script=":put done" file="run.txt"`)
	if got, _ := store.ReadFile("run.txt"); string(got) != "done\n" {
		t.Errorf("run.txt = %q", got)
	}
	r2 := New(Options{Ports: ports})
	if out := run(t, r2, `:execute script=":put x" file="y"`); out != "" {
		t.Errorf("no store: printed %q", out)
	}
	if !logHas(r2, "executing script from  failed") && !logHas(r2, "cannot be written") {
		t.Errorf("no store: log %v, want the job's failure", r2.Log())
	}
}

// Parental control: the rules are found by comment and enabled inside a
// time window, disabled outside it (set disabled=, disable). The window
// is put around the current hour, as the router's clock is the host's.
func TestH25FirewallToggleByComment(t *testing.T) {
	h := time.Now().Hour()
	src := func(from, to int) string {
		return fmt.Sprintf(`/system script set kids-toggle source={
  :local now [/system clock get time]
  :local from [:totime "%02d:00:00"]
  :local to [:totime "%02d:00:00"]
  :local night false
  :if ($from < $to) do={ :set night ($now >= $from && $now < $to) } else={ :set night ($now >= $from || $now < $to) }
  :foreach r in=[/ip firewall filter find where comment~"^kids-"] do={
    :local off [/ip firewall filter get $r disabled]
    :if ($night && $off) do={ /ip firewall filter set $r disabled=no; :log info ("kids: on " . [/ip firewall filter get $r comment]) }
    :if (!$night && !$off) do={ /ip firewall filter disable $r; :log info ("kids: off " . [/ip firewall filter get $r comment]) }
  }
}`, from%24, to%24)
	}
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter
add action=drop chain=forward comment=kids-night disabled=yes src-address-list=kids
add action=drop chain=forward comment=kids-games disabled=yes dst-port=27015 protocol=udp src-address-list=kids
add action=accept chain=forward comment=other disabled=yes
/system script add name=kids-toggle`)
	state := func() string {
		return putLines(t, r, `:foreach r in=[/ip firewall filter find] do={:put ([/ip firewall filter get $r comment] . "=" . [/ip firewall filter get $r disabled])}`)
	}
	// Outside the window (control): nothing changes.
	run(t, r, src(h+2, h+3))
	run(t, r, "/system script run kids-toggle")
	if got := state(); got != "kids-night=true\nkids-games=true\nother=true" {
		t.Errorf("outside the window: %q", got)
	}
	run(t, r, src(h, h+1))
	run(t, r, "/system script run kids-toggle")
	if got := state(); got != "kids-night=false\nkids-games=false\nother=true" {
		t.Errorf("inside the window: %q, want the kids- rules enabled only", got)
	}
	run(t, r, "/system script run kids-toggle")
	if n := logCount(r, "kids: on"); n != 2 {
		t.Errorf("second run inside: %d enables logged, want 2 (no change)", n)
	}
	run(t, r, src(h+2, h+3))
	run(t, r, "/system script run kids-toggle")
	if got := state(); got != "kids-night=true\nkids-games=true\nother=true" {
		t.Errorf("after the window: %q", got)
	}
}

// Rules moved by comment: a management rule to the top (move ...
// destination=), the drop rule to the end (move without a destination);
// a second run finds the order right and moves nothing.
func TestH25MoveRulesByComment(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter
add action=accept chain=input connection-state=established,related comment=est
add action=drop chain=input comment=drop-rest
add action=accept chain=input in-interface=ether2 comment=lan
add action=accept chain=input src-address=192.168.88.2 comment=mgmt-first
/system script add name=fw-order source={
  :local first [/ip firewall filter find where comment="mgmt-first"]
  :local all [/ip firewall filter find where chain=input]
  :if ([:pick $all 0] != $first) do={
    /ip firewall filter move $first destination=[:pick $all 0]
    :log info "fw-order: mgmt-first moved to the top"
  }
  :set all [/ip firewall filter find where chain=input]
  :local last [/ip firewall filter find where comment="drop-rest"]
  :if ([:pick $all ([:len $all] - 1)] != $last) do={
    /ip firewall filter move $last
    :log info "fw-order: drop-rest moved to the end"
  }
}`)
	order := func() string {
		return putLines(t, r, `:foreach r in=[/ip firewall filter find] do={:put [/ip firewall filter get $r comment]}`)
	}
	run(t, r, "/system script run fw-order")
	if got := order(); got != "mgmt-first\nest\nlan\ndrop-rest" {
		t.Errorf("order %q", got)
	}
	run(t, r, "/system script run fw-order")
	if logCount(r, "moved") != 2 {
		t.Errorf("second run moved again: %v", r.Log())
	}
	if exp := r.Export(); strings.Index(exp, "comment=mgmt-first") > strings.Index(exp, "comment=est") {
		t.Errorf("export keeps the old order:\n%s", exp)
	}
}

// Queue limits by time of day: night raises one queue's max-limit (only
// when it differs) and disables the guest queue; day puts them back.
func TestH25QueueByTime(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/queue simple
add max-limit=20M/50M name=office target=192.168.88.0/25
add max-limit=5M/10M name=guest target=192.168.88.128/25
/system script
add name=queue-day source={
  /queue simple set [find name="office"] max-limit=20M/50M
  /queue simple enable [find where name="guest"]
}
add name=queue-night source={
  :foreach q in=[/queue simple find where name="office"] do={
    :if ([/queue simple get $q max-limit] != "50M/100M") do={ /queue simple set $q max-limit=50M/100M }
  }
  /queue simple disable [find name="guest"]
}`)
	state := func() string {
		return putLines(t, r, `:foreach q in=[/queue simple find] do={:put ([/queue simple get $q name] . " " . [/queue simple get $q max-limit] . " " . [/queue simple get $q disabled])}`)
	}
	run(t, r, "/system script run queue-night")
	if got := state(); got != "office 50M/100M false\nguest 5M/10M true" {
		t.Errorf("night: %q", got)
	}
	run(t, r, "/system script run queue-day")
	if got := state(); got != "office 20M/50M false\nguest 5M/10M false" {
		t.Errorf("day: %q", got)
	}
}

// /interface print as-value walked for type, running and disabled: an
// interface list follows the running ports; a disabled port leaves it.
func TestH25InterfaceWalk(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface list add name=RUNNING
/system script add name=if-walk source={
  :local up 0
  :foreach i in=[/interface print as-value where type="ether"] do={
    :local n ($i->"name")
    :if (($i->"running") = true && ($i->"disabled") = false) do={
      :set up ($up + 1)
      :if ([:len [/interface list member find list=RUNNING interface=$n]] = 0) do={
        /interface list member add list=RUNNING interface=$n
      }
    } else={
      :log warning ("if-walk: " . $n . " is down")
      /interface list member remove [find list=RUNNING interface=$n]
    }
  }
  :log info ("if-walk: " . $up . " ports up")
}`)
	members := func() string {
		return putLines(t, r, `:foreach m in=[/interface list member find list=RUNNING] do={:put [/interface list member get $m interface]}`)
	}
	run(t, r, "/system script run if-walk")
	run(t, r, "/system script run if-walk")
	if got := members(); got != "ether1\nether2\nether3" {
		t.Errorf("all up, two runs: %q", got)
	}
	run(t, r, "/interface ethernet set ether3 disabled=yes\n/system script run if-walk")
	if got := members(); got != "ether1\nether2" || !logHas(r, "if-walk: ether3 is down") {
		t.Errorf("ether3 disabled: %q, log %v", got, r.Log())
	}
}

// Static ARP entries follow the static leases: entries without a lease or
// with a disabled one are removed, missing ones added with the lease's
// comment (`$l = ""` tests an empty find, as the public script does).
func TestH25ARPLeaseSync(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=lan-pool ranges=192.168.88.100-192.168.88.200
/ip dhcp-server add address-pool=lan-pool interface=ether2 name=lan-dhcp
/ip dhcp-server lease
add address=192.168.88.10 mac-address=02:00:5E:10:00:10 comment=printer server=lan-dhcp
add address=192.168.88.11 mac-address=02:00:5E:10:00:11 comment=nas server=lan-dhcp
add address=192.168.88.12 disabled=yes mac-address=02:00:5E:10:00:12 comment=old-pc server=lan-dhcp
/ip arp
add address=192.168.88.11 interface=ether2 mac-address=02:00:5E:10:00:11 comment=nas
add address=192.168.88.12 interface=ether2 mac-address=02:00:5E:10:00:12
add address=192.168.88.13 interface=ether2 mac-address=02:00:5E:10:00:13
add address=203.0.113.1 interface=ether1 mac-address=02:00:5E:10:00:FE
/system script add name=arp-sync source={
  :local wan "ether1"
  :foreach a in=[/ip arp find] do={
    :if ([/ip arp get $a interface] != $wan) do={
      :local mac [/ip arp get $a mac-address]
      :local l [/ip dhcp-server lease find where mac-address=$mac]
      :if ($l = "") do={ /ip arp remove $a } else={
        :if ([/ip dhcp-server lease get $l disabled]) do={ /ip arp remove $a }
      }
    }
  }
  :foreach l in=[/ip dhcp-server lease find where !dynamic] do={
    :local mac [/ip dhcp-server lease get $l mac-address]
    :if ([/ip arp find where mac-address=$mac] = "" && ![/ip dhcp-server lease get $l disabled]) do={
      /ip arp add address=[/ip dhcp-server lease get $l address] mac-address=$mac interface=ether2 comment=[/ip dhcp-server lease get $l comment]
    }
  }
}`)
	arp := func() string {
		return putLines(t, r, `:foreach a in=[/ip arp find] do={:put ([/ip arp get $a address] . " " . [/ip arp get $a comment])}`)
	}
	run(t, r, "/system script run arp-sync")
	want := "192.168.88.11 nas\n203.0.113.1 \n192.168.88.10 printer"
	if got := arp(); got != want {
		t.Errorf("after sync:\n%s\nwant\n%s", got, want)
	}
	run(t, r, "/system script run arp-sync")
	if got := arp(); got != want {
		t.Errorf("second run changed it:\n%s", got)
	}
}

// Dynamic leases made static (make-static on [find dynamic=yes]) and
// commented with their host names; the static one is left as it was.
func TestH25LeaseMakeStatic(t *testing.T) {
	r := dhcpRouter(t)
	for i, host := range []string{"laptop", ""} {
		id := DHCPClientID{MAC: fmt.Sprintf("02:00:00:00:00:0%d", i+1), HostName: host}
		o, err := r.Offer("lan", id, netip.Addr{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Request("lan", id, o.Address); err != nil {
			t.Fatal(err)
		}
	}
	run(t, r, `/system script add name=pin-leases source={
  :foreach l in=[/ip dhcp-server lease find where dynamic=yes status=bound] do={
    :local h [/ip dhcp-server lease get $l host-name]
    /ip dhcp-server lease make-static $l
    :if ([:len $h] > 0) do={ /ip dhcp-server lease set $l comment=("pinned " . $h) } else={ /ip dhcp-server lease set $l comment="pinned" }
  }
}`)
	if got := putLines(t, r, `:put [/ip dhcp-server lease print count-only where dynamic=yes]`); got != "2" {
		t.Fatalf("dynamic leases before: %s", got)
	}
	run(t, r, "/system script run pin-leases")
	if got := putLines(t, r, `:put [/ip dhcp-server lease print count-only where dynamic=yes]`); got != "0" {
		t.Errorf("dynamic leases after: %s", got)
	}
	got := putLines(t, r, `:foreach l in=[/ip dhcp-server lease find] do={:put ([/ip dhcp-server lease get $l mac-address] . " " . [/ip dhcp-server lease get $l comment] . " " . [/ip dhcp-server lease get $l dynamic])}`)
	if got != "02:00:00:00:00:50 printer false\n02:00:00:00:00:01 pinned laptop false\n02:00:00:00:00:02 pinned false" {
		t.Errorf("leases after:\n%s", got)
	}
	if exp := r.Export(); !strings.Contains(exp, `comment="pinned laptop"`) {
		t.Errorf("export lacks the pinned lease:\n%s", exp)
	}
}
