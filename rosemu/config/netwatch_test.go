package config

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestNetwatchResult(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, `:global probes 0
/ip route add gateway=10.0.0.254 comment=isp1
/system script add name=up1 policy=read,write source="/ip route enable [find comment=isp1]"
/tool netwatch
add host=10.0.0.254 interval=1s timeout=500ms down-script="/ip route disable [find comment=isp1]" up-script=up1 test-script=":global probes; :set probes (\$probes + 1)"
add host=10.0.0.253 type=icmp packet-count=4 thr-avg=20ms
add host=10.0.0.252 type=http-get
add host=10.0.0.251 disabled=yes`)
	es := r.NetwatchEntries()
	if len(es) != 2 || es[0].Interval != time.Second || es[0].Timeout != 500*time.Millisecond || es[0].StartDelay != 3*time.Second ||
		es[1].Type != "icmp" || es[1].PacketCount != 4 || es[1].ThrAvg != 20*time.Millisecond || es[1].ThrLossPercent != 85 || es[1].Timeout != 3*time.Second {
		t.Fatalf("entries %+v; want the simple and icmp ones (http-get is not probed, the disabled one not either)", es)
	}
	status := func() string { return run(t, r, ":put [/tool netwatch get [find host=10.0.0.254] status]") }
	routeOff := func() string { return run(t, r, ":put [/ip route get [find comment=isp1] disabled]") }
	if got := status(); got != "unknown\n" {
		t.Errorf("status before a probe: %q", got)
	}
	key := es[0].Key()
	at := time.Now()
	steps := []struct {
		up       bool
		status   string
		disabled string
	}{
		{false, "down", "true"},  // unknown to down: the down-script
		{false, "down", "false"}, // no change: no script undoes the route set before it
		{true, "up", "false"},    // down to up: the up-script names a /system script
		{true, "up", "true"},
	}
	for i, st := range steps {
		// The route set the other way first: only a change runs a script that
		// sets it back.
		run(t, r, "/ip route set [find comment=isp1] disabled="+map[bool]string{true: "yes", false: "no"}[st.status == "up"])
		if err := r.NetwatchResult(ctx, key, NetwatchProbe{Up: st.up}, at.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := status(); got != st.status+"\n" {
			t.Errorf("probe %d: status %q, want %s", i, got, st.status)
		}
		if got := routeOff(); got != st.disabled+"\n" {
			t.Errorf("probe %d: route disabled=%q, want %s", i, got, st.disabled)
		}
	}
	// Scripts ran on the two changes only; the test-script on every probe.
	if got := run(t, r, ":global probes; :put $probes"); got != "4\n" {
		t.Errorf("test-script ran %q times, want 4", got)
	}
	if got := run(t, r, ":put [/system script get up1 run-count]"); got != "1\n" {
		t.Errorf("up1 ran %q times, want once (the one change to up)", got)
	}
	// A result for an entry since edited is stale and changes nothing.
	run(t, r, "/tool netwatch set [find host=10.0.0.254] host=10.0.0.250")
	if err := r.NetwatchResult(ctx, key, NetwatchProbe{Up: false}, at); err != nil {
		t.Fatal(err)
	}
	if got := run(t, r, ":put [/tool netwatch get [find host=10.0.0.250] status]"); got != "unknown\n" {
		t.Errorf("an edited entry's status: %q, want unknown until its own first probe", got)
	}
	// A failing script keeps what it did before the failure, and is logged.
	run(t, r, `/tool netwatch add host=10.0.0.249 down-script="/ip firewall address-list add list=x address=10.0.0.1; /ip route set *99 disabled=yes"`)
	var broken string
	for _, e := range r.NetwatchEntries() {
		if e.Host.String() == "10.0.0.249" {
			broken = e.Key()
		}
	}
	if err := r.NetwatchResult(ctx, broken, NetwatchProbe{Up: false}, at); err == nil {
		t.Error("a failing down-script gave no error")
	}
	if got := run(t, r, ":put [:len [/ip firewall address-list find]]"); got != "1\n" {
		t.Errorf("address-list entries after the failed script: %q, want the one added before the failure", got)
	}
	if out := run(t, r, "/log print"); !strings.Contains(out, "netwatch 10.0.0.249") {
		t.Errorf("log has no line for the failed script:\n%s", out)
	}
}

