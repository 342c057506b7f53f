package config

import (
	"context"
	"net/netip"
	"strconv"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// /ping as scripts use it: [/ping 192.0.2.1 count=3] is the number of
// echo replies received, the way failover scripts test a link (the
// Scripting manual's examples, https://help.mikrotik.com/docs/display/ROS/Scripting,
// and the Ping page, https://help.mikrotik.com/docs/display/ROS/Ping).
// The router sends the echoes itself (SetPinger), out of interface= when
// it is given (bound to that interface, as RouterOS sends them), else by
// the routing table routing-table= (or a VRF's, vrf=) names: the echoes
// carry that table's routing mark, which the kernel's ip rules send to
// the table, as a failover script's `/ping 192.0.2.1 routing-table=isp2`
// tests the second WAN whatever the main table's default route.

// PingRequest is one /ping run.
type PingRequest struct {
	Host      netip.Addr
	Src       netip.Addr // zero: the router picks
	Interface string     // "": the route's
	Mark      uint32     // the routing mark of routing-table= or vrf= (the kernel's table id); 0: main
	Count     int
	Interval  time.Duration
	Timeout   time.Duration
}

// PingResult is what came back of a PingRequest's echoes.
type PingResult struct {
	Sent, Received int
	// Min, Avg and Max are the answered echoes' round trips.
	Min, Avg, Max time.Duration
}

// Pinger sends req's echoes and says what came back.
type Pinger func(ctx context.Context, req PingRequest) PingResult

// SetPinger sets how /ping sends its echoes; without one /ping fails.
func (r *Router) SetPinger(fn Pinger) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sys.ping = fn
}

var pingSyntax = &script.Syntax{
	Params: map[string]bool{"address": true, "count": true, "interval": true, "interface": true,
		"src-address": true, "routing-table": true, "vrf": true, "size": true, "ttl": true,
		"do-not-fragment": true, "arp-ping": true, "dscp": true},
	Flags:   map[string]bool{"do-not-fragment": true, "as-value": true},
	Unnamed: 1,
}

// tableMark is the routing mark that sends a packet to the routing table
// (or VRF) name: its kernel id as routingState numbers the tables, 0 for
// main; false when no table has that name.
func (t *tx) tableMark(name string) (uint32, bool) {
	if name == "main" {
		return 0, true
	}
	var s kernel.State
	routingState(t, &s)
	for _, tb := range s.RoutingTables {
		if tb.Name == name {
			return uint32(tb.ID), true
		}
	}
	return 0, false
}

// maxPingCount bounds one /ping of a script: RouterOS's runs until it is
// interrupted when count is not given; rosemu's sends at most this many
// [verify] (scripts always give count=).
const maxPingCount = 10

func (t *tx) ping(ctx context.Context, req *request) (result, error) {
	addr, err := t.pingHost(ctx, req)
	if err != nil {
		return result{}, err
	}
	pr := PingRequest{Host: addr, Interval: time.Second, Timeout: time.Second}
	if pr.Count, err = countArg(req, maxPingCount); err != nil {
		return result{}, err
	}
	if err := durationArg(req, "interval", &pr.Interval); err != nil {
		return result{}, err
	}
	if v, ok := argValue(req.args, "src-address"); ok {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return result{}, errInvalid("src-address")
		}
		pr.Src = a
	}
	pr.Interface, _ = argValue(req.args, "interface")
	for _, name := range []string{"routing-table", "vrf"} {
		v, ok := argValue(req.args, name)
		if !ok {
			continue
		}
		mark, ok := t.tableMark(v)
		if !ok {
			return result{}, errNoMatch(name)
		}
		pr.Mark = mark
	}
	if t.r.sys.ping == nil {
		t.r.sys.offlinePing = true
		return result{}, errFailure("address", "rosemu has no pinger here")
	}
	// The echoes take seconds: the run lets the router go meanwhile, as
	// at a :delay (sleep.go), so a failover script that pings every few
	// seconds holds up neither the API nor the other scripts.
	ping, got := t.r.sys.ping, 0
	if err := t.outside(func() { got = ping(ctx, pr).Received }); err != nil {
		return result{}, err
	}
	text := "sent=" + strconv.Itoa(pr.Count) + " received=" + strconv.Itoa(got) + "\n"
	return result{val: script.Num(int64(got)), text: text}, nil
}

