package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files of the report views")

// fixed is a report with one of everything a view shows: a probe that
// held, one that failed, an action, throughput, a cps step with the
// router's table sampled over it, and a recovery.
func fixed() *Report {
	zero := 1.2
	r := &Report{
		Run: "20261130-101500-srcnat", LabRun: "lab-1", Scenario: "srcnat", Title: "Method 2: src-nat hairpin",
		Lab: "hairpin", Router: "rosemu", Version: "7.16.2 (emulated by rosemu)",
		Started: time.Date(2026, 11, 30, 10, 15, 0, 0, time.UTC),
		Phases:  []Phase{{"lab up", 3.25}, {"probes", 4.5}},
		Steps: []scenario.StepResult{
			{Index: 1, Line: 7, Probe: scenario.TCP, From: "client1", To: "router.wan:12566", Target: "203.0.113.2:12566",
				Expect: scenario.Expect{Result: "ok", ServerSaw: "router.lan"}, Want: "192.168.88.1", OK: true, Duration: 0.01,
				Seen: scenario.Observation{Result: "ok", ServerName: "server", ServerSaw: "192.168.88.1", Millis: 1.5}},
			{Index: 2, Line: 11, Probe: scenario.UDP, From: "client1", To: "router.wan:12566", Target: "203.0.113.2:12566",
				Expect: scenario.Expect{Result: "refused"}, OK: false, Why: "result timeout, expected refused", Duration: 2,
				Seen: scenario.Observation{Result: "timeout"}},
			{Index: 3, Line: 14, Probe: scenario.Iperf, ID: "direct", From: "client1", To: "server:5201", Target: "192.168.88.10:5201", OK: true,
				Seen: scenario.Observation{Result: "ok", BitsPerSecond: 10e9}},
			{Index: 4, Line: 17, Probe: scenario.Iperf, ID: "hairpin", From: "client1", To: "router.wan:5201", Target: "203.0.113.2:5201", OK: true,
				Seen: scenario.Observation{Result: "ok", BitsPerSecond: 8e9}},
			{Index: 5, Line: 20, Probe: scenario.CPS, From: "client2", To: "router.wan:12566", Target: "203.0.113.2:12566", OK: true,
				Seen: scenario.Observation{Result: "ok", PerSecond: 4100, P50: 0.6, P99: 5.2,
					BaseEntries: 12, PeakEntries: 4112, EndEntries: 4090, MaxEntries: 262144,
					Entries: [][2]float64{{0, 12}, {0.2, 830}, {0.4, 1650}, {0.6, 2480}, {0.8, 3300}, {1.0, 4112}, {1.05, 4090}}}},
			{Index: 6, Line: 23, Action: scenario.RenumberWAN, OK: true, Target: "203.0.113.3", Duration: 9.5,
				Renumber: &scenario.Renumbered{Old: "203.0.113.2", New: "203.0.113.3", LeaseAfter: 9.4}, Seen: scenario.Observation{Result: "ok"}},
			{Index: 7, Line: 24, Probe: scenario.TCP, From: "client1", To: "router.wan:12566", Target: "203.0.113.3:12566",
				Expect: scenario.Expect{Result: "ok", Within: 30 * time.Second}, OK: true, Attempts: 3, Outage: &zero, Duration: 1.2,
				Seen:  scenario.Observation{Result: "ok", ServerSaw: "192.168.88.1"},
				Tries: []scenario.Try{{Start: 0, At: 0.1, Result: "timeout"}, {Start: 0.35, At: 0.6, Result: "timeout"}, {Start: 0.85, At: 1.2, Result: "ok", OK: true}}},
		},
		Artifacts: []string{"router-export.rsc", "log-router.txt"},
	}
	r.Finish()
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (go test ./harness/report -update writes it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; got:\n%s", name, got)
	}
}