func TestNetwatchNotEnforced(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/tool netwatch
add host=10.0.0.254
add host=10.0.0.253 type=dns
add host=10.0.0.252@vrf1
add host=2001:db8::1 type=icmp`)
	got := map[string]int{}
	for _, n := range r.NotEnforced() {
		if n.Path == "/tool netwatch" {
			got[n.Property] += n.Count
		}
	}
	if got["type"] != 1 || got["host"] != 1 || len(got) != 2 {
		t.Errorf("not enforced %v; want the dns entry (type) and the VRF one (host), not the simple one nor the IPv6 one", got)
	}
	// The IPv6 host is probed as the IPv4 one is (RouterOS 7 netwatch
	// takes ipv6 hosts, Netwatch page).
	if es := r.NetwatchEntries(); len(es) != 2 || es[1].Host != netip.MustParseAddr("2001:db8::1") {
		t.Errorf("probed entries %+v; want 10.0.0.254 and 2001:db8::1", es)
	}
}

// RouterOS 6 waited 1 s for an answer, 7 waits 3 s, when timeout is not set.
func TestNetwatchTimeoutByVersion(t *testing.T) {
	for version, want := range map[string]time.Duration{"6.49.17": time.Second, "7.16.2": 3 * time.Second} {
		r := New(Options{Ports: ports, Version: version})
		run(t, r, "/tool netwatch add host=10.0.0.254")
		if es := r.NetwatchEntries(); len(es) != 1 || es[0].Timeout != want {
			t.Errorf("%s: %+v, want a timeout of %v", version, es, want)
		}
	}
}

// TestNetwatchIgnoreInitial: with ignore-initial-down=yes the first
// result, down, runs no down-script; the next change runs its script as
// usual. The control, an entry without the switch, runs its down-script
// on the first result.
func TestNetwatchIgnoreInitial(t *testing.T) {
	ctx := context.Background()
	at := time.Now()
	for _, c := range []struct {
		flag, wantFirst, wantAfter string
	}{{"ignore-initial-down=yes ignore-initial-up=yes", "0", "1 1"}, {"", "1", "1 2"}} {
		r := New(Options{Ports: ports, Version: "7.20.4"})
		run(t, r, `:global downs 0
:global ups 0
/tool netwatch add host=10.0.0.254 `+c.flag+` down-script=":global downs; :set downs (\$downs + 1)" up-script=":global ups; :set ups (\$ups + 1)"`)
		key := r.NetwatchEntries()[0].Key()
		if err := r.NetwatchResult(ctx, key, NetwatchProbe{Up: false}, at); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(run(t, r, ":global downs; :put $downs")); got != c.wantFirst {
			t.Errorf("%q: down-scripts after the first result = %s, want %s", c.flag, got, c.wantFirst)
		}
		_ = r.NetwatchResult(ctx, key, NetwatchProbe{Up: true}, at.Add(time.Second))
		_ = r.NetwatchResult(ctx, key, NetwatchProbe{Up: false}, at.Add(2*time.Second))
		if got := strings.TrimSpace(run(t, r, ":global ups; :global downs; :put \"$ups $downs\"")); got != c.wantAfter {
			t.Errorf("%q: ups and downs after up and down = %s", c.flag, got)
		}
	}
}

// TestNetwatchScriptVars: a netwatch script reads the probe's results
// without declaring them (the forum's up-script compares $"response-count"
// with $"sent-count" and moves a route); the values are the probe's. The
// control probe lost an echo: the same script leaves the route. A script
// that reads a name no probe gives does not compile: it is stored and
// listed among the not-enforced items, which the forum script is not.
func TestNetwatchScriptVars(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		received int
		distance string
	}{
		{"all answered", 3, "1"},
		{"one lost", 2, "5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := New(Options{Ports: ports})
			run(t, r, `/ip route add dst-address=198.18.0.0/24 gateway=10.0.0.254 distance=5 comment=primary_route
/tool netwatch
add host=10.0.0.254 type=icmp packet-count=3 up-script={
  :local details ( "sent-count=" . ($"sent-count") . " response-count=" . ($"response-count"))
  :log info "PRIMARY INET UP $details"
  :if (($"response-count") = ($"sent-count")) do={
    /ip route set distance=1 number=[find comment="primary_route"]
  }
} test-script={ :log info ("test $status $host $type loss=" . $"loss-percent" . " avg=" . $"rtt-avg" . " " . [:typeof $"rtt-max"]) }`)
			if ne := r.NotEnforced(); len(ne) != 0 {
				t.Errorf("not enforced: %+v", ne)
			}
			key := r.NetwatchEntries()[0].Key()
			res := NetwatchProbe{Up: true, ICMP: true, Sent: 3, Received: c.received, Min: 4 * time.Millisecond, Avg: 5 * time.Millisecond, Max: 6 * time.Millisecond}
			if err := r.NetwatchResult(ctx, key, res, time.Now()); err != nil {
				t.Fatal(err)
			}
			var logged []string
			for _, e := range r.Log() {
				logged = append(logged, e.Topics+" "+e.Msg)
			}
			all := strings.Join(logged, "\n")
			want := fmt.Sprintf("script,info PRIMARY INET UP sent-count=3 response-count=%d", c.received)
			loss := map[int]string{3: "0", 2: "33"}[c.received]
			if !strings.Contains(all, want) || !strings.Contains(all, "script,info test up 10.0.0.254 icmp loss="+loss+" avg=00:00:00.005 time") {
				t.Errorf("log:\n%s\nwant %q and the test-script's line", all, want)
			}
			if got := run(t, r, ":put [/ip route get [find comment=primary_route] distance]"); got != c.distance+"\n" {
				t.Errorf("distance %q, want %s", got, c.distance)
			}
			if got := run(t, r, ":put [/tool netwatch get 0 response-count]"); got != fmt.Sprint(c.received)+"\n" {
				t.Errorf("status page response-count %q", got)
			}
		})
	}
	r := New(Options{Ports: ports})
	run(t, r, `/tool netwatch add host=10.0.0.254 type=icmp up-script={ :log info ("x" . $"sent-counts") }`)
	ne := r.NotEnforced()
	if len(ne) != 1 || ne[0].Path != "/tool netwatch" || ne[0].Property != "up-script" || !strings.Contains(ne[0].Reason, "does not compile") {
		t.Errorf("not enforced: %+v, want the up-script that does not compile", ne)
	}
}

// TestNetwatchScriptPolicy (forum41 D5): netwatch runs its scripts with
// read,write,test,reboot only (Netwatch page,
// https://help.mikrotik.com/docs/x/tAAZC: "Netwatch is limited to
// read,write,test,reboot script policies ... the script will not be
// executed"). A /system script with more (the default policy) does not
// run unless it has dont-require-permissions=yes, and an inline command
// that needs another policy fails; the control is a script whose policy
// is within netwatch's, which runs.
func TestNetwatchScriptPolicy(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r, `/ip route add gateway=10.0.0.254 comment=isp1
/system script add name=full source="/ip route disable [find comment=isp1]"
/system script add name=limited policy=read,write,test,reboot source="/ip route disable [find comment=isp1]"
/tool netwatch add host=10.0.0.254 down-script=full`)
	key := r.NetwatchEntries()[0].Key()
	routeOff := func() string { return run(t, r, ":put [/ip route get [find comment=isp1] disabled]") }
	down := func(what, want string) {
		t.Helper()
		run(t, r, "/ip route set [find comment=isp1] disabled=no")
		// up first, then down: each down probe is a change that runs the
		// down-script.
		_ = r.NetwatchResult(ctx, key, NetwatchProbe{Up: true}, time.Now())
		_ = r.NetwatchResult(ctx, key, NetwatchProbe{Up: false}, time.Now())
		if got := routeOff(); got != want+"\n" {
			t.Errorf("%s: route disabled=%q, want %s", what, got, want)
		}
	}
	down("default-policy script, dont-require-permissions=no", "false")
	if out := run(t, r, "/log print"); !strings.Contains(out, "not enough permissions") {
		t.Errorf("log has no permissions error:\n%s", out)
	}
	run(t, r, "/system script set full dont-require-permissions=yes")
	down("default-policy script, dont-require-permissions=yes", "true")
	run(t, r, "/tool netwatch set 0 down-script=limited")
	down("control: read,write,test,reboot script", "true")
	run(t, r, `/tool netwatch set 0 down-script="/ip route disable [find comment=isp1]"`)
	down("control: inline write", "true")
	run(t, r, `/tool netwatch set 0 down-script="/user group add name=g policy=read"`)
	down("inline command needing policy", "false")
	if got := run(t, r, ":put [:len [/user group find name=g]]"); got != "0\n" {
		t.Errorf("the inline /user group add ran (%q groups)", got)
	}
}

// TestNetwatchProbeOptions (forum41 D2, D3): the 7.x probe options
// thr-tcp-conn-time, ttl, accept-icmp-time-exceeded, http-code-min/max
// and check-certificate are taken on 7.4+ (Netwatch page,
// https://help.mikrotik.com/docs/display/ROS/Netwatch); tcp-conn's
// threshold reaches the probe, ttl and accept-icmp-time-exceeded are
// reported stored. type= and the thresholds came with 7.4 ("prior versions
// only support simple ICMP probes"): 7.3 refuses them as 6 does; the
// control is a simple entry, taken on 7.1.
func TestNetwatchProbeOptions(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	run(t, r, `/tool netwatch
add host=10.0.0.8 type=tcp-conn port=443 thr-tcp-conn-time=500ms
add host=10.0.0.9 type=icmp ttl=64 accept-icmp-time-exceeded=yes
add host=10.0.0.10 type=http-get http-code-min=100 http-code-max=299
add host=10.0.0.11 type=https-get check-certificate=no`)
	var thr time.Duration
	for _, e := range r.NetwatchEntries() {
		if e.Type == "tcp-conn" {
			thr = e.ThrTCPConn
		}
	}
	if thr != 500*time.Millisecond {
		t.Errorf("tcp-conn entry's ThrTCPConn = %v, want 500ms", thr)
	}
	got := map[string]bool{}
	for _, n := range r.NotEnforced() {
		if n.Path == "/tool netwatch" {
			got[n.Property] = true
		}
	}
	if !got["ttl"] || !got["accept-icmp-time-exceeded"] || got["thr-tcp-conn-time"] {
		t.Errorf("not enforced: %v; want ttl and accept-icmp-time-exceeded, not thr-tcp-conn-time", got)
	}
	for _, v := range []string{"7.1", "7.3.1"} {
		r := New(Options{Ports: ports, Version: v})
		run(t, r, "/tool netwatch add host=10.0.0.8")
		// Refused when the line is read, as an unknown name is (so no
		// on-error catches it): the version has no such parameter.
		if _, err := r.Run(context.Background(), "/tool netwatch add host=10.0.0.9 type=icmp thr-loss-percent=50%"); err == nil || !strings.Contains(err.Error(), "expected end of command") {
			t.Errorf("%s: type=icmp: %v, want refused as expected end of command (came with 7.4)", v, err)
		}
	}
	r74 := New(Options{Ports: ports, Version: "7.4"})
	run(t, r74, "/tool netwatch add host=10.0.0.9 type=icmp thr-loss-percent=50%")
}
