package runner

import (
	"context"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/scenario"
)

// extra runs the probes that take more than a target: the kinds added after tcp, udp, iperf, dns
// and conntrack, cps in both loops, and tcp/udp from a fixed source port. handled is false for a
// step the older switch runs.
func (p prober) extra(ctx context.Context, st scenario.Step, to netip.AddrPort, timeout time.Duration) (o scenario.Observation, handled bool, err error) {
	t := timeout.String()
	var args []string
	kind := probe.Kind(st.Probe)
	switch st.Probe {
	case scenario.TCP, scenario.UDP:
		if st.SrcPort == 0 {
			return o, false, nil
		}
		args = []string{"--to", to.String(), "--timeout", t, "--src-port", strconv.Itoa(st.SrcPort)}
	case scenario.CPS:
		args = []string{"--to", to.String(), "--duration", st.CPSDuration().String()}
		if st.Rate != "" {
			args = append(args, "--rate", st.Rate)
		}
	case scenario.HTTP:
		args = []string{"--to", to.String(), "--timeout", t}
		if st.Path != "" {
			args = append(args, "--path", st.Path)
		}
	case scenario.Ping:
		args = []string{"--to", to.Addr().String(), "--timeout", t}
		if st.Count > 0 {
			args = append(args, "--count", strconv.Itoa(st.Count))
		}
		if st.Interval > 0 {
			args = append(args, "--interval", st.Interval.String())
		}
	case scenario.FTP:
		args = []string{"--to", to.String(), "--timeout", t}
	case scenario.L2TP, scenario.SSTP:
		args = []string{"--to", to.String(), "--timeout", t, "--user", st.User, "--password", st.Password}
	case scenario.OVPN:
		args = []string{"--to", to.String(), "--timeout", t, "--user", st.User, "--password", st.Password}
		if st.Protocol != "" {
			args = append(args, "--protocol", st.Protocol)
		}
		if fp := p.ovpnFingerprint(ctx, to.Port()); fp != "" {
			args = append(args, "--fingerprint", fp)
		}
	case scenario.UPnP:
		// to is the mapping's external end: its port is the external
		// port; the gateway itself is found by SSDP.
		args = []string{"--external-port", strconv.Itoa(int(to.Port())), "--timeout", t}
		if st.Port != 0 {
			args = append(args, "--internal-port", strconv.Itoa(st.Port))
		}
		if st.Protocol != "" {
			args = append(args, "--protocol", st.Protocol)
		}
		if st.Lease != 0 {
			args = append(args, "--lease", st.Lease.String())
		}
		if st.ClientAddr.IsValid() {
			args = append(args, "--client", st.ClientAddr.String())
		}
		if st.Delete {
			args = append(args, "--delete")
		}
	case scenario.Port:
		args = []string{"--to", to.String(), "--timeout", t}
		if st.SrcPort != 0 {
			args = append(args, "--src-port", strconv.Itoa(st.SrcPort))
		}
	case scenario.Flow:
		args = []string{"--to", to.String(), "--duration", st.FlowDuration().String()}
		if st.SrcPort != 0 {
			args = append(args, "--src-port", strconv.Itoa(st.SrcPort))
		}
		if st.Interval > 0 {
			args = append(args, "--interval", st.Interval.String())
		}
		if !st.StartAt.IsZero() {
			args = append(args, "--start-at", strconv.FormatInt(st.StartAt.UnixNano(), 10))
		}
	case scenario.Connections:
		args = []string{"--to", to.String(), "--timeout", t}
		if st.Count > 0 {
			args = append(args, "--count", strconv.Itoa(st.Count))
		}
	case scenario.ResolveConnect:
		port := st.Port
		if port == 0 {
			port = 12566
		}
		args = []string{"--server", to.String(), "--name", st.Name, "--port", strconv.Itoa(port), "--timeout", t}
		if st.Transport == "tcp" {
			args = append(args, "--tcp")
		}
		if st.Connect != "" {
			args = append(args, "--connect", st.Connect)
		}
	default:
		return o, false, nil
	}
	run := func() (probe.Result, error) { return probe.Exec(ctx, p.raw.recorder(p.l, st), st.From, kind, args...) }
	if st.Probe != scenario.CPS {
		r, err := run()
		if err != nil {
			return o, true, err
		}
		return observe(r), true, nil
	}
	r, measured, err := measureAgain(ctx, run, func(r probe.Result) bool { return r.ProberBound }, proberRetryPause)
	if err != nil {
		return o, true, err
	}
	o = observe(r)
	o.Measured = measured
	return o, true, nil
}

