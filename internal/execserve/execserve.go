// Package execserve runs commands for a client over one stream: the
// lab's way to run many short commands in a container without a
// `docker exec` for each.
//
// A docker exec costs the engine a runtime exec (a new process set up in
// the container's namespaces and cgroup): 70 to 90 ms on a 2-core
// machine, up to 0.4 s when several run at once. A lab run makes dozens
// (every probe, every capture start and pause, the artifacts), which was
// about two seconds of a `make lab` of eight. So the lab starts one server
// per container, and each command is then a fork and exec inside the
// container: a few milliseconds. The server is reached over the member's
// exec socket (socket.go) where the harness can, else started with one
// docker exec.
//
// The protocol is JSON lines: the server first writes {"ready":true};
// the client writes a Request per command (or a cancel), the server
// answers each with a Response of the same id, in any order. A command
// runs as docker exec runs it: the server's environment and working
// directory, standard input empty, standard output and error captured
// apart. Its exit code is docker's: the process's own, 128+n when signal n
// ended it, 126 or 127 when it could not be started.
package execserve

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
)

// Request asks for one command, or with Cancel for the end of the running
// command of that ID.
type Request struct {
	ID     uint64   `json:"id"`
	Cmd    []string `json:"cmd,omitempty"`
	Cancel bool     `json:"cancel,omitempty"`
}

// Response is how a command ended. Ready marks the server's first line,
// which also carries the member's container name (MemberEnv), if any.
type Response struct {
	ID     uint64 `json:"id,omitempty"`
	Ready  bool   `json:"ready,omitempty"`
	Member string `json:"member,omitempty"`
	Stdout []byte `json:"stdout,omitempty"`
	Stderr []byte `json:"stderr,omitempty"`
	Code   int    `json:"code"`
}

// Serve reads requests from in until it ends and writes responses to out.
// Commands run side by side. A command still running when in ends is left
// to finish, as the end of a docker exec's attach leaves its process.
func Serve(in io.Reader, out io.Writer) error {
	var wmu sync.Mutex
	enc := json.NewEncoder(out)
	send := func(r Response) error {
		wmu.Lock()
		defer wmu.Unlock()
		return enc.Encode(r)
	}
	if err := send(Response{Ready: true, Member: os.Getenv(MemberEnv)}); err != nil {
		return err
	}
	var mu sync.Mutex
	running := map[uint64]*exec.Cmd{}
	dec := json.NewDecoder(in)
	for {
		var req Request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if req.Cancel {
			mu.Lock()
			if c := running[req.ID]; c != nil && c.Process != nil {
				// The whole group: a shell's children too.
				_ = syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
			}
			mu.Unlock()
			continue
		}
		if len(req.Cmd) == 0 {
			_ = send(Response{ID: req.ID, Stderr: []byte("execserve: empty command\n"), Code: 126})
			continue
		}
		cmd := exec.Command(req.Cmd[0], req.Cmd[1:]...)
		var stdout, stderr syncBuffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		mu.Lock()
		err := cmd.Start()
		if err == nil {
			running[req.ID] = cmd
		}
		mu.Unlock()
		if err != nil {
			_ = send(Response{ID: req.ID, Stderr: []byte("exec: " + err.Error() + "\n"), Code: startCode(err)})
			continue
		}
		go func() {
			werr := cmd.Wait()
			mu.Lock()
			delete(running, req.ID)
			mu.Unlock()
			code := 0
			var exit *exec.ExitError
			switch {
			case errors.As(werr, &exit):
				code = exitCode(exit.ProcessState)
			case werr != nil:
				stderr.Write([]byte("execserve: " + werr.Error() + "\n"))
				code = 126
			}
			_ = send(Response{ID: req.ID, Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), Code: code})
		}()
	}
}

// exitCode is the code a shell (and docker exec) gives a process: its own
// exit status, or 128+n for signal n.
func exitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// startCode is a shell's code for a command it could not start: 127 when
// there is no such file, 126 otherwise (not executable).
func startCode(err error) int {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
		return 127
	}
	return 126
}

// syncBuffer collects a command's output; the mutex is for a command
// whose children write after Wait has begun.
type syncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf
}
