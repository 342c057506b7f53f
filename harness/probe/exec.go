package probe

import "context"

// Exec runs "labagent <kind> args..." on node and returns its validated result. The typed helpers
// above cover the common probes; Exec serves the rest with the agent's own flags.
func Exec(ctx context.Context, ex Execer, node string, kind Kind, args ...string) (Result, error) {
	return run(ctx, ex, node, kind, append([]string{Agent, string(kind)}, args...))
}
