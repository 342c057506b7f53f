package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
)

// multi is a flag that may be given more than once.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// probeFlags are the step fields chrlab probe takes as flags, by their
// names in the scenario grammar (docs/scenarios.md); quoted ones are
// names and addresses, the others YAML scalars (numbers, durations).
var probeFlags = []struct {
	name, yaml string
	quoted     bool
	help       string
}{
	{"probe", "probe", true, "the probe kind: tcp, udp, http, ping, port, dns, iperf, cps, conntrack, ..."},
	{"from", "from", true, "the node the probe runs on"},
	{"to", "to", true, "the target: node:port, router.wan:port, an address in the lab"},
	{"id", "id", true, "the step's id"},
	{"name", "name", true, "the name a dns or resolve-then-connect probe asks for"},
	{"transport", "transport", true, "udp or tcp (dns, resolve-then-connect)"},
	{"path", "path", true, "what an http probe asks for"},
	{"rate", "rate", true, "a cps probe's open-loop rate"},
	{"timeout", "timeout", false, "how long a probe waits (2s)"},
	{"count", "count", false, "echoes of a ping, connections of a connections probe"},
	{"interval", "interval", false, "time between a ping's echoes or a flow's datagrams"},
	{"seconds", "seconds", false, "duration of an iperf or cps probe"},
	{"src-port", "src_port", false, "send from this source port"},
	{"port", "port", false, "where resolve-then-connect connects"},
	{"connect", "connect", true, "how resolve-then-connect reaches the answer: tcp or udp"},
}

// cmdProbe runs steps of the scenario grammar on a running lab and prints
// them as chrlab lab prints its steps. Exit 0 when every expectation held
// (a step without expect only observes), 1 when one did not.
func cmdProbe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := map[string]*string{}
	for _, f := range probeFlags {
		vals[f.name] = fs.String(f.name, "", f.help)
	}
	var expects multi
	fs.Var(&expects, "expect", "an expectation, name=value as in a step's expect (result=ok, server=server, server_saw=client); repeatable")
	file := fs.String("file", "", "read the step(s) from a YAML file (- for standard input): one step or a list, as under steps:")
	flags, rest := splitRunArgs(args)
	if err := fs.Parse(flags); err != nil {
		return 2
	}
	if len(rest) < 1 {
		fmt.Fprintln(stderr, "chrlab probe: give the run id (chrlab ls lists them): chrlab probe RUN --from NODE --to HOST:PORT --probe KIND [--expect result=ok] | RUN --file STEP.yaml | RUN 'YAML'")
		return 2
	}
	run := rest[0]
	src, data, err := probeSource(rest[1:], *file, vals, expects)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab probe:", err)
		return 2
	}
	steps, err := scenario.ParseSteps(src, data)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab probe:", err)
		return 2
	}
	k, code := openRun(ctx, stderr, "probe", run)
	if code != 0 {
		return code
	}
	defer k.Close()
	if err := k.CheckSteps(src, steps); err != nil {
		fmt.Fprintln(stderr, "chrlab probe:", err)
		return 2
	}
	// The table below shows every step: no progress line repeats it.
	res, err := k.Probe(ctx, src, steps, nil)
	rep := &report.Report{Run: runFolder(k), LabRun: k.Info.Run, Scenario: k.Scenario.Name, Title: "probe on the kept lab " + k.Info.Run,
		Lab: k.Info.Lab, Router: k.Info.Labels[runner.LabelRouter], Started: time.Now().UTC(), Steps: res}
	if err != nil {
		rep.Error = err.Error()
	}
	rep.Finish()
	rep.Table(stdout)
	switch {
	case err != nil:
		return 3
	case !rep.Passed:
		return 1
	}
	return 0
}

// runFolder is the name of the kept lab's results folder.
func runFolder(k *runner.Kept) string {
	dir := k.Info.Labels[runner.LabelResults]
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		return dir[i+1:]
	}
	return k.Info.Run
}

// probeSource returns the YAML the steps come from and a name for it in
// messages: a file, a snippet given as an argument, or the flags.
func probeSource(args []string, file string, vals map[string]*string, expects []string) (string, []byte, error) {
	given := 0
	for _, v := range vals {
		if *v != "" {
			given++
		}
	}
	if given > 0 || len(expects) > 0 {
		given = 1
	}
	if file != "" {
		given++
	}
	if len(args) > 0 {
		given++
	}
	switch {
	case given == 0:
		return "", nil, fmt.Errorf("give the probe as flags (--from NODE --to HOST:PORT --probe KIND), as --file STEP.yaml, or as a YAML argument")
	case given > 1:
		return "", nil, fmt.Errorf("give the probe one way: flags, --file, or a YAML argument (got more than one)")
	case len(args) > 1:
		return "", nil, fmt.Errorf("give the YAML step as one argument (quote it), got %d: %q", len(args), args)
	case len(args) == 1:
		return "the command line", []byte(args[0]), nil
	case file == "-":
		data, err := io.ReadAll(os.Stdin)
		return "standard input", data, err
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return "", nil, fmt.Errorf("read the step: %w", err)
		}
		return file, data, nil
	}
	var b strings.Builder
	for _, f := range probeFlags {
		v := *vals[f.name]
		if v == "" {
			continue
		}
		if f.quoted {
			q, _ := json.Marshal(v) // a JSON string is a YAML string
			v = string(q)
		}
		fmt.Fprintf(&b, "%s: %s\n", f.yaml, v)
	}
	if len(expects) > 0 {
		b.WriteString("expect:\n")
		for _, e := range expects {
			name, value, ok := strings.Cut(e, "=")
			if !ok || name == "" {
				return "", nil, fmt.Errorf("--expect %q: want name=value, such as result=ok", e)
			}
			fmt.Fprintf(&b, "  %s: %s\n", strings.TrimSpace(name), value)
		}
	}
	return "the command line", []byte(b.String()), nil
}
