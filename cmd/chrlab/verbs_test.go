package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

func TestSplitRunArgs(t *testing.T) {
	for _, c := range []struct {
		args, flags, rest []string
	}{
		{[]string{"ab12cd", "--json"}, []string{"--json"}, []string{"ab12cd"}},
		{[]string{"--json", "ab12cd"}, []string{"--json"}, []string{"ab12cd"}},
		{[]string{"ab12cd", "--from", "client1", "--to=server:80"}, []string{"--from", "client1", "--to=server:80"}, []string{"ab12cd"}},
		// After --, everything is the command's, flags included.
		{[]string{"ab12cd", "client1", "--", "ping", "-c", "1"}, nil, []string{"ab12cd", "client1", "--", "ping", "-c", "1"}},
		{[]string{"--container", "ab12cd", "router", "--", "nft", "list"}, []string{"--container"}, []string{"ab12cd", "router", "--", "nft", "list"}},
	} {
		flags, rest := splitRunArgs(c.args, "json", "container")
		if !slices.Equal(flags, c.flags) || !slices.Equal(rest, c.rest) {
			t.Errorf("splitRunArgs(%q) = %q, %q; want %q, %q", c.args, flags, rest, c.flags, c.rest)
		}
	}
}

func TestParseExecArgs(t *testing.T) {
	run, node, cmd, err := parseExecArgs([]string{"ab12cd", "router", "--", "/ip", "firewall", "nat", "print"})
	if err != nil || run != "ab12cd" || node != "router" || strings.Join(cmd, " ") != "/ip firewall nat print" {
		t.Errorf("got %q %q %q %v", run, node, cmd, err)
	}
	if _, _, cmd, err := parseExecArgs([]string{"ab12cd", "client1", "hostname"}); err != nil || !slices.Equal(cmd, []string{"hostname"}) {
		t.Errorf("without --: %q %v", cmd, err)
	}
	for _, bad := range [][]string{nil, {"ab12cd"}, {"ab12cd", "--", "ls"}, {"ab12cd", "client1"}, {"ab12cd", "client1", "--"}} {
		if _, _, _, err := parseExecArgs(bad); err == nil || !strings.Contains(err.Error(), "usage: chrlab exec") {
			t.Errorf("parseExecArgs(%q) = %v, want a usage error", bad, err)
		}
	}
}

func probeVals(kv ...string) map[string]*string {
	m := map[string]*string{}
	for _, f := range probeFlags {
		m[f.name] = new(string)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		*m[kv[i]] = kv[i+1]
	}
	return m
}

