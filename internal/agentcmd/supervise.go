package agentcmd

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// supervisor starts and restarts the node's child processes and reaps every child, its own and
// the orphans a container's PID 1 inherits (processes left behind by docker exec). It waits with
// wait4(-1) instead of exec.Cmd.Wait, since a reaper that collects any pid would otherwise steal
// the exit status Cmd.Wait is waiting for.
type supervisor struct {
	mu       sync.Mutex
	children map[int]chan syscall.WaitStatus
	procs    map[int]*os.Process
	sigchld  chan os.Signal
	reaped   chan struct{} // closed when the reaper goroutine has returned
}

func newSupervisor() *supervisor {
	s := &supervisor{children: map[int]chan syscall.WaitStatus{}, procs: map[int]*os.Process{}, sigchld: make(chan os.Signal, 1), reaped: make(chan struct{})}
	signal.Notify(s.sigchld, syscall.SIGCHLD)
	go func() {
		defer close(s.reaped)
		for range s.sigchld {
			s.reap()
		}
	}()
	return s
}

// close stops the reaper. The node's agent never does (its supervisor
// lives as long as the container); a test that made one must, or the
// reaper outlives it and collects the children of the package's later
// tests before their exec.Cmd.Wait does ("waitid: no child processes",
// TestUPnPProbe's ip netns add in a CI run).
//
// It waits for the reaper to return: a SIGCHLD still buffered when the
// channel closes makes it reap once more, and that last wait4(-1) must
// not fall after close has returned, when the caller's own children exist.
func (s *supervisor) close() {
	signal.Stop(s.sigchld)
	close(s.sigchld)
	<-s.reaped
}

// start starts cmd and returns a channel that receives its exit status. The lock is held across
// Start and registration so that the reaper cannot collect the child before it is known.
func (s *supervisor) start(cmd *exec.Cmd) (<-chan syscall.WaitStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// Pdeathsig covers the case where the agent dies without running its shutdown path.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ch := make(chan syscall.WaitStatus, 1)
	s.children[cmd.Process.Pid] = ch
	s.procs[cmd.Process.Pid] = cmd.Process
	return ch, nil
}

// reap collects every exited child without blocking and hands the status of supervised ones to
// their waiters.
func (s *supervisor) reap() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || pid <= 0 {
			return
		}
		if ch, ok := s.children[pid]; ok {
			ch <- ws
			delete(s.children, pid)
			// Release frees the process handle (a pidfd) that Start opened; Wait would have.
			s.procs[pid].Release()
			delete(s.procs, pid)
		}
	}
}

// keep runs the command that newCmd builds until stop is closed, restarting it a second after
// each exit. A second is long enough not to spin on a command that cannot start and short enough
// that a probe retrying for "server busy" finds it back.
func (s *supervisor) keep(name string, newCmd func() *exec.Cmd, stop <-chan struct{}) {
	for {
		done, err := s.start(newCmd())
		if err != nil {
			log.Printf("start %s: %v", name, err)
		} else {
			select {
			case ws := <-done:
				log.Printf("%s exited (%s); restarting it", name, describeStatus(ws))
			case <-stop:
				return
			}
		}
		select {
		case <-time.After(time.Second):
		case <-stop:
			return
		}
	}
}

// killAll sends SIGKILL to every supervised child. The node exits right after, so children get no
// grace period: nothing they hold needs flushing.
func (s *supervisor) killAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.procs {
		_ = p.Signal(syscall.SIGKILL)
	}
}

func describeStatus(ws syscall.WaitStatus) string {
	switch {
	case ws.Exited():
		return "exit code " + strconv.Itoa(ws.ExitStatus())
	case ws.Signaled():
		return "signal " + ws.Signal().String()
	default:
		return "status " + strconv.Itoa(int(ws))
	}
}

// run runs a command to its end under the supervisor and returns what it
// wrote to standard output and error. The node's own commands must go this
// way: the reaper would steal the exit status that exec.Cmd's Run or
// Output waits for ("waitid: no child processes"). The output goes to a
// file, not a pipe: the supervisor waits for the process, not exec.Cmd, so
// no copying goroutine would be known to have finished.
func (s *supervisor) run(name string, args ...string) (string, error) {
	out, err := os.CreateTemp("", "labagent-run-")
	if err != nil {
		return "", fmt.Errorf("run %s: make a file for its output: %w", name, err)
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = out, out
	done, err := s.start(cmd)
	if err != nil {
		return "", fmt.Errorf("run %s: %w", name, err)
	}
	ws := <-done
	msg, _ := os.ReadFile(out.Name())
	if !ws.Exited() || ws.ExitStatus() != 0 {
		return string(msg), fmt.Errorf("%s %s: %s: %s", name, strings.Join(args, " "), describeStatus(ws), strings.TrimSpace(string(msg)))
	}
	return string(msg), nil
}
