package lab

import (
	"bytes"
	"context"
	"fmt"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// ExecResult is what a command run in a node printed and how it ended.
type ExecResult struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// Exec runs cmd in a node (or the router) and returns its standard output
// and exit code. A non-zero exit is not an error: err reports only a
// failure to run the command at all. Run also returns standard error.
func (l *Lab) Exec(ctx context.Context, node string, cmd []string) (stdout []byte, exitCode int, err error) {
	res, err := l.Run(ctx, node, cmd)
	return res.Stdout, res.ExitCode, err
}

// Run runs cmd in a node and returns both output streams and the exit
// code, like Exec.
func (l *Lab) Run(ctx context.Context, node string, cmd []string) (ExecResult, error) {
	var res ExecResult
	m, ok := l.member(node)
	if !ok {
		return res, fmt.Errorf("exec %q in lab %s: no node %s (have %v)", cmd, l.Spec.Name, node, l.Members())
	}
	if s := l.sessionFor(ctx, m); s != nil {
		res, err := s.run(ctx, cmd)
		if err != nil {
			return res, fmt.Errorf("exec %q in %s: %w", cmd, node, err)
		}
		return res, nil
	}
	return l.runIn(ctx, m.containerID, node, cmd)
}

// runIn runs cmd in the container id, called node in errors.
func (l *Lab) runIn(ctx context.Context, id, node string, cmd []string) (ExecResult, error) {
	var res ExecResult
	created, err := l.docker.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return res, fmt.Errorf("exec %q in %s: create: %w", cmd, node, err)
	}
	att, err := l.docker.ExecAttach(ctx, created.ID, client.ExecAttachOptions{})
	if err != nil {
		return res, fmt.Errorf("exec %q in %s: attach: %w", cmd, node, err)
	}
	defer att.Close()
	// The attach connection does not follow ctx by itself: close it when
	// ctx ends so that a hung command cannot block the caller.
	stop := context.AfterFunc(ctx, att.Close)
	defer stop()
	var stdout, stderr bytes.Buffer
	if _, err := stdcopy.StdCopy(&stdout, &stderr, att.Reader); err != nil {
		if ctx.Err() != nil {
			return res, fmt.Errorf("exec %q in %s: %w", cmd, node, ctx.Err())
		}
		return res, fmt.Errorf("exec %q in %s: read output: %w", cmd, node, err)
	}
	ins, err := l.docker.ExecInspect(ctx, created.ID, client.ExecInspectOptions{})
	if err != nil {
		return res, fmt.Errorf("exec %q in %s: inspect: %w", cmd, node, err)
	}
	res.Stdout, res.Stderr, res.ExitCode = stdout.Bytes(), stderr.Bytes(), ins.ExitCode
	return res, nil
}

// Logs returns a node's (or the router's) standard output and error so far,
// interleaved as written.
func (l *Lab) Logs(ctx context.Context, node string) ([]byte, error) {
	m, ok := l.member(node)
	if !ok {
		return nil, fmt.Errorf("read logs of lab %s: no node %s (have %v)", l.Spec.Name, node, l.Members())
	}
	rc, err := l.docker.ContainerLogs(ctx, m.containerID, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return nil, fmt.Errorf("read logs of %s: %w", node, err)
	}
	defer rc.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, rc); err != nil {
		return out.Bytes(), fmt.Errorf("read logs of %s: %w", node, err)
	}
	return out.Bytes(), nil
}
