package config

import (
	"context"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// logLines runs /log print as-value and returns its entries as
// "topics|message|buffer".
func logLines(t *testing.T, r *Router) []string {
	t.Helper()
	out, err := r.Run(context.Background(), `:foreach e in=[/log print as-value] do={ :put (($e->"topics") . "|" . ($e->"message") . "|" . ($e->"buffer")) }`)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(strings.ReplaceAll(strings.TrimSpace(out), " ", "_"))
}

// TestLoggingRules: an entry goes to the actions of the rules whose
// topics it has (all of the positive ones, none of the negated ones) and
// whose regex its message matches, once per action, with the first such
// rule's prefix. The default rules keep info, warning, error and critical
// in memory and leave debug out (the control of the debug rule).
func TestLoggingRules(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `:log debug "d1"
:log info "i1"`)
	if got := strings.Join(logLines(t, r), " "); got != "script,info|i1|memory" {
		t.Errorf("default rules kept %q, want the info entry only", got)
	}
	run(t, r, `/system logging action add name=fw target=memory memory-lines=2
/system logging add topics=script,debug,!info action=fw prefix=DBG
/system logging add topics=script action=fw regex="^keep"
:log debug "d2"
:log warning "keep-w"
:log warning "drop-w"`)
	got := strings.Join(logLines(t, r), " ")
	for _, want := range []string{"script,debug|DBG_d2|fw", "script,warning|keep-w|fw", "script,warning|keep-w|memory", "script,warning|drop-w|memory"} {
		if !strings.Contains(got, want) {
			t.Errorf("log %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "drop-w|fw") || strings.Contains(got, "d1|fw") {
		t.Errorf("log %q: the regex or a negated topic let an entry through", got)
	}
	// memory-lines=2: a third entry for fw pushes its oldest out.
	run(t, r, `:log debug "d3"`)
	got = strings.Join(logLines(t, r), " ")
	if strings.Contains(got, "DBG_d2|fw") || !strings.Contains(got, "DBG_d3|fw") || !strings.Contains(got, "keep-w|fw") {
		t.Errorf("after a third fw entry: %q, want d2 gone, keep-w and d3 kept", got)
	}
	// stop-on-full keeps the oldest instead.
	run(t, r, `/system logging action set fw memory-stop-on-full=yes
:log debug "d4"`)
	if got = strings.Join(logLines(t, r), " "); strings.Contains(got, "d4") {
		t.Errorf("a full buffer that stops on full took d4: %q", got)
	}
	// The journal has everything, whatever the rules kept.
	var all []string
	for _, e := range r.Log() {
		all = append(all, e.Msg)
	}
	if j := strings.Join(all, " "); !strings.Contains(j, "d1") || !strings.Contains(j, "d4") {
		t.Errorf("Router.Log %q lacks entries no rule kept", j)
	}
}

// TestRemoteLogging: a remote action sends each entry its rules pass as
// one syslog datagram to remote:remote-port from src-address, with the
// facility and the severity of the entry's topics; bsd-syslog=yes adds
// the RFC 3164 header. A disk action and a CEF remote are stored and
// reported, and send nothing (the control).
//
// (An echo action replaces the disk action of this test's first form:
// disk actions are modelled now, TestDiskLogging.)
func TestRemoteLogging(t *testing.T) {
	type sent struct {
		host    string
		port    int
		src     netip.Addr
		payload string
	}
	var mu sync.Mutex
	var got []sent
	r := New(Options{Ports: ports, Version: "7.16.2", Syslog: func(host string, port int, src netip.Addr, payload []byte) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, sent{host, port, src, string(payload)})
	}})
	run(t, r, `/system identity set name=edge-1
/system logging action set remote remote=192.168.88.10 remote-port=5514 src-address=192.168.88.1 syslog-facility=local3
/system logging action add name=bsd target=remote remote=192.168.88.11 bsd-syslog=yes
/system logging action add name=cef target=remote remote=192.168.88.12 remote-log-format=cef
/system logging action add name=screen target=echo
/system logging add topics=script action=remote
/system logging add topics=script,warning action=bsd prefix=EDGE
/system logging add topics=script action=cef
/system logging add topics=script action=screen
:log warning "link flapped"
:log info "hello"`)
	mu.Lock()
	defer mu.Unlock()
	want := []sent{
		{"192.168.88.10", 5514, netip.MustParseAddr("192.168.88.1"), "<156>script,warning link flapped"},
		{"192.168.88.11", 514, netip.Addr{}, "edge-1 script,warning EDGE link flapped"},
		{"192.168.88.10", 5514, netip.MustParseAddr("192.168.88.1"), "<158>script,info hello"},
	}
	if len(got) != len(want) {
		t.Fatalf("sent %v, want %d datagrams", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.host != w.host || g.port != w.port || g.src != w.src || !strings.HasSuffix(g.payload, w.payload) {
			t.Errorf("datagram %d = %+v, want %+v", i, g, w)
		}
	}
	if !strings.HasPrefix(got[1].payload, "<28>") || len(got[1].payload) < len("<28>Jan _2 15:04:05 ") {
		t.Errorf("BSD datagram %q: want <28> and a time stamp", got[1].payload)
	}
	var reasons []string
	for _, ne := range r.NotEnforced() {
		if strings.HasPrefix(ne.Path, "/system logging") {
			reasons = append(reasons, ne.Path+" "+ne.Reason)
		}
	}
	if j := strings.Join(reasons, "; "); !strings.Contains(j, "echoes no log entries") || !strings.Contains(j, "remote-log-format=cef") {
		t.Errorf("not enforced: %q; want the echo and CEF actions", j)
	}
	if j := strings.Join(reasons, "; "); strings.Contains(j, "action=remote") || strings.Contains(j, "action=bsd") {
		t.Errorf("not enforced: %q names an action rosemu carries out", j)
	}
}

// TestDHCPClientLog: a DHCP client that gains an address, is renumbered
// and loses it writes RouterOS's dhcp,info entries; a renewal of the same
// address writes none (the control).
func TestDHCPClientLog(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip dhcp-client add interface=ether1 disabled=no")
	for _, l := range []*Lease{lease("203.0.113.2/24"), lease("203.0.113.2/24"), lease("203.0.113.9/24"), nil} {
		if err := r.SetLease("ether1", l); err != nil {
			t.Fatal(err)
		}
	}
	want := "dhcp,info|dhcp-client_on_ether1_got_IP_address_203.0.113.2|memory " +
		"dhcp,info|dhcp-client_on_ether1_lost_IP_address_203.0.113.2|memory " +
		"dhcp,info|dhcp-client_on_ether1_got_IP_address_203.0.113.9|memory " +
		"dhcp,info|dhcp-client_on_ether1_lost_IP_address_203.0.113.9|memory"
	if got := strings.Join(logLines(t, r), " "); got != want {
		t.Errorf("log:\n%s\nwant\n%s", got, want)
	}
}

// diskFiles is a writable file store for the disk action's tests.
type diskFiles struct {
	mu    sync.Mutex
	files map[string]string
}

func (f *diskFiles) ReadFile(name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return []byte(f.files[name]), nil
}

func (f *diskFiles) WriteFile(name string, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[name] = string(data)
	return nil
}

// TestDiskLogging: a disk action writes its entries to
// <disk-file-name>.0.txt and moves on to a new file when that holds
// disk-lines-per-file lines, keeping disk-file-count files; entries no
// rule sends there are not written (the control).
func TestDiskLogging(t *testing.T) {
	store := &diskFiles{files: map[string]string{}}
	r := New(Options{Ports: ports, Files: store})
	run(t, r, `/system logging action add name=audit target=disk disk-file-name=audit disk-lines-per-file=2 disk-file-count=2
/system logging add topics=script,warning action=audit
:log warning "w1"
:log info "i1"
:log warning "w2"
:log warning "w3"
:log warning "w4"
:log warning "w5"`)
	r.book.flush()
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.files) != 2 {
		t.Fatalf("files %v, want audit.0.txt and audit.1.txt", store.files)
	}
	newest, older := store.files["audit.0.txt"], store.files["audit.1.txt"]
	if !strings.HasSuffix(newest, " script,warning w5\n") || strings.Count(newest, "\n") != 1 {
		t.Errorf("audit.0.txt = %q, want w5 alone", newest)
	}
	if !strings.Contains(older, " script,warning w3\n") || !strings.Contains(older, " script,warning w4\n") {
		t.Errorf("audit.1.txt = %q, want w3 and w4", older)
	}
	for _, f := range store.files {
		if strings.Contains(f, "i1") || strings.Contains(f, "w1") {
			t.Errorf("a disk file holds an entry it should not: %q", f)
		}
	}
}

