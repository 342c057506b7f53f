package check

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of the check's reports")

// rb5009Doc is the RB5009 export's check with the outcomes its lab gives
// (the IoT VLAN's hairpin dropped by line 33 until the fix), and a
// forward comment that needs escaping in every view.
func rb5009Doc(t *testing.T) *Document {
	t.Helper()
	p := load(t, "testdata/rb5009-vlans.rsc")
	found, fx, c := proposedCase(t, p)
	var outs []Outcome
	for _, pr := range c.Probes {
		o := Outcome{Probe: pr, Result: "ok"}
		switch {
		case pr.Path == "internet":
			o.Saw, o.By = "198.51.100.50", "server1"
		case pr.Path == "hairpin:vlan10-home":
			o.Saw, o.By = "10.10.10.1", "server1"
		case pr.Path == "hairpin:vlan20-iot" && pr.Phase != "fixed":
			o.Result = "timeout"
		case pr.Path == "hairpin:vlan20-iot":
			o.Saw, o.By = "10.10.20.100", "server1"
		case strings.HasPrefix(pr.Path, lanReachPrefix):
			o.Saw, o.By = "203.0.113.2", "peer"
		case strings.HasPrefix(pr.Path, lanResolvePrefix):
			o.Result = "nxdomain"
		case pr.Path == "service:winbox@wan":
			o.Result = "open"
		case strings.HasSuffix(pr.Path, "@wan"):
			o.Result = "closed"
		default:
			o.By = "router"
		}
		outs = append(outs, o)
	}
	p.Forwards[0].Comment = "home <b>assistant</b> | *beta* `x`"
	d := p.Document(&Result{Found: found, Fix: fx, Case: c, Outcomes: outs, Dir: "/x/results/check-20261130-101500.000"}, "rosemu")
	return d
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
		t.Fatalf("read golden file (go test ./harness/check -update writes it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; got:\n%s", name, got)
	}
}

func TestCheckMarkdownGolden(t *testing.T) {
	d := rb5009Doc(t)
	md := d.Markdown()
	golden(t, "check.md", md)
	for _, want := range []string{
		"#### forward 1: tcp/8123 → 10.10.10.50:8123",
		"| from LAN vlan20-iot (10.10.20.0/24) to the public address | client2 → router.wan:8123 | ✗ timeout |",
		"a forward filter rule drops the hairpinned traffic; line 33: `add action=drop",
		"connection-nat-state=dstnat",
		"&lt;b&gt;assistant&lt;/b&gt; | \\*beta\\* 'x'",
		"the router's WinBox (8291) is open to the internet",
	} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("check.md lacks %q", want)
		}
	}
	if bytes.Contains(md, []byte("<b>")) {
		t.Error("check.md lets HTML through")
	}
}

func TestCheckOfflineMarkdownGolden(t *testing.T) {
	p := load(t, "testdata/rb5009-vlans.rsc")
	d := p.OfflineDocument()
	md := d.Markdown()
	golden(t, "check-offline.md", md)
	if d.Proven || !bytes.Contains(md, []byte("not proven with packets")) {
		t.Fatalf("an offline check does not say it is not proven:\n%s", md)
	}
	if !bytes.Contains(md, []byte("✗ fails (predicted)")) || !bytes.Contains(md, []byte("✓ works (predicted)")) {
		t.Errorf("the offline report lacks the predicted paths:\n%s", md)
	}
	// A forward on an address list a PPP profile's on-up fills at run
	// time cannot be judged from the export: "? works by the rules read".
	// (rb5009-vlans' dst-address-list=!lan-subnets was such a "?" until
	// lists whose entries the export states whole were judged.)
	if md := load(t, "testdata/pppoe-profile-on-up.rsc").OfflineDocument().Markdown(); !bytes.Contains(md, []byte("? works by the rules read")) {
		t.Errorf("a list filled at run time is judged as if known:\n%s", md)
	}
	// The negative control: a router whose forwards all work.
	ok := load(t, "testdata/all-good.rsc").OfflineDocument()
	if ok.Verdict != "ok" || len(ok.Fix.Lines) != 0 || bytes.Contains(ok.Markdown(), []byte("fix to paste")) {
		t.Errorf("a working router's report has a fix or a bad verdict: %s", ok.Markdown())
	}
}