// measureAgain runs a measurement (cps, conntrack-rate), and again, pause
// apart, while its prober fell behind its own schedule (or used every
// CPU), up to proberTries in all: the machine, not the path, set such
// figures, and another moment may be quieter. A figure still bound after
// that is not judged (report.NotJudged). It returns the last result and
// how many measurements were taken.
func measureAgain[T any](ctx context.Context, run func() (T, error), bound func(T) bool, pause time.Duration) (T, int, error) {
	r, err := run()
	measured := 1
	for ; err == nil && bound(r) && measured < proberTries; measured++ {
		select {
		case <-ctx.Done():
			return r, measured, ctx.Err()
		case <-time.After(pause):
		}
		r, err = run()
	}
	return r, measured, err
}

// A measurement the prober was the limit of is taken up to proberTries
// times, proberRetryPause apart.
const (
	proberTries      = 3
	proberRetryPause = 2 * time.Second
)

// observe copies an agent result into the scenario's observation.
func observe(r probe.Result) scenario.Observation {
	o := scenario.Observation{
		Result: string(r.Result), ServerName: r.ServerName, ServerSaw: r.ServerSaw, ServerSawPort: r.ServerSawPort, Millis: r.ConnectMS,
		BitsPerSecond: r.BitsPerSecond, Retransmits: r.Retransmits, Answers: r.Answers, Detail: r.Error,
		PerSecond: r.PerSecond, P50: r.P50MS, P90: r.P90MS, P99: r.P99MS, P999: r.P999MS, Max: r.MaxMS,
		Mode: r.Mode, Rate: r.Rate, CPUPercent: r.CPUPercent, ProberBound: r.ProberBound, Distribution: r.Distribution,
		Status: r.Status, Connections: r.Connections, Failures: r.Failures, Attempted: r.Attempted, Share: r.Share,
		AnsweredBy: r.AnsweredBy, Sent: r.Sent, Received: r.Received, Loss: r.Loss, RTTAvg: r.RTTAvgMS, RTTMax: r.RTTMaxMS,
		FirstReply: r.FirstReplyS, Stopped: r.StoppedS, Resumed: r.ResumedS,
		Assured: r.Assured, NewFlows: r.NewFlows, NewAnswered: r.NewAnswered,
		Established: r.Established, EstablishedSent: r.EstablishedSent, EstablishedAnswered: r.EstablishedAnswered,
	}
	if r.Probe == probe.KindResolveConnect && r.TotalMS > 0 {
		// The lookup and the connection: the connect time alone hid a slow
		// resolver (forum40 D9).
		o.Millis = r.TotalMS
	}
	if len(r.FailuresBy) > 0 {
		o.FailuresBy = map[string]int{}
		for k, v := range r.FailuresBy {
			o.FailuresBy[string(k)] = v
		}
	}
	if r.Probe == probe.KindUPnP {
		// What the gateway answered: its external address (judged by
		// answer), the mapping and its fate, a UPnP error with its
		// code, and where the gateway was found.
		if r.ExternalIP != "" {
			o.Answers = []string{r.ExternalIP}
		}
		o.UPnPError = r.UPnPError
		var d []string
		for _, x := range []string{r.Error, r.Mapped} {
			if x != "" {
				d = append(d, x)
			}
		}
		if r.ExternalIP != "" {
			d = append(d, "external address "+r.ExternalIP)
		}
		if r.Gateway != "" {
			d = append(d, "gateway "+r.Gateway)
		}
		o.Detail = strings.Join(d, "; ")
	}
	if r.Probe == probe.KindFTP && r.Passive != "" && o.Detail == "" {
		o.Detail = "PASV named " + r.Passive
	}
	if r.Probe == probe.KindConnections {
		// Who answered: one name when one server answered them all, so that expect.server
		// reads as "every connection reached it".
		o.ServerName = strings.Join(slices.Sorted(maps.Keys(r.AnsweredBy)), "+")
	}
	return o
}

