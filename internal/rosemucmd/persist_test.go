package rosemucmd

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// newRouter starts a router as main does: with CHR's first-boot DHCP
// client unless a configuration was saved.
func newRouter(save *saver) *config.Router {
	return config.New(config.Options{Identity: "router", Ports: []string{"ether1", "ether2"}, OnCommit: []func(){save.Wake},
		DefaultDHCPClient: !save.saved()})
}

// TestSaveRestore: the configuration committed before a restart is the
// configuration after it (issue 13: it lived only in memory), and a
// restart with nothing saved starts blank.
func TestSaveRestore(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	save := newSaver(dir, log)
	r := newRouter(save)
	if err := save.restore(ctx, r); err != nil {
		t.Fatalf("restore with nothing saved: %v", err)
	}
	blank := r.Export()
	go save.Run(ctx, r)
	if !strings.Contains(blank, "/ip dhcp-client") {
		t.Fatalf("a first boot has no DHCP client on ether1:\n%s", blank)
	}
	const rsc = "/ip dhcp-client remove [find]\n/system identity set name=edge\n/ip address add address=192.168.88.1/24 interface=ether2\n" +
		"/ip firewall nat add chain=dstnat action=dst-nat dst-address=203.0.113.2 protocol=tcp dst-port=12566 to-addresses=192.168.88.10\n"
	if _, err := r.Run(ctx, rsc); err != nil {
		t.Fatal(err)
	}
	want := r.Export()
	file := filepath.Join(dir, savedConfig)
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(file)
		if strings.Contains(string(b), "to-addresses=192.168.88.10") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("saved file after the commit: %q", b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()

	// The restart: a new router from the same state folder.
	again := newRouter(newSaver(dir, log))
	if strings.Contains(again.Export(), "/ip dhcp-client") {
		t.Error("a restarted router added the first boot's DHCP client again")
	}
	if err := newSaver(dir, log).restore(context.Background(), again); err != nil {
		t.Fatal(err)
	}
	if got := again.Export(); stripHeader(got) != stripHeader(want) {
		t.Errorf("after the restart:\n%s\nwant:\n%s", got, want)
	}
	if stripHeader(want) == stripHeader(blank) {
		t.Fatal("the configuration changed nothing in the export")
	}

	// A saved file the router refuses is kept aside; the router starts
	// blank and says why.
	os.WriteFile(file, []byte("/ip address add address=banana interface=ether2\n"), 0o600)
	third := newRouter(newSaver(dir, log))
	err := newSaver(dir, log).restore(context.Background(), third)
	if err == nil || !strings.Contains(err.Error(), ".bad") {
		t.Errorf("refused saved file: %v, want an error naming the .bad copy", err)
	}
	if _, err := os.Stat(file + ".bad"); err != nil {
		t.Error(err)
	}
}

// stripHeader drops the export's date line.
func stripHeader(s string) string {
	_, rest, _ := strings.Cut(s, "\n")
	return rest
}
