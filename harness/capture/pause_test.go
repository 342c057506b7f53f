package capture

import (
	"context"
	"fmt"
	"github.com/chrlab/chrlab/internal/shpause"
	"strings"
	"sync"
	"testing"
)

// fakeLab answers the capture's commands as a member's shell would: a
// start prints a new process id, a stop lists the files written so far.
type fakeLab struct {
	mu    sync.Mutex
	next  int
	cmds  []string
	files []string
}

func (f *fakeLab) InterfaceOn(context.Context, string, string) (string, error) { return "ether2", nil }

func (f *fakeLab) Exec(_ context.Context, _ string, cmd []string) ([]byte, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// sh -c SCRIPT, or shpause.Command's argv
	script := shpause.Script(cmd)
	if script == "" {
		script = cmd[2]
	}
	f.cmds = append(f.cmds, script)
	if strings.Contains(script, "tcpdump -i") {
		f.next++
		// the ring's first file, named as tcpdump names it: the -w prefix and 0
		w := script[strings.Index(script, "-w '")+4:]
		f.files = append(f.files, w[:strings.Index(w, "'")]+"0")
		return fmt.Appendf(nil, "%d\n", 100+f.next), 0, nil
	}
	return []byte(strings.Join(f.files, "\n")), 0, nil
}

// TestPauseResume: a pause ends tcpdump (the stop command names its pid), a
// resume starts a new one writing a second ring under the same prefix, and
// the final stop of a paused capture only lists, so both rings are read.
func TestPauseResume(t *testing.T) {
	l := &fakeLab{}
	ctx := context.Background()
	s, err := Start(ctx, l, []Point{{Network: "lan", Member: "router"}}, DefaultBounds)
	if err != nil || len(s.running) != 1 || s.running[0].pid != 101 {
		t.Fatalf("start: %v %+v", err, s.running)
	}
	if err := s.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	if last := l.cmds[len(l.cmds)-1]; !strings.Contains(last, "kill -INT 101") || s.running[0].pid != 0 {
		t.Errorf("pause ran %q, pid now %d", last, s.running[0].pid)
	}
	if err := s.Pause(ctx); err != nil || len(l.cmds) != 2 {
		t.Errorf("a second pause ran commands: %v %q", err, l.cmds)
	}
	if err := s.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	if last := l.cmds[len(l.cmds)-1]; !strings.Contains(last, "-w '/tmp/chrlab-pcap/lan.pcap.s1-'") || s.running[0].pid != 102 {
		t.Errorf("resume ran %q, pid now %d", last, s.running[0].pid)
	}
	if err := s.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	stop := Point{Network: "lan"}.StopCommand(0)[2]
	if strings.Contains(stop, "kill") || !strings.Contains(stop, "ls -1 '/tmp/chrlab-pcap/lan.pcap'*") {
		t.Errorf("the stop of a paused capture: %q", stop)
	}
	if want := []string{"/tmp/chrlab-pcap/lan.pcap0", "/tmp/chrlab-pcap/lan.pcap.s1-0"}; strings.Join(l.files, " ") != strings.Join(want, " ") {
		t.Errorf("rings %v, want %v", l.files, want)
	}
}
