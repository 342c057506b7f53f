package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// conntrackCountPath holds the number of conntrack entries of the reading process's namespace.
const conntrackCountPath = "/proc/sys/net/netfilter/nf_conntrack_count"

func cmdConntrack(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("conntrack", flag.ContinueOnError)
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	return probeConntrack(ctx, conntrackCountPath), nil
}

// probeConntrack reads the count from path, and asks conntrack -C when the file is missing (the
// nf_conntrack module not loaded yet, or /proc/sys masked).
func probeConntrack(ctx context.Context, path string) probe.Result {
	res := probe.Result{Probe: probe.KindConntrack}
	n, err := readCount(path)
	if err != nil {
		// conntrack -C answers from netlink; it is bounded because netlink may hang under load.
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		out, cerr := exec.CommandContext(cctx, "conntrack", "-C").Output()
		if cerr != nil {
			res.Result = probe.Error
			res.Error = fmt.Sprintf("count conntrack entries: %v; conntrack -C: %v", err, cerr)
			return res
		}
		if n, err = strconv.Atoi(strings.TrimSpace(string(out))); err != nil {
			res.Result = probe.Error
			res.Error = fmt.Sprintf("parse conntrack -C output %q: %v", out, err)
			return res
		}
	}
	res.Result = probe.OK
	res.Count = n
	return res
}

func readCount(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("parse %s: %w", path, err)
	}
	return n, nil
}