func TestProbeSourceFlags(t *testing.T) {
	src, data, err := probeSource(nil, "", probeVals("probe", "tcp", "from", "client1", "to", "router.wan:12566", "timeout", "3s"),
		[]string{"result=ok", "server_saw=router.lan"})
	if err != nil {
		t.Fatal(err)
	}
	steps, err := scenario.ParseSteps(src, data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	st := steps[0]
	if len(steps) != 1 || st.Probe != scenario.TCP || st.From != "client1" || st.To != "router.wan:12566" || st.Timeout != 3*time.Second ||
		st.Expect.Result != "ok" || st.Expect.ServerSaw != "router.lan" {
		t.Errorf("steps = %+v", steps)
	}
	// The flags become a step of the grammar, checked as one: a typo in
	// the kind is named with the known ones.
	src, data, _ = probeSource(nil, "", probeVals("probe", "tpc", "from", "client1", "to", "server:80"), nil)
	if _, err := scenario.ParseSteps(src, data); err == nil || !strings.Contains(err.Error(), `unknown probe "tpc"`) {
		t.Errorf("a bad kind: %v", err)
	}
	src, data, _ = probeSource(nil, "", probeVals("probe", "tcp", "from", "client1", "to", "server:80"), []string{"colour=red"})
	if _, err := scenario.ParseSteps(src, data); err == nil || !strings.Contains(err.Error(), `"colour"`) {
		t.Errorf("an unknown expectation: %v", err)
	}
}

func TestProbeSourceErrors(t *testing.T) {
	for _, c := range []struct {
		args    []string
		file    string
		vals    map[string]*string
		expects []string
		want    string
	}{
		{nil, "", probeVals(), nil, "give the probe as flags"},
		{[]string{"{probe: tcp}"}, "", probeVals("from", "client1"), nil, "one way"},
		{[]string{"{probe: tcp}"}, "step.yaml", probeVals(), nil, "one way"},
		{[]string{"probe:", "tcp"}, "", probeVals(), nil, "one argument"},
		{nil, "", probeVals("probe", "tcp"), []string{"result"}, "want name=value"},
		{nil, "/nonexistent/step.yaml", probeVals(), nil, "read the step"},
	} {
		_, _, err := probeSource(c.args, c.file, c.vals, c.expects)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("probeSource(%q, %q, %q) = %v, want %q", c.args, c.file, c.expects, err, c.want)
		}
	}
	src, data, err := probeSource([]string{"[{probe: http, from: peer, to: 'router.wan:80'}, {probe: ping, from: client1, to: server}]"}, "", probeVals(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if steps, err := scenario.ParseSteps(src, data); err != nil || len(steps) != 2 || steps[1].Probe != scenario.Ping {
		t.Errorf("a YAML list: %+v %v", steps, err)
	}
}

func runs() []lab.RunInfo {
	return []lab.RunInfo{
		{Run: "aaaaaa", Lab: "hairpin", Owner: "kept", Labels: map[string]string{}},
		{Run: "bbbbbb", Lab: "hairpin", Owner: "gone (pid 12)", OwnerGone: true, Labels: map[string]string{lab.LabelOwnerPID: "12"}},
		{Run: "cccccc", Lab: "dualwan", Owner: "running (pid 34)", Labels: map[string]string{lab.LabelOwnerPID: "34"}},
	}
}

func planned(p downPlan) (remove, left []string) {
	for _, r := range p.remove {
		remove = append(remove, r.Run)
	}
	for _, r := range p.left {
		left = append(left, r.Run)
	}
	return remove, left
}

func TestPlanDown(t *testing.T) {
	var errs bytes.Buffer
	// Without a run id only the lab whose owner ended goes.
	p, code := planDown(runs(), nil, false, false, &errs)
	if remove, left := planned(p); code != 0 || !slices.Equal(remove, []string{"bbbbbb"}) || !slices.Equal(left, []string{"aaaaaa", "cccccc"}) {
		t.Errorf("down: remove %q, left %q, code %d", remove, left, code)
	}
	p, code = planDown(runs(), nil, true, false, &errs)
	if remove, _ := planned(p); code != 0 || len(remove) != 3 {
		t.Errorf("down --all: remove %q, code %d", remove, code)
	}
	// A kept lab goes by its id, or by its results folder's name.
	p, code = planDown(runs(), []string{"20261130-191810-srcnat-aaaaaa", "aaaaaa"}, false, false, &errs)
	if remove, _ := planned(p); code != 0 || !slices.Equal(remove, []string{"aaaaaa"}) {
		t.Errorf("down aaaaaa: remove %q, code %d", remove, code)
	}
	// A lab whose owner runs is not taken from under it without --force.
	errs.Reset()
	p, code = planDown(runs(), []string{"cccccc"}, false, false, &errs)
	if remove, _ := planned(p); code != 2 || len(remove) != 0 || !strings.Contains(errs.String(), "process 34, which is still running") {
		t.Errorf("down cccccc: remove %q, code %d, %s", remove, code, errs.String())
	}
	p, code = planDown(runs(), []string{"cccccc"}, false, true, &errs)
	if remove, _ := planned(p); code != 0 || !slices.Equal(remove, []string{"cccccc"}) {
		t.Errorf("down --force cccccc: remove %q, code %d", remove, code)
	}
	// An unknown id removes nothing and lists the running labs.
	errs.Reset()
	p, code = planDown(runs(), []string{"aaaaaa", "dddddd"}, false, false, &errs)
	if remove, _ := planned(p); code != 2 || len(remove) != 0 || !strings.Contains(errs.String(), `no running lab "dddddd"; running labs: aaaaaa (hairpin), bbbbbb (hairpin), cccccc (dualwan)`) {
		t.Errorf("down dddddd: remove %q, code %d, %s", remove, code, errs.String())
	}
}

// TestVerbUsage checks the exit code 2 of bad arguments, which are
// refused before any Docker engine is asked.
func TestVerbUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"inspect"}, "give one run id"},
		{[]string{"inspect", "a", "b"}, "give one run id"},
		{[]string{"inspect", "--colour", "a"}, "flag provided but not defined"},
		{[]string{"exec", "ab12cd"}, "give a run id and a node"},
		{[]string{"exec", "ab12cd", "client1", "--"}, "give the command"},
		{[]string{"probe"}, "give the run id"},
		{[]string{"probe", "ab12cd"}, "give the probe as flags"},
		{[]string{"probe", "ab12cd", "--from", "client1", "--to", "server:80"}, "a step needs probe"},
		{[]string{"probe", "ab12cd", "{probe: tcp, from: client1, to: server:80, colour: red}"}, `unknown step field "colour"`},
		{[]string{"down", "--all", "ab12cd"}, "run ids or --all, not both"},
		{[]string{"ls", "extra"}, "takes no arguments"},
		{[]string{"up"}, "give --method NAME or --file CASE.yaml"},
		{[]string{"up", "--method", "srcnat", "--file", "x.yaml"}, "one of them"},
		{[]string{"up", "--method", "srcnat", "stray"}, "unexpected arguments"},
		{[]string{"up", "--method", "no-such-scenario"}, "no-such-scenario"},
		{[]string{"up", "--method", "srcnat", "--routeros", "7.16.x"}, "7.16.x"},
		{[]string{"up", "--method", "srcnat", "--routeros", "6.49.18,7.16.2"}, "one lab runs one RouterOS version"},
	} {
		var out, errs bytes.Buffer
		var code int
		if c.args[0] == "up" {
			code = cmdUp(context.Background(), "../..", c.args[1:], &out, &errs)
		} else {
			var ok bool
			code, ok = runLabVerb(context.Background(), c.args, &out, &errs)
			if !ok {
				t.Fatalf("%q is no lab verb", c.args[0])
			}
		}
		if code != 2 || !strings.Contains(errs.String(), c.want) {
			t.Errorf("chrlab %q: exit %d, stderr %q; want 2 and %q", c.args, code, errs.String(), c.want)
		}
	}
	if _, ok := runLabVerb(context.Background(), []string{"lab"}, nil, nil); ok {
		t.Errorf("lab was taken for a verb on running labs")
	}
}

func TestAge(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{12 * time.Second: "12s", 3*time.Minute + 4*time.Second: "3m04s", 5*time.Hour + 6*time.Minute: "5h06m", 72 * time.Hour: "3d"} {
		if got := age(now, now.Add(-d)); got != want {
			t.Errorf("age(%s) = %q, want %q", d, got, want)
		}
	}
	if age(now, time.Time{}) != "?" {
		t.Errorf("an unknown start has an age")
	}
}