// Counter reads the rules sel selects and sums their counters. RouterOS's API has no regex
// query, so every rule of the menu is printed and the selection applied here, as find would.
func (p prober) Counter(ctx context.Context, rule string, sel scenario.Selector) (scenario.Counter, error) {
	rows, err := p.rc.Print(ctx, sel.Menu)
	if err != nil {
		return scenario.Counter{}, fmt.Errorf("read counters of %s: %w", rule, err)
	}
	c := scenario.Counter{Rule: rule}
	for _, row := range rows {
		match := true
		for _, cond := range sel.Conds {
			match = match && cond.Match(row)
		}
		if !match {
			continue
		}
		c.Matched++
		for _, f := range []struct {
			name string
			into *int64
		}{{"packets", &c.Packets}, {"bytes", &c.Bytes}} {
			v, ok := row[f.name]
			if !ok {
				return c, fmt.Errorf("read counters of %s: the router printed no %s for rule %s", rule, f.name, row[".id"])
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return c, fmt.Errorf("read counters of %s: %s %q of rule %s: %w", rule, f.name, v, row[".id"], err)
			}
			*f.into += n
		}
	}
	return c, nil
}

// RouterLog reads the router's /log, each entry as "<topics> <message>".
func (p prober) RouterLog(ctx context.Context) ([]string, error) {
	rows, err := p.rc.Print(ctx, "/log")
	if err != nil {
		return nil, fmt.Errorf("read the router's log: %w", err)
	}
	out := make([]string, 0, len(rows))
	for _, row := range rows {
		out = append(out, row["topics"]+" "+row["message"])
	}
	return out, nil
}

// Netem applies a netem action through the labagent of its node, on the interface that holds the
// node's address on the named network (its first interface by default).
func (e *labEnv) Netem(ctx context.Context, st scenario.Step) (string, error) {
	var addr netip.Addr
	var nets []string
	for _, n := range e.spec.Nodes {
		if n.Name != st.Node {
			continue
		}
		for _, i := range n.Interfaces {
			nets = append(nets, i.Network)
			if !addr.IsValid() && (st.Network == "" || i.Network == st.Network) {
				addr = i.Address
			}
		}
	}
	if !addr.IsValid() {
		return "", fmt.Errorf("netem: node %s has no interface on network %q (it is on %s)", st.Node, st.Network, strings.Join(nets, ", "))
	}
	args := []string{"--address", addr.String()}
	if st.Clear {
		args = append(args, "--clear")
	}
	if st.Delay > 0 {
		args = append(args, "--delay", st.Delay.String())
	}
	if st.Loss > 0 {
		args = append(args, "--loss", strconv.FormatFloat(st.Loss, 'f', -1, 64))
	}
	if st.Rate != "" {
		args = append(args, "--rate", st.Rate)
	}
	r, err := probe.Exec(ctx, e.ex, st.Node, probe.KindNetem, args...)
	if err != nil {
		return "", err
	}
	if r.Result != probe.OK {
		return "", fmt.Errorf("netem on %s: %s", st.Node, r.Error)
	}
	return r.Applied, nil
}

// NodeNames lists the lab's host nodes, for error messages.
func (t topology) NodeNames() []string { return nodeNames(t.spec) }