func TestJSONGolden(t *testing.T) {
	got, err := fixed().JSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", got)
	// The schema's promises: snake case keys, seconds, no HTML escapes,
	// nothing empty on an action step.
	var d map[string]any
	if err := json.Unmarshal(got, &d); err != nil {
		t.Fatal(err)
	}
	if d["schema"] != Schema || d["verdict"] != "fail" {
		t.Fatalf("schema %v verdict %v", d["schema"], d["verdict"])
	}
	c := d["counts"].(map[string]any)
	if c["steps"] != 7.0 || c["passed"] != 6.0 || c["failed"] != 1.0 {
		t.Fatalf("counts %v", c)
	}
	if bytes.Contains(got, []byte(`\u003e`)) || bytes.Contains(got, []byte(`"Within"`)) {
		t.Fatal("report.json has HTML escapes or Go-cased keys")
	}
	action := d["steps"].([]any)[5].(map[string]any)
	for _, k := range []string{"from", "to", "expect"} {
		if _, ok := action[k]; ok {
			t.Errorf("the action step carries %q", k)
		}
	}
	within := d["steps"].([]any)[6].(map[string]any)["expect"].(map[string]any)["within"]
	if within != 30.0 {
		t.Errorf("within = %v, want 30 (seconds)", within)
	}
}

func TestMarkdownGolden(t *testing.T) {
	md := fixed().Markdown()
	golden(t, "report.md", md)
	if !bytes.Contains(md, []byte("| # | STEP |")) || !bytes.Contains(md, []byte("✗ FAIL")) {
		t.Fatalf("report.md lacks the table header or the failed step:\n%s", md)
	}
}

func TestJUnitGolden(t *testing.T) {
	ok := fixed()
	ok.Steps = ok.Steps[:1]
	ok.Scenario = "static-wan"
	ok.Finish()
	x, err := JUnit("chrlab", fixed(), ok)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "junit.xml", x)
	var s junitSuites
	if err := xml.Unmarshal(x, &s); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	if s.Tests != 8 || s.Failures != 1 || len(s.Suites) != 2 {
		t.Fatalf("tests %d failures %d suites %d", s.Tests, s.Failures, len(s.Suites))
	}
}

func TestJUnitRunError(t *testing.T) {
	r := &Report{Scenario: "srcnat", Error: "router.rsc:3:36: expected end of command"}
	r.Finish()
	x, err := JUnit("chrlab", r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(x, []byte(`errors="1"`)) || !bytes.Contains(x, []byte("router.rsc:3:36")) {
		t.Fatalf("a run that could not finish is not an error case:\n%s", x)
	}
}

func TestHTML(t *testing.T) {
	h, err := fixed().HTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="throughput"`, "hairpin/direct 80%", `class="latency"`, `id="timeline"`, `class="try"`, "✗ FAIL",
		`<figure class="entries">`, `<polyline class="entries"`, "start 12, peak 4112, end 4090 entries"} {
		if !strings.Contains(string(h), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(string(h), "<script") || strings.Contains(string(h), "http://") && !strings.Contains(string(h), "http://www.w3.org/2000/svg") {
		t.Error("report.html is not self-contained")
	}
}

// TestHTMLInChromium opens report.html in headless Chromium and reads back
// the rendered DOM: the plots must be there with their shapes drawn. It
// needs Debian's chromium and is skipped with the reason when it is
// missing (make test installs it).
func TestHTMLInChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium); the HTML is checked as text by TestHTML")
	}
	h, err := fixed().HTML()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, h, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--dump-dom", "file://"+page)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	dom := string(out)
	if strings.Count(dom, `class="bar"`) != 2 || strings.Count(dom, `class="try"`) != 3 || strings.Count(dom, `class="point"`) != 2 ||
		strings.Count(dom, `<polyline class="entries"`) != 1 {
		t.Fatalf("the rendered page lacks its plots: %d bars, %d tries, %d points, %d table lines",
			strings.Count(dom, `class="bar"`), strings.Count(dom, `class="try"`), strings.Count(dom, `class="point"`),
			strings.Count(dom, `<polyline class="entries"`))
	}
	shot := filepath.Join(dir, "shot.png")
	cmd = exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--user-data-dir="+filepath.Join(dir, "profile2"), "--window-size=900,900", "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, out)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 5000 {
		t.Fatalf("the screenshot of report.html is missing or blank: %v", err)
	}
}
