package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Agent is the name of the agent binary on every host's PATH.
const Agent = "labagent"

// Execer runs a command inside a lab node and returns its standard output and exit code. The
// running lab implements it with docker exec. Implementations return a non-nil error only when the
// command could not be run at all (no such node, engine unreachable); a command that ran and
// failed reports its exit code with a nil error. The context bounds the whole run.
type Execer interface {
	Exec(ctx context.Context, node string, cmd []string) (stdout []byte, exitCode int, err error)
}

// ConnectOptions tune the TCP and UDP probes. The zero value is valid.
type ConnectOptions struct {
	// Timeout bounds the whole probe; zero leaves the agent's default of 2s.
	Timeout time.Duration
	// ExpectName, when set, makes any other server name a wrong-answer.
	ExpectName string
}

func (o ConnectOptions) args(kind Kind, to string) []string {
	cmd := []string{Agent, string(kind), "--to", to}
	if o.Timeout > 0 {
		cmd = append(cmd, "--timeout", o.Timeout.String())
	}
	if o.ExpectName != "" {
		cmd = append(cmd, "--expect-name", o.ExpectName)
	}
	return cmd
}

// TCP connects from node from to the whoami server at to (host:port) and reports which server
// answered and the source address it saw.
func TCP(ctx context.Context, ex Execer, from, to string, opts ConnectOptions) (Result, error) {
	return run(ctx, ex, from, KindTCP, opts.args(KindTCP, to))
}

// UDP sends a datagram from node from to the whoami server at to (host:port) and reports which
// server answered and the source address it saw.
func UDP(ctx context.Context, ex Execer, from, to string, opts ConnectOptions) (Result, error) {
	return run(ctx, ex, from, KindUDP, opts.args(KindUDP, to))
}

// IperfOptions tune the throughput probe. The zero value is valid.
type IperfOptions struct {
	// Port is the iperf3 server port; zero means 5201. Lab nodes serve 5201-5203 so that up to
	// three tests may run against one server at once.
	Port int
	// Seconds is the test length; zero means 2.
	Seconds int
	// Reverse makes the server send (iperf3 -R).
	Reverse bool
	// Affinity pins the client to a CPU, and the server to another after
	// a comma ("0,1"), as iperf3 -A does.
	Affinity string
}

// Iperf measures TCP throughput from node from to the iperf3 server on host to.
func Iperf(ctx context.Context, ex Execer, from, to string, opts IperfOptions) (Result, error) {
	cmd := []string{Agent, string(KindIperf), "--to", to}
	if opts.Port > 0 {
		cmd = append(cmd, "--port", strconv.Itoa(opts.Port))
	}
	if opts.Seconds > 0 {
		cmd = append(cmd, "--seconds", strconv.Itoa(opts.Seconds))
	}
	if opts.Reverse {
		cmd = append(cmd, "--reverse")
	}
	if opts.Affinity != "" {
		cmd = append(cmd, "--affinity", opts.Affinity)
	}
	return run(ctx, ex, from, KindIperf, cmd)
}

// CPSOptions tune the connection-rate probe. The zero value is valid.
type CPSOptions struct {
	// Duration is how long to open connections; zero means 2s.
	Duration time.Duration
	// Concurrency is the number of parallel workers; zero means 8.
	Concurrency int
	// Timeout bounds each connection; zero means 1s.
	Timeout time.Duration
}

// CPS opens as many TCP connections per second as it can from node from to the whoami server at
// to (host:port) and reports the rate and latency percentiles.
func CPS(ctx context.Context, ex Execer, from, to string, opts CPSOptions) (Result, error) {
	cmd := []string{Agent, string(KindCPS), "--to", to}
	if opts.Duration > 0 {
		cmd = append(cmd, "--duration", opts.Duration.String())
	}
	if opts.Concurrency > 0 {
		cmd = append(cmd, "--concurrency", strconv.Itoa(opts.Concurrency))
	}
	if opts.Timeout > 0 {
		cmd = append(cmd, "--timeout", opts.Timeout.String())
	}
	return run(ctx, ex, from, KindCPS, cmd)
}

// DNSOptions tune the DNS probe. The zero value is valid.
type DNSOptions struct {
	// Type is A, AAAA or CNAME; empty means A.
	Type string
	// TCP sends the query over TCP instead of UDP.
	TCP bool
	// Timeout bounds the query; zero means 2s.
	Timeout time.Duration
}

// DNS asks the DNS server at server (an IP, optionally with :port) for name from node from.
func DNS(ctx context.Context, ex Execer, from, server, name string, opts DNSOptions) (Result, error) {
	cmd := []string{Agent, string(KindDNS), "--server", server, "--name", name}
	if opts.Type != "" {
		cmd = append(cmd, "--type", opts.Type)
	}
	if opts.TCP {
		cmd = append(cmd, "--tcp")
	}
	if opts.Timeout > 0 {
		cmd = append(cmd, "--timeout", opts.Timeout.String())
	}
	return run(ctx, ex, from, KindDNS, cmd)
}

// Conntrack counts the conntrack entries in node's network namespace (for the router's own count,
// ask the router).
func Conntrack(ctx context.Context, ex Execer, node string) (Result, error) {
	return run(ctx, ex, node, KindConntrack, []string{Agent, string(KindConntrack)})
}

// run executes cmd on node and parses its one line of JSON. It returns an error only when the
// agent did not produce a valid result; the result's outcome is never turned into an error.
func run(ctx context.Context, ex Execer, node string, kind Kind, cmd []string) (Result, error) {
	out, code, err := ex.Exec(ctx, node, cmd)
	if err != nil {
		return Result{}, fmt.Errorf("run %q on %s: %w", cmd, node, err)
	}
	if code != 0 {
		return Result{}, fmt.Errorf("run %q on %s: labagent exited with code %d, output %q", cmd, node, code, out)
	}
	var r Result
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Result{}, fmt.Errorf("parse output of %q on %s: %w, output %q", cmd, node, err, out)
	}
	if rest := bytes.TrimSpace(out[dec.InputOffset():]); len(rest) > 0 {
		return Result{}, fmt.Errorf("parse output of %q on %s: trailing text after the result, output %q", cmd, node, out)
	}
	if err := r.Validate(kind); err != nil {
		return Result{}, fmt.Errorf("check output of %q on %s: %w, output %q", cmd, node, err, out)
	}
	return r, nil
}
