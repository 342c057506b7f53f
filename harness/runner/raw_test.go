package runner

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/scenario"
)

// fakeAgent answers every command with one labagent line.
type fakeAgent struct{ line string }

func (f fakeAgent) Exec(context.Context, string, []string) ([]byte, int, error) {
	return []byte(f.line), 0, nil
}

func TestRawOutputsSaved(t *testing.T) {
	rep := &report.Report{Dir: t.TempDir()}
	raw := newRawOutputs()
	iperf := scenario.Step{Line: 40, Probe: scenario.Iperf}
	dns := scenario.Step{Line: 50, Probe: scenario.DNS}
	ct := scenario.Step{Line: 60, Probe: scenario.Conntrack}
	tcp := scenario.Step{Line: 70, Probe: scenario.TCP}
	line := `{"probe":"iperf","result":"ok","bits_per_second":1e9,"sent_bits_per_second":1e9,"retransmits":0,"seconds":1,"iperf3":{"start":{"version":"iperf 3.12"},"end":{}}}`
	if _, err := probe.Iperf(context.Background(), raw.recorder(fakeAgent{line}, iperf), "client1", "192.168.88.10", probe.IperfOptions{}); err != nil {
		t.Fatal(err)
	}
	dnsLine := `{"probe":"dns","result":"ok","answers":["203.0.113.2"],"cnames":[],"rcode":"NOERROR","ttl":60,"ms":1,"message":";; opcode: QUERY, status: NOERROR\n"}`
	if _, err := probe.DNS(context.Background(), raw.recorder(fakeAgent{dnsLine}, dns), "client1", "198.51.100.53", "myserver.net", probe.DNSOptions{}); err != nil {
		t.Fatal(err)
	}
	raw.keep(ct, "txt", printRows([]map[string]string{{"dst-address": "203.0.113.2:12566", "srcnat": "true"}}))
	raw.save(rep, scenario.StepResult{Index: 4, Line: 40, Probe: scenario.Iperf})
	raw.save(rep, scenario.StepResult{Index: 5, Line: 50, Probe: scenario.DNS})
	raw.save(rep, scenario.StepResult{Index: 6, Line: 60, Probe: scenario.Conntrack})
	// A step whose probe recorded nothing (an action) saves nothing.
	raw.save(rep, scenario.StepResult{Index: 7, Line: tcp.Line, Probe: scenario.TCP})

	want := map[string]string{
		"probes/04-iperf.json":        line,
		"probes/04-iperf.iperf3.json": `"version": "iperf 3.12"`,
		"probes/05-dns.json":          dnsLine,
		"probes/05-dns.dig.txt":       "status: NOERROR",
		"probes/06-conntrack.txt":     "0 dst-address=203.0.113.2:12566 srcnat=true",
	}
	for name, content := range want {
		data, err := os.ReadFile(filepath.Join(rep.Dir, name))
		if err != nil {
			t.Errorf("%s not written: %v", name, err)
			continue
		}
		if !strings.Contains(string(data), content) {
			t.Errorf("%s = %q, want it to hold %q", name, data, content)
		}
		if !slices.Contains(rep.Artifacts, name) {
			t.Errorf("artifacts %v lack %s", rep.Artifacts, name)
		}
	}
	if len(rep.Artifacts) != len(want) {
		t.Errorf("artifacts %v, want exactly %d", rep.Artifacts, len(want))
	}
}

// A hairpin measured again beside direct keeps direct's second run as its
// own ratio-ref artifact; direct's first run stays direct's.
func TestRawOutputsRatioRef(t *testing.T) {
	rep := &report.Report{Dir: t.TempDir()}
	raw := newRawOutputs()
	direct := scenario.Step{Line: 40, Probe: scenario.Iperf, ID: "direct"}
	hairpin := scenario.Step{Line: 45, Probe: scenario.Iperf, ID: "hairpin"}
	run := func(st scenario.Step, bps string) {
		line := `{"probe":"iperf","result":"ok","bits_per_second":` + bps + `,"sent_bits_per_second":` + bps + `,"retransmits":0,"seconds":1}`
		if _, err := probe.Iperf(context.Background(), raw.recorder(fakeAgent{line}, st), "client1", "192.168.88.10", probe.IperfOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	run(direct, "1e9")
	raw.save(rep, scenario.StepResult{Index: 1, Line: 40, Probe: scenario.Iperf})
	run(hairpin, "1e8")
	run(direct, "2e9")
	run(hairpin, "9e8")
	raw.save(rep, scenario.StepResult{Index: 2, Line: 45, Probe: scenario.Iperf, RatioRef: &scenario.Observation{BitsPerSecond: 2e9}})
	for name, want := range map[string]string{"probes/01-iperf.json": "1e9", "probes/02-iperf.json": "9e8", "probes/02-iperf.ratio-ref.json": "2e9"} {
		data, err := os.ReadFile(filepath.Join(rep.Dir, name))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s = %q (%v), want %s", name, data, err, want)
		}
	}
	if len(raw.last) != 0 {
		t.Errorf("outputs left unsaved: %v", raw.last)
	}
}
