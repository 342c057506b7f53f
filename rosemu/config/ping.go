package config

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// Pinger sends the ICMP echoes of /ping from the router's namespace.
type Pinger interface {
	Ping(ctx context.Context, p PingRequest) PingResult
}

// PingRequest is one /ping.
type PingRequest struct {
	Address   netip.Addr
	Src       netip.Addr // zero: the route's
	Interface string     // "": the route's
	Count     int
	Interval  time.Duration
	Timeout   time.Duration // for each echo's answer
}

// PingResult is what came back.
type PingResult struct {
	Sent, Received int
	Avg, Max       time.Duration
}

// pingSyntax is /ping's (the Ping page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Ping): the address, also as
// its first unnamed value, and the usual options.
var pingSyntax = &script.Syntax{
	Params: map[string]bool{"address": true, "count": true, "interval": true, "interface": true, "src-address": true,
		"size": true, "ttl": true, "do-not-fragment": true, "arp-ping": true, "routing-table": true, "vrf": true, "dscp": true},
	Flags:   map[string]bool{"do-not-fragment": true},
	Unnamed: 1,
}

// pingDefaultCount is how many echoes a /ping without count= sends in
// rosemu: RouterOS pings until interrupted, which a script never is.
// [verify] what a script's /ping without count does.
const pingDefaultCount = 4

// ping runs /ping: count echoes interval apart (1 s), each given a second
// for its answer; in a script [/ping ...] is the number of answers, as
// failover scripts use it (:if ([/ping 8.8.8.8 count=3] = 0) do=...). On
// the console it prints RouterOS's summary line. Without a pinger (the
// offline check) no echo is sent and none is answered. routing-table,
// vrf, size, ttl, dscp and do-not-fragment are taken and not applied:
// echoes follow the main table. [verify] the timeout of each echo.
func (t *tx) ping(ctx context.Context, req *request) (result, error) {
	addr, ok := argValue(req.args, "address")
	if !ok && len(req.extra) > 0 {
		addr, ok = req.extra[0], true
	}
	if !ok || addr == "" {
		return result{}, &Error{Msg: "missing value for argument address", Category: 1, arg: "address"}
	}
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is4() {
		return result{}, &Error{Msg: "invalid value for argument address", Category: 1, arg: "address"}
	}
	p := PingRequest{Address: a, Count: pingDefaultCount, Interval: time.Second, Timeout: time.Second}
	if v, ok := argValue(req.args, "count"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return result{}, &Error{Msg: "invalid value for argument count", Category: 1, arg: "count"}
		}
		p.Count = n
	}
	if v, ok := argValue(req.args, "interval"); ok {
		d, ok := script.ParseTime(v)
		if !ok || d < 10*time.Millisecond {
			return result{}, &Error{Msg: "invalid value for argument interval", Category: 1, arg: "interval"}
		}
		p.Interval = d
	}
	if v, ok := argValue(req.args, "src-address"); ok {
		src, err := netip.ParseAddr(v)
		if err != nil {
			return result{}, &Error{Msg: "invalid value for argument src-address", Category: 1, arg: "src-address"}
		}
		p.Src = src
	}
	p.Interface, _ = argValue(req.args, "interface")
	var res PingResult
	if t.r.opts.Ping != nil {
		res = t.r.opts.Ping.Ping(ctx, p)
	} else {
		res.Sent = p.Count
	}
	loss := 0
	if res.Sent > 0 {
		loss = 100 * (res.Sent - res.Received) / res.Sent
	}
	text := fmt.Sprintf("    sent=%d received=%d packet-loss=%d%%", res.Sent, res.Received, loss)
	if res.Received > 0 {
		text += fmt.Sprintf(" avg-rtt=%s max-rtt=%s", res.Avg.Round(time.Microsecond), res.Max.Round(time.Microsecond))
	}
	return result{val: script.Num(int64(res.Received)), text: text + "\n"}, nil
}