func TestCheckJSON(t *testing.T) {
	j, err := rb5009Doc(t).JSON()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Schema   string `json:"schema"`
		Proven   bool   `json:"proven"`
		Verdict  string `json:"verdict"`
		Forwards []struct {
			Line  int `json:"line"`
			Paths []struct {
				Path   string `json:"path"`
				Before struct {
					OK bool `json:"ok"`
				} `json:"before"`
				Fixed struct {
					OK bool `json:"ok"`
				} `json:"fixed"`
			} `json:"paths"`
			Findings []struct {
				Line int `json:"line"`
			} `json:"findings"`
			Fix []string `json:"fix"`
		} `json:"forwards"`
	}
	if err := json.Unmarshal(j, &d); err != nil {
		t.Fatal(err)
	}
	if d.Schema != Schema || !d.Proven || d.Verdict != "broken" || len(d.Forwards) != 1 {
		t.Fatalf("check.json: %s", j)
	}
	f := d.Forwards[0]
	if f.Line != 38 || len(f.Findings) != 1 || f.Findings[0].Line != 33 || len(f.Fix) != 1 || len(f.Paths) != 3 {
		t.Fatalf("forward: %+v", f)
	}
	for _, p := range f.Paths {
		if p.Before.OK == (p.Path == "hairpin:vlan20-iot") || !p.Fixed.OK {
			t.Errorf("path %s: before ok %v, fixed ok %v", p.Path, p.Before.OK, p.Fixed.OK)
		}
	}
	if bytes.Contains(j, []byte(`\u003c`)) {
		t.Error("check.json has HTML escapes")
	}
}

func TestCheckHTML(t *testing.T) {
	h, err := rb5009Doc(t).HTML()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "check.html", h)
	s := string(h)
	for _, want := range []string{`id="forward-1"`, `class="finding"`, `<pre id="fix">`, "&lt;b&gt;assistant&lt;/b&gt;", `<tr class="bad">`} {
		if !strings.Contains(s, want) {
			t.Errorf("check.html lacks %q", want)
		}
	}
	if strings.Contains(s, "<b>") || strings.Contains(s, "<script") || strings.Contains(s, "http://") || strings.Contains(s, "https://") {
		t.Error("check.html lets markup through or is not self-contained")
	}
}

// TestCheckHTMLInChromium opens check.html in headless Chromium and reads
// back the rendered DOM and a screenshot, as the run report's test does.
// It needs Debian's chromium and is skipped with the reason when it is
// missing (make test installs it).
func TestCheckHTMLInChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium); the HTML is checked as text by TestCheckHTML")
	}
	h, err := rb5009Doc(t).HTML()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "check.html")
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
	// One forward section, its one bad path row, the finding, and the
	// comment shown as text, not as markup.
	if strings.Count(dom, `class="forward"`) != 1 || strings.Count(dom, `<tr class="bad">`) != 2 ||
		strings.Count(dom, `class="finding"`) != 1 || strings.Contains(dom, "<b>assistant") {
		t.Fatalf("the rendered page is not the check's: %d forwards, %d bad rows, %d findings",
			strings.Count(dom, `class="forward"`), strings.Count(dom, `<tr class="bad">`), strings.Count(dom, `class="finding"`))
	}
	shot := filepath.Join(dir, "shot.png")
	cmd = exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--user-data-dir="+filepath.Join(dir, "profile2"), "--window-size=900,900", "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, out)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 5000 {
		t.Fatalf("the screenshot of check.html is missing or blank: %v", err)
	}
}
