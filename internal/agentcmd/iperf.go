package agentcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// iperfOptions are the inputs of the iperf probe.
type iperfOptions struct {
	to             string
	port           int
	seconds        int
	reverse        bool
	affinity       string // iperf3 -A: the client's CPU, and ",n" the server's
	connectTimeout time.Duration
	// busyBudget is how long to keep retrying a server that is busy with another test.
	busyBudget time.Duration
}

func cmdIperf(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("iperf", flag.ContinueOnError)
	var o iperfOptions
	fs.StringVar(&o.to, "to", "", "iperf3 server `host`")
	fs.IntVar(&o.port, "port", 5201, "iperf3 server `port`")
	fs.IntVar(&o.seconds, "seconds", 2, "test length in `seconds`")
	fs.BoolVar(&o.reverse, "reverse", false, "the server sends (iperf3 -R)")
	fs.StringVar(&o.affinity, "affinity", "", "pin the client to CPU `n`, and the server to CPU m with n,m (iperf3 -A)")
	fs.DurationVar(&o.connectTimeout, "connect-timeout", 2*time.Second, "bound on connecting to the server")
	fs.DurationVar(&o.busyBudget, "busy-wait", 10*time.Second, "how long to retry a server busy with another test")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if o.to == "" {
		return probe.Result{}, usageErrorf(stderr, fs, "--to is required")
	}
	if o.seconds <= 0 || o.seconds > 600 {
		return probe.Result{}, usageErrorf(stderr, fs, "--seconds %d is not within 1..600", o.seconds)
	}
	if o.connectTimeout < time.Millisecond {
		return probe.Result{}, usageErrorf(stderr, fs, "--connect-timeout must be at least 1ms")
	}
	return probeIperf(ctx, o), nil
}

// iperfReport is the part of iperf3 -J output the probe reads.
type iperfReport struct {
	End struct {
		SumSent struct {
			Seconds       float64 `json:"seconds"`
			BitsPerSecond float64 `json:"bits_per_second"`
			Retransmits   int     `json:"retransmits"`
		} `json:"sum_sent"`
		SumReceived struct {
			Seconds       float64 `json:"seconds"`
			BitsPerSecond float64 `json:"bits_per_second"`
		} `json:"sum_received"`
	} `json:"end"`
	Error string `json:"error"`
	// raw is iperf3's whole report as it printed it.
	raw json.RawMessage
}

// errIperfBusy is iperf3's answer when its server is running another test.
var errIperfBusy = errors.New("iperf3 server is busy")

// probeIperf runs iperf3 as a client. A busy server (each iperf3 -s serves one test at a time) is
// retried every 300 ms within busyBudget; every other failure is the result.
func probeIperf(ctx context.Context, o iperfOptions) probe.Result {
	res := probe.Result{Probe: probe.KindIperf}
	giveUp := time.Now().Add(o.busyBudget)
	for {
		rep, err := runIperf(ctx, o)
		if errors.Is(err, errIperfBusy) && time.Now().Before(giveUp) {
			time.Sleep(300 * time.Millisecond)
			continue
		}
		res.Iperf3 = rep.raw
		if err != nil {
			res.Result = iperfOutcome(err)
			res.Error = err.Error()
			return res
		}
		res.Result = probe.OK
		res.BitsPerSecond = rep.End.SumReceived.BitsPerSecond
		res.SentBitsPerSecond = rep.End.SumSent.BitsPerSecond
		res.Retransmits = rep.End.SumSent.Retransmits
		res.Seconds = rep.End.SumReceived.Seconds
		return res
	}
}

// runIperf runs one iperf3 client. iperf3 3.12 exits 0 even when it failed to connect, so the
// "error" member of its JSON decides, not the exit code.
func runIperf(ctx context.Context, o iperfOptions) (iperfReport, error) {
	args := []string{"-c", o.to, "-p", strconv.Itoa(o.port), "-t", strconv.Itoa(o.seconds), "-J",
		"--connect-timeout", strconv.FormatInt(o.connectTimeout.Milliseconds(), 10)}
	if o.reverse {
		args = append(args, "-R")
	}
	if o.affinity != "" {
		args = append(args, "-A", o.affinity)
	}
	// A run of 3 s or more leaves out its first second, TCP's slow start, which is a third of a
	// short run and made runs of the same path disagree by more than the paths differ; the
	// seconds asked for are all measured, and the run lasts one more.
	omit := 0
	if o.seconds >= 3 {
		omit = 1
		args = append(args, "-O", strconv.Itoa(omit))
	}
	// The test may stall when the path breaks mid-test (a WAN renumbered under it); the slack
	// covers iperf3's start and its final exchange of results.
	budget := time.Duration(o.seconds+omit)*time.Second + o.connectTimeout + 5*time.Second
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	cmd := exec.CommandContext(ctx, "iperf3", args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	if ctx.Err() != nil {
		return iperfReport{}, fmt.Errorf("run iperf3 against %s port %d: no result within %s: %w", o.to, o.port, budget, ctx.Err())
	}
	var rep iperfReport
	if err := json.Unmarshal(out, &rep); err != nil {
		if runErr != nil {
			return rep, fmt.Errorf("run iperf3 against %s port %d: %w: %s", o.to, o.port, runErr, strings.TrimSpace(stderr.String()))
		}
		return rep, fmt.Errorf("parse iperf3 output against %s port %d: %w", o.to, o.port, err)
	}
	rep.raw = json.RawMessage(out)
	if rep.Error != "" {
		if strings.Contains(rep.Error, "server is busy") {
			return rep, fmt.Errorf("run iperf3 against %s port %d: %w: %s", o.to, o.port, errIperfBusy, rep.Error)
		}
		return rep, fmt.Errorf("run iperf3 against %s port %d: %s", o.to, o.port, rep.Error)
	}
	if runErr != nil {
		return rep, fmt.Errorf("run iperf3 against %s port %d: %w: %s", o.to, o.port, runErr, strings.TrimSpace(stderr.String()))
	}
	if rep.End.SumReceived.Seconds <= 0 {
		return rep, fmt.Errorf("parse iperf3 output against %s port %d: no end.sum_received in the report", o.to, o.port)
	}
	return rep, nil
}

// iperfOutcome reads the outcome from iperf3's error text, which carries the strerror of the
// failed connect.
func iperfOutcome(err error) probe.Outcome {
	msg := strings.ToLower(err.Error())
	switch {
	case errors.Is(err, context.DeadlineExceeded), strings.Contains(msg, "timed out"),
		strings.Contains(msg, "operation now in progress"):
		return probe.Timeout
	case strings.Contains(msg, "refused"):
		return probe.Refused
	case strings.Contains(msg, "no route to host"), strings.Contains(msg, "unreachable"):
		return probe.Unreachable
	default:
		return probe.Error
	}
}
