package main

import (
	"context"
	"io"
)

// runLabVerb runs the verbs that work on labs already running (ls,
// inspect, exec, probe, down): they find everything they need in the
// labs' Docker labels, so they run from any directory. ok is false for
// any other verb.
func runLabVerb(ctx context.Context, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	verbs := map[string]func(context.Context, []string, io.Writer, io.Writer) int{
		"ls": cmdLs, "inspect": cmdInspect, "exec": cmdExec, "probe": cmdProbe, "down": cmdDown,
	}
	f, ok := verbs[args[0]]
	if !ok {
		return 0, false
	}
	return f(ctx, args[1:], stdout, stderr), true
}