// TestCarrierLog: a port's carrier going and coming back is logged under
// the port's RouterOS name (a renamed port too); a link that is not a
// port writes nothing (the control).
func TestCarrierLog(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/interface ethernet set [find default-name=ether1] name=wan\n/interface bridge add name=bridge1")
	r.LogCarrier("ether1", false)
	r.LogCarrier("ether1", true)
	r.LogCarrier("bridge1", false)
	want := "interface,info|wan_link_down|memory interface,info|wan_link_up|memory"
	if got := strings.Join(logLines(t, r), " "); got != want {
		t.Errorf("log %q, want %q", got, want)
	}
}

// TestDHCPServerLog: a lease the server binds and its release are logged
// as RouterOS logs them; an offer and a renewal of the bound lease write
// nothing (the controls).
func TestDHCPServerLog(t *testing.T) {
	r := dhcpRouter(t)
	a := DHCPClientID{MAC: "02:00:00:00:00:01", HostName: "laptop"}
	if _, err := r.Offer("lan", a, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := r.Request("lan", a, netip.MustParseAddr("192.168.88.102")); err != nil {
			t.Fatal(err)
		}
	}
	r.Release("lan", a)
	var got []string
	for _, e := range r.Log() {
		if strings.HasPrefix(e.Topics, "dhcp") {
			got = append(got, e.Topics+" "+e.Msg)
		}
	}
	want := "dhcp,info lan assigned 192.168.88.102 for 02:00:00:00:00:01 laptop|dhcp,info lan deassigned 192.168.88.102 for 02:00:00:00:00:01 laptop"
	if strings.Join(got, "|") != want {
		t.Errorf("log %q, want %q", got, want)
	}
}