// /tool flood-ping sends echoes back to back (each as soon as the last
// was answered or timed out) and reports sent, received and the round
// trips. Scripts read them in its do={ } block, as the wiki's latency
// scripts do ("/tool flood-ping count=1 size=38 address=$host do={ :set
// avg ($"avg-rtt" + $avg) }", or ":if ($sent = 10) do={ ... }"): rosemu
// runs the block once, with the totals of the whole run, so both forms
// read what they expect. The round trips are numbers of milliseconds.
// [verify] whether RouterOS also runs the block for each echo before the
// last, and the variables' type. Source: the Flood Ping page of the
// wiki, https://wiki.mikrotik.com/wiki/Manual:Tools/Flood_Ping ("count",
// "size", "timeout", "do"; "sent", "received", "min-rtt", "avg-rtt",
// "max-rtt"), and the public latency scripts that call it.
var floodPingSyntax = &script.Syntax{
	Params:  map[string]bool{"address": true, "count": true, "size": true, "timeout": true, "interval": true},
	Flags:   map[string]bool{"as-value": true},
	Unnamed: 1,
	DoVars:  []string{"sent", "received", "min-rtt", "avg-rtt", "max-rtt"},
}

// maxFloodCount bounds one flood-ping of a script (RouterOS's default
// count is 500, and a lab's script has no use for more).
const maxFloodCount = 500

func (t *tx) floodPing(ctx context.Context, req *request) (result, error) {
	addr, err := t.pingHost(ctx, req)
	if err != nil {
		return result{}, err
	}
	pr := PingRequest{Host: addr, Timeout: time.Second}
	if pr.Count, err = countArg(req, maxFloodCount); err != nil {
		return result{}, err
	}
	if err := durationArg(req, "timeout", &pr.Timeout); err != nil {
		return result{}, err
	}
	if v, ok := argValue(req.args, "size"); ok {
		if n, err := strconv.Atoi(v); err != nil || n < 28 || n > 65535 {
			return result{}, errInvalid("size")
		}
	}
	if t.r.sys.ping == nil {
		t.r.sys.offlinePing = true
		return result{}, errFailure("address", "rosemu has no pinger here")
	}
	ping, got := t.r.sys.ping, PingResult{}
	if err := t.outside(func() { got = ping(ctx, pr) }); err != nil {
		return result{}, err
	}
	ms := func(d time.Duration) script.Value { return script.Num(d.Milliseconds()) }
	arr := &script.Array{Keys: map[string]script.Value{
		"sent": script.Num(int64(got.Sent)), "received": script.Num(int64(got.Received)),
		"min-rtt": ms(got.Min), "avg-rtt": ms(got.Avg), "max-rtt": ms(got.Max),
	}}
	if req.flags["as-value"] {
		// A do={ } block reads the values; nothing is printed.
		return result{val: script.Value{Kind: script.KindArray, Arr: arr}}, nil
	}
	text := "  SENT RCVD MIN-RTT AVG-RTT MAX-RTT\n" +
		"  " + strconv.Itoa(got.Sent) + " " + strconv.Itoa(got.Received) + " " +
		strconv.FormatInt(got.Min.Milliseconds(), 10) + " " + strconv.FormatInt(got.Avg.Milliseconds(), 10) + " " + strconv.FormatInt(got.Max.Milliseconds(), 10) + "\n"
	return result{val: script.Value{Kind: script.KindArray, Arr: arr}, text: text}, nil
}

// countArg is a ping's count=, at most most (and most when not given).
func countArg(req *request, most int) (int, error) {
	v, ok := argValue(req.args, "count")
	if !ok {
		return most, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errInvalid("count")
	}
	return min(n, most), nil
}

// durationArg sets *d from a ping's time argument name when it is
// given, at most 5 s: a lab's script has no use for longer waits.
func durationArg(req *request, name string, d *time.Duration) error {
	v, ok := argValue(req.args, name)
	if !ok {
		return nil
	}
	t, ok := script.ParseTime(v)
	if !ok || t <= 0 {
		return errInvalid(name)
	}
	*d = min(t, 5*time.Second)
	return nil
}

// pingHost is the address a ping command names (address=, or the unnamed
// value); a name is resolved as :resolve does.
func (t *tx) pingHost(ctx context.Context, req *request) (netip.Addr, error) {
	host, ok := argValue(req.args, "address")
	if !ok && req.hasRef {
		host, ok = req.ref, true
	}
	if !ok && len(req.extra) > 0 {
		host, ok = req.extra[0], true
	}
	if !ok || host == "" {
		return netip.Addr{}, &Error{Msg: "missing value for argument address", Category: 1, arg: "address"}
	}
	addr, err := netip.ParseAddr(host)
	if err == nil {
		return addr, nil
	}
	if t.r.sys.resolve == nil {
		t.r.sys.offlineResolve = true
		return netip.Addr{}, errFailure("address", "dns name does not exist")
	}
	if addr, err = t.r.sys.resolve(ctx, host); err != nil {
		return netip.Addr{}, errFailure("address", "dns name does not exist")
	}
	return addr, nil
}
