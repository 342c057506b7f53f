package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// seedConfigs adds the repository's real configurations (the labs' base
// files and every scenario's router.rsc) and a few hostile ones to f.
func seedConfigs(f *testing.F) {
	f.Helper()
	for _, pat := range []string{"../../labs/*.rsc", "../../scenarios/*/router.rsc", "testdata/validate/*.rsc"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(data))
		}
	}
	for _, s := range []string{":for", ":foreach", ":log", ":while (true) do={}", "\ufeff/ip address print",
		"/system scheduler add name=x on-event=\":log\"", "/ip firewall address-list add list=a address=1.1.1.1\n/ip firewall address-list add list=a address=1.1.1.1",
		"/import file-name=x.rsc", "{ :local a {1;2}; :set ($a->5) 1; :put [:pick $a 0 9] }"} {
		f.Add(s)
	}
}

// fuzzBounds lowers the bounds of a run so that a fuzz input that loops
// costs milliseconds.
func fuzzBounds(t testing.TB) {
	savedT, savedS := MaxRunTime, MaxSteps
	MaxRunTime, MaxSteps = 2*time.Second, 20000
	t.Cleanup(func() { MaxRunTime, MaxSteps = savedT, savedS })
}

// FuzzEngine applies a whole .rsc to a model with no kernel, then checks
// it offline: neither may panic or hang, and a refused source changes
// nothing.
func FuzzEngine(f *testing.F) {
	seedConfigs(f)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzBounds(t)
		ctx := context.Background()
		r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}})
		before := withoutHeader(r.Export())
		if _, err := r.Run(ctx, src); err != nil {
			if got := withoutHeader(r.Export()); got != before {
				t.Fatalf("a refused source changed the model:\n%s", got)
			}
			if strings.Contains(err.Error(), "internal error of the emulator") {
				t.Fatalf("the emulator panicked: %v", err)
			}
		}
		v := New(Options{Ports: PortsOf(src)}).Validate(ctx, src, time.Second)
		for _, fd := range v.Findings {
			if strings.Contains(fd.Msg, "internal error of the emulator") {
				t.Fatalf("validate panicked at %d:%d: %s", fd.Line, fd.Col, fd.Msg)
			}
		}
	})
}

// FuzzRoundTrip: whatever a source builds, its export imports back into a
// fresh router and exports the same text.
func FuzzRoundTrip(f *testing.F) {
	seedConfigs(f)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzBounds(t)
		ctx := context.Background()
		ports := []string{"ether1", "ether2", "ether3"}
		r := New(Options{Ports: ports})
		if _, err := r.Run(ctx, src); err != nil {
			return
		}
		exp := r.Export()
		r2 := New(Options{Ports: ports})
		if _, err := r2.Run(ctx, exp); err != nil {
			t.Fatalf("the export does not import back: %v\n%s", err, exp)
		}
		if got := r2.Export(); withoutHeader(got) != withoutHeader(exp) {
			t.Fatalf("the export changed on import:\n%s\nwant:\n%s", got, exp)
		}
	})
}

// withoutHeader drops the export's first line, which holds the time.
func withoutHeader(exp string) string {
	_, rest, _ := strings.Cut(exp, "\n")
	return rest
}
