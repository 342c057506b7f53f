package lab

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/moby/client"
)

// Owner labels name the process that made a lab's containers and networks,
// so that a later run can tell the leftovers of a run that died without
// cleaning up (SIGKILL, a crash, a machine that lost power) from another
// lab that is still running. A PID alone is not enough: PIDs are reused,
// so the process's start time and the boot it ran in are kept with it,
// and a PID means something only in its own PID namespace.
const (
	LabelOwnerPID   = "chrlab.owner.pid"
	LabelOwnerStart = "chrlab.owner.start" // start time in clock ticks since boot (/proc/<pid>/stat field 22)
	LabelOwnerBoot  = "chrlab.owner.boot"  // /proc/sys/kernel/random/boot_id
	LabelOwnerPIDNS = "chrlab.owner.pidns" // /proc/self/ns/pid, e.g. pid:[4026531836]
)

// ownerLabels describes this process; nil when /proc cannot say (the lab
// is then never judged, rather than judged wrongly).
func ownerLabels() map[string]string {
	pid := os.Getpid()
	start, err := procStart(pid)
	if err != nil {
		return nil
	}
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return nil
	}
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return nil
	}
	return map[string]string{LabelOwnerPID: strconv.Itoa(pid), LabelOwnerStart: start,
		LabelOwnerBoot: strings.TrimSpace(string(boot)), LabelOwnerPIDNS: ns}
}

// procStart reads a process's start time from /proc/<pid>/stat. The
// command name (field 2) may hold spaces and parentheses, so the fields
// are counted from the last ')'.
func procStart(pid int) (string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", fmt.Errorf("read /proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); the start time is field 22.
	if len(f) < 20 {
		return "", fmt.Errorf("read /proc/%d/stat: %d fields", pid, len(f)+2)
	}
	return f[19], nil
}

// ownerGone reports whether the process the labels name has ended. known
// is false when this process cannot tell (labels missing: a kept lab or one
// made by an older chrlab; another PID namespace): such a lab is left
// alone.
func ownerGone(labels, me map[string]string) (gone, known bool) {
	pid, err := strconv.Atoi(labels[LabelOwnerPID])
	if err != nil || labels[LabelOwnerStart] == "" || labels[LabelOwnerBoot] == "" || labels[LabelOwnerPIDNS] == "" || me == nil {
		return false, false
	}
	if labels[LabelOwnerBoot] != me[LabelOwnerBoot] {
		return true, true // the machine rebooted since: every process of then is gone
	}
	if labels[LabelOwnerPIDNS] != me[LabelOwnerPIDNS] {
		return false, false
	}
	start, err := procStart(pid)
	if err != nil {
		return os.IsNotExist(err), os.IsNotExist(err)
	}
	return start != labels[LabelOwnerStart], true // another process reuses the PID
}

// reapOrphans removes the containers and networks of every run whose owner
// has ended. It never touches a run whose owner lives, nor one it cannot
// judge.
func reapOrphans(ctx context.Context, docker *dockerClient, progress io.Writer) error {
	me := ownerLabels()
	if me == nil {
		return nil
	}
	f := make(client.Filters).Add("label", LabelOwnerPID)
	runs := map[string]map[string]string{}
	cs, err := docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return fmt.Errorf("list containers of earlier runs: %w", err)
	}
	for _, c := range cs.Items {
		if run := c.Labels[LabelRun]; run != "" {
			runs[run] = c.Labels
		}
	}
	ns, err := docker.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return fmt.Errorf("list networks of earlier runs: %w", err)
	}
	for _, n := range ns.Items {
		if run := n.Labels[LabelRun]; run != "" {
			runs[run] = n.Labels
		}
	}
	for _, run := range slices.Sorted(maps.Keys(runs)) {
		labels := runs[run]
		if gone, known := ownerGone(labels, me); !gone || !known {
			continue
		}
		fmt.Fprintf(progress, "lab: removing run %s, left behind by process %s, which has ended\n", run, labels[LabelOwnerPID])
		if err := removeByLabel(ctx, docker, LabelRun+"="+run, progress); err != nil {
			return fmt.Errorf("remove the leftovers of run %s: %w", run, err)
		}
	}
	return nil
}
