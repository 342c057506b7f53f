package lab

import (
	"context"
	"io"
	"maps"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/moby/moby/client"
)

// deadOwner returns owner labels of a process that has ended.
func deadOwner(t *testing.T) map[string]string {
	t.Helper()
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	start, err := procStart(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	l := maps.Clone(ownerLabels())
	l[LabelOwnerPID], l[LabelOwnerStart] = strconv.Itoa(cmd.Process.Pid), start
	return l
}

func TestOwnerGone(t *testing.T) {
	me := ownerLabels()
	if me == nil {
		t.Skip("no /proc")
	}
	with := func(k, v string) map[string]string { m := maps.Clone(me); m[k] = v; return m }
	reused := with(LabelOwnerStart, "1") // my PID, another process's start
	tests := []struct {
		name        string
		labels      map[string]string
		gone, known bool
	}{
		{"this process", me, false, true},
		{"ended process", deadOwner(t), true, true},
		{"reused PID", reused, true, true},
		{"parent", with(LabelOwnerStart, mustStart(t, os.Getppid())), false, false}, // PID mismatch below
		{"earlier boot", with(LabelOwnerBoot, "00000000-0000-0000-0000-000000000000"), true, true},
		{"other PID namespace", with(LabelOwnerPIDNS, "pid:[1]"), false, false},
		{"no owner (kept lab, older chrlab)", map[string]string{LabelRun: "x"}, false, false},
	}
	tests[3].labels[LabelOwnerPID] = strconv.Itoa(os.Getppid())
	tests[3].gone, tests[3].known = false, true
	for _, tc := range tests {
		gone, known := ownerGone(tc.labels, me)
		if gone != tc.gone || known != tc.known {
			t.Errorf("%s: gone %v known %v, want %v %v", tc.name, gone, known, tc.gone, tc.known)
		}
	}
}

func mustStart(t *testing.T, pid int) string {
	s, err := procStart(pid)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReapOrphans: the next run removes what a run whose process ended
// left behind, and leaves a live run's objects and unlabelled ones alone.
func TestReapOrphans(t *testing.T) {
	if testing.Short() {
		t.Skip("needs Docker")
	}
	ctx := context.Background()
	docker, err := newDockerClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer docker.Close()
	id := newRunID()
	mk := func(name string, owner map[string]string) string {
		labels := map[string]string{LabelKey: "1", LabelRun: "reaptest-" + id + "-" + name}
		maps.Copy(labels, owner)
		n := "chrlab-reaptest-" + id + "-" + name
		if _, err := docker.NetworkCreate(ctx, n, client.NetworkCreateOptions{Driver: "bridge", Internal: true, Labels: labels}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { docker.NetworkRemove(context.Background(), n, client.NetworkRemoveOptions{}) })
		return n
	}
	dead := mk("dead", deadOwner(t))
	live := mk("live", ownerLabels())
	none := mk("none", nil)
	if err := reapOrphans(ctx, docker, io.Discard); err != nil {
		t.Fatal(err)
	}
	exists := func(n string) bool {
		_, err := docker.NetworkInspect(ctx, n, client.NetworkInspectOptions{})
		return err == nil
	}
	if exists(dead) {
		t.Errorf("network %s of an ended run is still there", dead)
	}
	if !exists(live) || !exists(none) {
		t.Errorf("a live run's or an unowned network was removed (live %v, unowned %v)", exists(live), exists(none))
	}
}