// TestDHCPServerLogV6: RouterOS 6 logs a lease's binding and end as
// "assigned <addr> to <MAC>" and "deassigned <addr> from <MAC>", without
// the host name (forum42 D2, [verify]); TestDHCPServerLog is the 7.x
// control.
func TestDHCPServerLogV6(t *testing.T) {
	r := New(Options{Ports: ports, Version: "6.49.18"})
	runOK(t, r, `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=lan ranges=192.168.88.100-192.168.88.102
/ip dhcp-server add name=lan interface=ether2 address-pool=lan lease-time=1m disabled=no
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1`)
	a := DHCPClientID{MAC: "02:00:00:00:00:01", HostName: "laptop"}
	if _, err := r.Offer("lan", a, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Request("lan", a, netip.MustParseAddr("192.168.88.102")); err != nil {
		t.Fatal(err)
	}
	r.Release("lan", a)
	var got []string
	for _, e := range r.Log() {
		if strings.HasPrefix(e.Topics, "dhcp") {
			got = append(got, e.Topics+" "+e.Msg)
		}
	}
	want := "dhcp,info lan assigned 192.168.88.102 to 02:00:00:00:00:01|dhcp,info lan deassigned 192.168.88.102 from 02:00:00:00:00:01"
	if strings.Join(got, "|") != want {
		t.Errorf("log %q, want %q", got, want)
	}
}

// TestLogPrintLayout: /log print writes RouterOS's lines, no header or
// numbers: the time alone for today's entries, the date too for older
// ones, in RouterOS 7's and 6's forms.
func TestLogPrintLayout(t *testing.T) {
	for _, tc := range []struct{ version, old string }{
		{"7.16.2", " 2023-09-15 09:54:33 system,info,account user admin logged in\n"},
		{"6.49.18", " sep/15/2023 09:54:33 system,info,account user admin logged in\n"},
	} {
		r := New(Options{Ports: ports, Version: tc.version})
		r.book.add(script.LogEntry{Time: time.Date(2023, 9, 15, 9, 54, 33, 0, time.Local), Topics: "system,info,account", Msg: "user admin logged in"})
		run(t, r, `:log info "hello"`)
		out := run(t, r, "/log print")
		lines := strings.SplitAfter(out, "\n")
		if len(lines) != 3 || lines[0] != tc.old || !regexp.MustCompile(`^ \d\d:\d\d:\d\d script,info hello\n$`).MatchString(lines[1]) {
			t.Errorf("%s: /log print = %q", tc.version, out)
		}
	}
}

// TestPPPoEClientLog: a PPPoE client's session coming up and going down
// is logged as RouterOS logs it; dialling and a repeated connected state
// write nothing (the controls).
func TestPPPoEClientLog(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/interface pppoe-client add interface=ether1 user=home password=s3cret disabled=no")
	s := &PPPoESession{Local: netip.MustParseAddr("100.64.7.9"), Remote: netip.MustParseAddr("198.51.100.1"), MTU: 1480}
	for _, st := range []struct {
		status string
		s      *PPPoESession
	}{{"dialing...", nil}, {"connected", s}, {"connected", s}, {"disconnected", nil}} {
		if err := r.SetPPPoESession("pppoe-out1", st.status, st.s); err != nil {
			t.Fatal(err)
		}
	}
	want := "pppoe,ppp,info|pppoe-out1:_connected|memory pppoe,ppp,info|pppoe-out1:_disconnected|memory"
	if got := strings.Join(logLines(t, r), " "); got != want {
		t.Errorf("log %q, want %q", got, want)
	}
}

// TestLogTimeZone: /log shows its entries on the router's clock: with a
// manual zone of +05:30 an entry's time is UTC's plus five and a half
// hours (UTC is the control: the zone's offset is what moved it).
func TestLogTimeZone(t *testing.T) {
	r := New(Options{Ports: ports})
	at := time.Date(2023, 9, 15, 9, 54, 33, 0, time.UTC)
	r.book.add(script.LogEntry{Time: at, Topics: "system,info", Msg: "m"})
	get := func() string { return strings.TrimSpace(run(t, r, ":put [/log get [find message=m] time]")) }
	if got := get(); got != "2023-09-15 09:54:33" {
		t.Errorf("UTC: %q", got)
	}
	run(t, r, "/system clock set time-zone-autodetect=no time-zone-name=manual\n/system clock manual set time-zone=+05:30")
	if got := get(); got != "2023-09-15 15:24:33" {
		t.Errorf("+05:30: %q, want 15:24:33", got)
	}
}

// TestLeaseRemoveDeassigns: removing a bound lease de-assigns it, as a
// release does: the log says so and the lease script runs with
// leaseBound=0. A script that fails after the remove keeps the lease and
// logs nothing; removing a lease no client holds writes nothing (the
// controls).
func TestLeaseRemoveDeassigns(t *testing.T) {
	r := dhcpRouter(t)
	run(t, r, `/ip dhcp-server set lan lease-script=":log info (\"bound=\" . \$leaseBound . \" \" . \$leaseActIP)"`)
	a := DHCPClientID{MAC: "02:00:00:00:00:01", HostName: "laptop"}
	if _, err := r.Offer("lan", a, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Request("lan", a, netip.MustParseAddr("192.168.88.102")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), "/ip dhcp-server lease remove [find address=192.168.88.102]; :error \"stop\""); err == nil {
		t.Fatal("the failing script succeeded")
	}
	run(t, r, "/ip dhcp-server lease remove [find address=192.168.88.50]")
	if n := run(t, r, ":put [/ip dhcp-server lease print count-only where address=192.168.88.102]"); n != "1\n" {
		t.Fatalf("the failed removal took the lease: %q", n)
	}
	run(t, r, "/ip dhcp-server lease remove [find address=192.168.88.102]")
	deadline := time.Now().Add(5 * time.Second)
	var got []string
	for time.Now().Before(deadline) {
		got = got[:0]
		for _, e := range r.Log() {
			if strings.Contains(e.Msg, "deassigned") || strings.HasPrefix(e.Msg, "bound=") {
				got = append(got, e.Msg)
			}
		}
		if len(got) >= 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	want := "lan deassigned 192.168.88.102 for 02:00:00:00:00:01 laptop|bound=0 192.168.88.102"
	if strings.Join(got, "|") != want {
		t.Errorf("log %q, want %q", got, want)
	}
}

// TestConnRateFaultLog: a failing connection-rate sampler, and its
// recovery, are written to /log under the rosemu topic with when it began
// and which rates the rules still see; the router's own entries (a port's
// carrier, the control) carry no such topic.
func TestConnRateFaultLog(t *testing.T) {
	r := New(Options{Ports: ports})
	since := time.Date(2026, 12, 5, 14, 20, 1, 0, time.Local)
	r.LogCarrier("ether1", false)
	r.LogConnRate(kernel.ConnRateFault{Err: "dump the conntrack table for connection-rate: EPERM", Since: since, Measured: since.Add(-time.Second)})
	r.LogConnRate(kernel.ConnRateFault{Since: since})
	got := logLines(t, r)
	want := []string{
		"interface,info|ether1_link_down|memory",
		"firewall,error,rosemu|connection-rate_not_enforced_since_14:20:01:_rosemu's_conntrack_sampler_failed:_dump_the_conntrack_table_for_connection-rate:_EPERM;_rules_with_connection-rate_see_the_rates_measured_at_14:20:00,_and_connections_that_started_since_read_0|memory",
		"firewall,info,rosemu|connection-rate_enforced_again:_rosemu's_conntrack_sampler_works_(it_failed_from_14:20:01)|memory",
	}
	if !slices.Equal(got, want) {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
