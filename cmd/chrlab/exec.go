package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/chrlab/chrlab/harness/ros"
)

// cmdExec runs a command in a node of a running lab and passes its exit
// status through. On a router (the lab's, or one of its more routers) the
// command is RouterOS CLI, run over
// the router's SSH as the harness applies configurations; --container
// runs it in the router's container instead (nft list ruleset).
func cmdExec(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	fs.SetOutput(stderr)
	inContainer := fs.Bool("container", false, "on the router, run the command in its container's shell rather than on the RouterOS console")
	flags, rest := splitRunArgs(args, "container")
	if err := fs.Parse(flags); err != nil {
		return 2
	}
	run, node, cmd, err := parseExecArgs(rest)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab exec:", err)
		return 2
	}
	k, code := openRun(ctx, stderr, "exec", run)
	if code != 0 {
		return code
	}
	defer k.Close()
	if _, router := k.Spec.RouterNamed(node); router && !*inContainer {
		// The lab's router, or one of its more routers (routers:).
		rc, err := k.RouterOf(ctx, node)
		if err != nil {
			fmt.Fprintln(stderr, "chrlab exec:", err)
			return 3
		}
		defer rc.Close()
		out, err := rc.Console(ctx, strings.Join(cmd, " "))
		var ce *ros.ConsoleError
		switch {
		case errors.As(err, &ce):
			// RouterOS's own message is the output; the status says it failed.
			fmt.Fprint(stdout, out)
			return max(ce.Status, 1)
		case err != nil:
			fmt.Fprintln(stderr, "chrlab exec:", err)
			return 3
		}
		fmt.Fprint(stdout, out)
		return 0
	}
	if _, ok := k.Lab.ContainerID(node); !ok {
		fmt.Fprintf(stderr, "chrlab exec: lab run %s has no node %q; its nodes: %s\n", run, node, strings.Join(k.Lab.Members(), ", "))
		return 2
	}
	res, err := k.Lab.Run(ctx, node, cmd)
	if err != nil {
		fmt.Fprintln(stderr, "chrlab exec:", err)
		return 3
	}
	stdout.Write(res.Stdout)
	stderr.Write(res.Stderr)
	return res.ExitCode
}

// parseExecArgs reads RUN NODE -- CMD...; the "--" may be left out when the
// command has no flags of its own.
func parseExecArgs(rest []string) (run, node string, cmd []string, err error) {
	const usage = "usage: chrlab exec [--container] RUN NODE -- COMMAND [ARG...]"
	i := 0
	for i < len(rest) && rest[i] != "--" && i < 2 {
		i++
	}
	if i < 2 {
		return "", "", nil, fmt.Errorf("give a run id and a node (%s)", usage)
	}
	run, node, cmd = rest[0], rest[1], rest[2:]
	if len(cmd) > 0 && cmd[0] == "--" {
		cmd = cmd[1:]
	}
	if len(cmd) == 0 {
		return "", "", nil, fmt.Errorf("give the command to run after -- (%s)", usage)
	}
	return run, node, cmd, nil
}
