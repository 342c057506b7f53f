package config

import (
	"context"
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

// A start-up scheduler whose script waits for the WAN, then enables a
// NAT rule; an interval scheduler counting its runs in a global.
func TestH25StartupScheduler(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	boot := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	r.SetBootTime(boot)
	run(t, r, `/ip firewall nat add action=masquerade chain=srcnat comment=boot-nat disabled=yes out-interface=ether1
/system script
add name=on-boot source={
  :local tries 0
  :while ([/interface get ether1 running] != true && $tries < 5) do={ :delay 1s; :set tries ($tries + 1) }
  /ip firewall nat enable [find comment="boot-nat"]
  :global bootDone true
}
add name=tick source={
  :global ticks
  :if ([:typeof $ticks] != "num") do={ :set ticks 0 }
  :set ticks ($ticks + 1)
}
/system scheduler
add name=boot on-event="/system script run on-boot" start-time=startup
add interval=30s name=tick on-event=tick start-time=startup`)
	e := r.SchedulerEntries()
	if len(e) != 2 || !e[0].Startup || !e[1].Startup || e[1].Interval != 30*time.Second {
		t.Fatalf("entries %+v", e)
	}
	if _, ok := e[0].After(boot, boot.Add(3*time.Second)); ok {
		t.Error("the start-up entry without an interval runs again")
	}
	// After its start-up run the interval entry runs again within its
	// interval (rosemu counts from boot: boot+30s; whether RouterOS
	// counts from the start-up run, boot+33s, is [verify]).
	if next, ok := e[1].After(boot, boot.Add(3*time.Second)); !ok || next.Before(boot.Add(30*time.Second)) || next.After(boot.Add(33*time.Second)) {
		t.Errorf("tick after its start-up run: %v %v, want boot+30s..33s", next, ok)
	}
	for _, id := range []string{e[0].ID, e[1].ID, e[1].ID} {
		if err := r.RunScheduled(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if got := putLines(t, r, `:global ticks; :global bootDone; :put $ticks; :put $bootDone; :put [/ip firewall nat get [find comment=boot-nat] disabled]`); got != "2\ntrue\nfalse" {
		t.Errorf("ticks, bootDone, nat disabled = %q", got)
	}
}

// The language shapes: nested arrays and :foreach k,v; :toarray of CSV
// strings; functions with named arguments that :return and :error;
// :parse'd code called with $1; :error in :do on-error, :onerror's
// variable and result; /log print as-value parsed into a list with a
// timeout; minutes since midnight from the clock and a :timestamp
// difference.
func TestH25LanguageShapes(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/system script
add name=nested-cfg source={
  :local cfg {"lists"={"blocked"="198.51.100.7,198.51.100.8";"vip"="192.168.88.20"};"ttl"="1d"}
  :foreach list,csv in=($cfg->"lists") do={
    :foreach a in=[:toarray $csv] do={
      :if ([:len [/ip firewall address-list find list=$list address=$a]] = 0) do={
        /ip firewall address-list add list=$list address=$a comment=nested-cfg
      }
    }
  }
  :local n 0
  :foreach i,p in=[:toarray "22,23,8291"] do={ :set n ($n + 1) }
  :set ($cfg->"count") $n
  :log info ("nested-cfg: " . ($cfg->"count") . " ports, ttl " . ($cfg->"ttl") . ", " . [:len ($cfg->"lists")] . " lists")
}
add name=lib source={
  :global addToList do={
    :if ([:typeof $list] = "nothing" || [:typeof $address] = "nothing") do={ :error "addToList: list and address needed" }
    :if ([:len [/ip firewall address-list find list=$list address=$address]] > 0) do={ :return false }
    :if ([:typeof $timeout] = "nothing") do={
      /ip firewall address-list add list=$list address=$address
    } else={
      /ip firewall address-list add list=$list address=$address timeout=$timeout
    }
    :return true
  }
  :global double [:parse ":return (\$1 * 2)"]
}
add name=use-lib source={
  :global addToList
  :global double
  :local added 0
  :foreach a in={"198.51.100.30";"198.51.100.31";"198.51.100.30"} do={
    :if ([$addToList list=scanners address=$a timeout=1h]) do={ :set added ($added + 1) }
  }
  :do { $addToList list=scanners } on-error={ :log warning "use-lib: bad call caught" }
  :log info ("use-lib: added " . $added . ", double " . [$double 21])
}
add name=err-paths source={
  :local step "start"
  :do {
    :set step "check"
    :if ([:len [/ip route find where comment="no-such-route"]] = 0) do={ :error "no route" }
    :set step "done"
  } on-error={ :log warning ("err-paths: failed at " . $step) }
  :onerror e in={ :error "custom failure" } do={ :log warning ("err-paths: onerror " . $e) }
  :if ([:onerror e in={ :local x 1 } do={ :log error "unexpected" }] = false) do={ :log info "err-paths: no error" }
  :log info "err-paths: end"
}
add name=log-scan source={
  :foreach e in=[/log print as-value where topics~"warning" message~"login failure"] do={
    :local m ($e->"message")
    :local p [:find $m "from "]
    :if ([:typeof $p] = "num") do={
      :local ip [:pick $m ($p + 5) [:find $m " " ($p + 5)]]
      :if ([:typeof [:toip $ip]] = "ip" && [:len [/ip firewall address-list find list=bad-login address=$ip]] = 0) do={
        /ip firewall address-list add list=bad-login address=$ip timeout=30m comment=log-scan
      }
    }
  }
}
add name=clock-math source={
  :local t [/system clock get time]
  :local mins ([:tonum [:pick $t 0 2]] * 60 + [:tonum [:pick $t 3 5]])
  :local t0 [:timestamp]
  :delay 100ms
  :local took ([:timestamp] - $t0)
  :global lastClockMins $mins
  :global lastTook $took
}`)
	run(t, r, "/system script run nested-cfg\n/system script run nested-cfg")
	if got := putLines(t, r, `:foreach e in=[/ip firewall address-list find comment=nested-cfg] do={:put ([/ip firewall address-list get $e list] . " " . [/ip firewall address-list get $e address])}`); got != "blocked 198.51.100.7\nblocked 198.51.100.8\nvip 192.168.88.20" {
		t.Errorf("nested-cfg lists: %q", got)
	}
	if logCount(r, "nested-cfg: 3 ports, ttl 1d, 2 lists") != 2 {
		t.Errorf("nested-cfg log %v", r.Log())
	}
	run(t, r, "/system script run lib\n/system script run use-lib")
	if got := putLines(t, r, `:foreach e in=[/ip firewall address-list find list=scanners] do={:put ([/ip firewall address-list get $e address] . " " . [/ip firewall address-list get $e timeout])}`); got != "198.51.100.30 01:00:00\n198.51.100.31 01:00:00" {
		t.Errorf("scanners: %q", got)
	}
	if !logHas(r, "use-lib: bad call caught") || !logHas(r, "use-lib: added 2, double 42") {
		t.Errorf("use-lib log %v", r.Log())
	}
	run(t, r, "/system script run err-paths")
	for _, w := range []string{"err-paths: failed at check", "err-paths: onerror custom failure", "err-paths: no error", "err-paths: end"} {
		if !logHas(r, w) {
			t.Errorf("err-paths: no %q in %v", w, r.Log())
		}
	}
	if logHas(r, "unexpected") {
		t.Error(":onerror ran its handler without an error")
	}
	run(t, r, `:log warning "login failure for user admin from 198.51.100.40 via ssh"
:log info "login failure for user guest from 198.51.100.41 via ssh"
:log warning "login failure for user root from 198.51.100.42 via winbox"`)
	run(t, r, "/system script run log-scan\n/system script run log-scan")
	if got := putLines(t, r, `:foreach e in=[/ip firewall address-list find list=bad-login] do={:put ([/ip firewall address-list get $e address] . " " . [:typeof [/ip firewall address-list get $e timeout]])}`); got != "198.51.100.40 time\n198.51.100.42 time" {
		t.Errorf("bad-login (warnings only, once each): %q", got)
	}
	before := time.Now()
	run(t, r, "/system script run clock-math")
	got := putLines(t, r, `:global lastClockMins; :global lastTook; :put $lastClockMins; :put ($lastTook >= 100ms); :put [:typeof $lastTook]`)
	lines := strings.Split(got, "\n")
	now := time.Now()
	m0, m1 := before.Hour()*60+before.Minute(), now.Hour()*60+now.Minute()
	if len(lines) != 3 || (lines[0] != fmt.Sprint(m0) && lines[0] != fmt.Sprint(m1)) || lines[1] != "true" || lines[2] != "time" {
		t.Errorf("clock-math: %q, want minutes %d and a time of at least 100ms", got, m0)
	}
}

// A script that logs and then reads /log finds its own lines, at the
// console and in a /system script (run twice: the first run's lines are
// the router's by then). Before, :log lines were kept with the run until
// it ended, so /log find did not see them: the counts were 0 and 1.
func TestH25LogSeesOwnEntries(t *testing.T) {
	r := New(Options{Ports: ports})
	if got := putLines(t, r, `:log warning "login failure for user admin from 198.51.100.7 via ssh"
:put [/log print count-only where message~"login failure"]
:foreach l in=[/log print as-value where topics~"warning"] do={:put ($l->"message")}`); got != "1\nlogin failure for user admin from 198.51.100.7 via ssh" {
		t.Errorf("console: %q", got)
	}
	run(t, r, `/system script add name=mark source={
  :log info "mark: run"
  :global marks [:len [/log find where message="mark: run"]]
}`)
	run(t, r, "/system script run mark")
	run(t, r, "/system script run mark")
	if got := putLines(t, r, ":global marks; :put $marks"); got != "2" {
		t.Errorf("second run counted %s of its marks, want 2", got)
	}
}

// A where clause names the item's id as .id: a rule found by its id, and
// the wait for an :execute'd job to end (a public helper library loops on
// [/system script job find where .id=$jobId]; rosemu runs the job to its
// end first, so the loop ends at once). Was a syntax error at ".id".
func TestH25WhereDotID(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter add chain=input action=accept comment=a
/ip firewall filter add chain=input action=accept comment=b`)
	got := putLines(t, r, `:local id [/ip firewall filter find comment=b]
:put [/ip firewall filter get [find where .id=$id] comment]
:put [:len [/ip firewall filter find where .id!=$id]]
:put [:len [/ip firewall filter find where .id=$id chain=input]]
:put [:len [/ip firewall filter find where chain=input .id=$id]]
:put [:len [/ip firewall filter find where chain="input" .id!=$id]]
:local j [:execute ":put x" as-string]
:local job [:execute ":local y 1"]
:local waited 0
:while (([:len [/system script job find where .id=$job]] = 1) && ($waited < 5)) do={ :delay 10ms; :set waited ($waited + 1) }
:put $waited`)
	if got != "b\n1\n1\n1\n1\n0" {
		t.Errorf("got %q", got)
	}
}

// Global commands written with '/' (the root menu's): "/execute
// script=$src", "/delay delay-time=1" and "/put" of a public script
// framework run as with ':'; a menu of the root keeps its name (/log info
// is the log menu's command). :delay takes its time as delay-time= too.
// Were "bad command name execute" and "missing value for argument
// delay-time".
func TestH25SlashGlobals(t *testing.T) {
	r := New(Options{Ports: ports})
	got := run(t, r, `/system script add name=job source={ /local n 2; /put ("job " . $n) }
:local src "/system script run job"
/execute script=$src
/delay delay-time=10ms
:delay delay-time=10ms
/put "after"
/log info "via menu"
/put [/log print count-only where message="via menu"]`)
	if got != "job 2\nafter\n1\n" {
		t.Errorf("got %q", got)
	}
	if !strings.Contains(run(t, r, "/system identity print"), "name: MikroTik") {
		t.Error("/system identity print changed")
	}
}

// An update monitor: check-for-updates would reach MikroTik's upgrade
// server, so it fails saying nothing was sent; the script's on-error logs
// it and nothing claims a new version. download and install fail alike,
// with or without without-paging (eworm's check-routeros-update). Was
// "bad command name check-for-updates": the script did not compile.
func TestH25UpdateCheckNotSent(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/system script add name=update-check source={
  /system package update
  :do {
    check-for-updates once
    :delay 3s
    :if ([get status] = "New version is available") do={
      :log warning ("update-check: " . [get installed-version] . " -> " . [get latest-version])
    }
  } on-error={ :log error "update-check: check failed" }
}`)
	run(t, r, "/system script run update-check")
	if !logHas(r, "update-check: check failed") || logHas(r, "->") {
		t.Errorf("log %v; want the check's failure handled", r.Log())
	}
	for _, cmd := range []string{"check-for-updates once", "download", "install", "download without-paging", "install without-paging"} {
		_, err := r.Run(context.Background(), "/system package update "+cmd)
		if err == nil || !strings.Contains(err.Error(), "nothing is sent") {
			t.Errorf("%s: %v; want a failure saying nothing was sent", cmd, err)
		}
	}
}

// A PPPoE failover check: the client's status from
// [/interface pppoe-client monitor ... once as-value], routes' distances
// swapped when it is not connected; the file= form writes "status: ..."
// lines that a second script reads back. Was "bad command name monitor".
func TestH25PPPoEMonitor(t *testing.T) {
	store := &files.Store{}
	r := New(Options{Ports: ports, Files: store})
	run(t, r, `/interface pppoe-client add name=isp1 interface=ether1 user=u password=p disabled=no
/ip route add dst-address=0.0.0.0/0 gateway=isp1 distance=20 comment=ISP1
/ip route add dst-address=0.0.0.0/0 gateway=203.0.113.1 distance=30 comment=ISP2
/system script add name=pppoe-check source={
  :local st ([/interface pppoe-client monitor isp1 once as-value]->"status")
  :local d1 [/ip route get [find comment="ISP1"] distance]
  :if ($st != "connected" && $d1 = 20) do={
    /ip route set [find comment="ISP1"] distance=30
    /ip route set [find comment="ISP2"] distance=20
    :log warning ("pppoe-check: isp1 " . $st)
  }
  :if ($st = "connected" && $d1 != 20) do={
    /ip route set [find comment="ISP1"] distance=20
    /ip route set [find comment="ISP2"] distance=30
    :log info "pppoe-check: isp1 back"
  }
}
/system script add name=pppoe-file source={
  /interface pppoe-client monitor [find name=isp1] once file=pppoe-mon
  :local txt [/file get [find name="pppoe-mon.txt"] contents]
  :local p ([:find $txt "status: "] + 8)
  :global monStatus [:pick $txt $p [:find $txt "\n" $p]]
}`)
	dist := func() string {
		return putLines(t, r, `:put ([/ip route get [find comment=ISP1] distance] . "/" . [/ip route get [find comment=ISP2] distance])`)
	}
	if err := r.SetPPPoESession("isp1", "connecting...", nil); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/system script run pppoe-check\n/system script run pppoe-check")
	if got := dist(); got != "30/20" || logCount(r, "pppoe-check: isp1 connecting...") != 1 {
		t.Errorf("not connected: %s, log %v", got, r.Log())
	}
	s := &PPPoESession{Local: netip.MustParseAddr("100.64.7.9"), Remote: netip.MustParseAddr("198.51.100.1"), MTU: 1480}
	if err := r.SetPPPoESession("isp1", "connected", s); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/system script run pppoe-check")
	if got := dist(); got != "20/30" {
		t.Errorf("connected: %s", got)
	}
	run(t, r, "/system script run pppoe-file")
	if got := putLines(t, r, ":global monStatus; :put $monStatus"); got != "connected" {
		t.Errorf("status read from the monitor's file: %q", got)
	}
	if out := run(t, r, "/interface pppoe-client monitor isp1 once"); !strings.Contains(out, "status: connected") || !strings.Contains(out, "local-address: 100.64.7.9") {
		t.Errorf("monitor print:\n%s", out)
	}
}

// The manual's :execute example ends its background job with
// ":do { /system script job remove $j } on-error={}": rosemu's job has
// ended already, so the removal is "no such item" and the on-error takes
// it; a script that removes its own running job is told rosemu cannot.
// Was "bad command name remove", so such a script did not compile.
func TestH25ScriptJobRemove(t *testing.T) {
	r := New(Options{Ports: ports})
	if got := run(t, r, `:local j [:execute {:put "bg"}]
:do { /system script job remove $j } on-error={ :put "already ended" }
/system script job remove [find script=none]
:put "after"`); got != "bg\nalready ended\nafter\n" {
		t.Errorf("got %q", got)
	}
	run(t, r, `/system script add name=self source={ /system script job remove [find script=self] }`)
	if _, err := r.Run(context.Background(), "/system script run self"); err == nil || !strings.Contains(err.Error(), "cannot stop") {
		t.Errorf("removing its own job: %v", err)
	}
}

// 7.x netwatch probes other than icmp: a tcp-conn entry's down- and
// up-scripts move a route's distance on the results the service reports
// (a repeated down runs nothing); an http-get entry is not handed to the
// service at all, as validate reports ("never probed").
func TestH25NetwatchTCPConn(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `/ip route add comment=via-isp1 distance=1 gateway=198.51.100.1
/tool netwatch
add host=198.51.100.1 type=http-get interval=30s down-script="/ip route set [find comment=via-isp1] distance=5"
add host=192.168.88.11 type=tcp-conn port=445 interval=20s down-script="/ip route set [find comment=via-isp1] distance=3; :log warning \"nas tcp down\"" up-script="/ip route set [find comment=via-isp1] distance=1"`)
	es := r.NetwatchEntries()
	if len(es) != 1 || es[0].Type != "tcp-conn" || es[0].Port != 445 {
		t.Fatalf("entries handed to the service: %+v; want the tcp-conn one only", es)
	}
	key := es[0].Key()
	dist := func() string { return putLines(t, r, `:put [/ip route get [find comment=via-isp1] distance]`) }
	now := time.Now()
	for i, step := range []struct {
		up   bool
		want string
	}{{true, "1"}, {false, "3"}, {false, "3"}, {true, "1"}} {
		if err := r.NetwatchResult(ctx, key, NetwatchProbe{Up: step.up}, now.Add(time.Duration(i)*20*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := dist(); got != step.want {
			t.Errorf("step %d (up=%v): distance %s, want %s", i, step.up, got, step.want)
		}
	}
	if n := logCount(r, "nas tcp down"); n != 1 {
		t.Errorf("down-script ran %d times, want 1", n)
	}
}
