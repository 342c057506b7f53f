package lab

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/chrlab/chrlab/internal/execserve"
)

// servers are the programs of chrlab's images that serve commands
// (internal/execserve) with the argument exec-serve, by base name: an
// image's entrypoint names one of them.
var servers = map[string]bool{"labagent": true, "rosemu": true, "qemuboot": true}

// sessionStart bounds the wait for a server's first line.
const sessionStart = 5 * time.Second

// session is a container's command server: one process that runs every
// later command of the lab in that container (execserve says why),
// reached over the member's exec socket or started with one docker exec.
type session struct {
	conn io.Closer
	wmu  sync.Mutex
	enc  *json.Encoder
	mu   sync.Mutex
	next uint64
	wait map[uint64]chan execserve.Response
	err  error // set once the stream ended; every later call falls back
}

// sessionFor returns m's command server, starting it on first use. It
// returns nil when the container has none (an image that is not
// chrlab's, or one from before the servers) or it could not be started:
// the caller then runs a docker exec per command, as before.
func (l *Lab) sessionFor(ctx context.Context, m *member) *session {
	return l.sessionTry(ctx, m, true)
}

// sessionTry is sessionFor; with sticky false a server that could not be
// started is tried again by the next command.
func (l *Lab) sessionTry(ctx context.Context, m *member, sticky bool) *session {
	m.smu.Lock()
	defer m.smu.Unlock()
	if m.noServer {
		return nil
	}
	if m.session != nil {
		m.session.mu.Lock()
		dead := m.session.err != nil
		m.session.mu.Unlock()
		if !dead {
			return m.session
		}
		// The stream ended (the container restarted): start another.
		m.session = nil
	}
	if os.Getenv("CHRLAB_EXEC") == "docker" {
		m.noServer = true
		return nil
	}
	s, err := l.startSession(ctx, m)
	if err != nil {
		m.noServer = sticky
		return nil
	}
	m.session = s
	return s
}

func (l *Lab) startSession(ctx context.Context, m *member) (*session, error) {
	ins, err := l.docker.ContainerInspect(ctx, m.containerID, client.ContainerInspectOptions{})
	if err != nil {
		return nil, err
	}
	var bin string
	if c := ins.Container.Config; c != nil {
		for _, e := range c.Entrypoint {
			if servers[filepath.Base(e)] {
				bin = e
			}
		}
	}
	if bin == "" {
		return nil, errors.New("no command server in this image")
	}
	if st := ins.Container.State; st != nil && st.Pid > 0 {
		if s, err := socketSession(st.Pid, m.container); err == nil {
			return s, nil
		}
	}
	created, err := l.docker.ExecCreate(ctx, m.containerID, client.ExecCreateOptions{Cmd: []string{bin, "exec-serve"}, AttachStdin: true, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return nil, err
	}
	// The stream outlives the call that started it: it lasts as long as
	// the lab, so it gets no deadline of the caller's.
	att, err := l.docker.ExecAttach(context.WithoutCancel(ctx), created.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, io.Discard, att.Reader)
		pw.CloseWithError(err)
	}()
	return newSession(att.Conn, closerFunc(att.Close), pr, "")
}

// closerFunc makes a Close without an error an io.Closer.
type closerFunc func()

func (f closerFunc) Close() error { f(); return nil }

// socketSession reaches the server of the member with the given host PID
// through its exec socket (execserve.SocketPath), seen from this machine
// in the member's root through /proc: only root on the engine's machine
// can, and only when this process shares the host's PID namespace. The
// ready line must name the member's container, or the PID belonged to a
// process elsewhere.
func socketSession(pid int, container string) (*session, error) {
	path := fmt.Sprintf("/proc/%d/root%s", pid, execserve.SocketPath)
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return nil, err
	}
	return newSession(conn, conn, conn, container)
}

// newSession waits for the server's ready line on r, then hands its
// responses to their callers; commands go to w, and closer ends the
// stream. A non-empty member must be the one the ready line names.
func newSession(w io.Writer, closer io.Closer, r io.Reader, member string) (*session, error) {
	s := &session{conn: closer, enc: json.NewEncoder(w), wait: map[uint64]chan execserve.Response{}}
	dec := json.NewDecoder(bufio.NewReader(r))
	ready := make(chan error, 1)
	go func() {
		var hello execserve.Response
		if err := dec.Decode(&hello); err != nil || !hello.Ready {
			ready <- fmt.Errorf("no ready line: %v", err)
			closer.Close()
			return
		}
		if member != "" && hello.Member != member {
			ready <- fmt.Errorf("the server is %q's, not %q's", hello.Member, member)
			closer.Close()
			return
		}
		ready <- nil
		s.read(dec)
	}()
	select {
	case err := <-ready:
		if err != nil {
			return nil, err
		}
	case <-time.After(sessionStart):
		closer.Close()
		return nil, errors.New("the command server did not start")
	}
	return s, nil
}

// read hands each response to its caller until the stream ends, then
// fails every call still waiting.
func (s *session) read(dec *json.Decoder) {
	for {
		var r execserve.Response
		if err := dec.Decode(&r); err != nil {
			s.mu.Lock()
			s.err = fmt.Errorf("the command server's stream ended: %w", err)
			for _, ch := range s.wait {
				close(ch)
			}
			s.wait = nil
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		ch := s.wait[r.ID]
		delete(s.wait, r.ID)
		s.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
}

// run runs cmd through the server. Like a docker exec's, a cancelled
// ctx returns at once; the command is killed too.
func (s *session) run(ctx context.Context, cmd []string) (ExecResult, error) {
	ch := make(chan execserve.Response, 1)
	s.mu.Lock()
	if s.err != nil {
		err := s.err
		s.mu.Unlock()
		return ExecResult{}, err
	}
	s.next++
	id := s.next
	s.wait[id] = ch
	s.mu.Unlock()
	if err := s.send(execserve.Request{ID: id, Cmd: cmd}); err != nil {
		s.mu.Lock()
		delete(s.wait, id)
		if s.err == nil {
			// A stream that takes no more: the next command starts another server.
			s.err = fmt.Errorf("the command server's stream ended: %w", err)
		}
		s.mu.Unlock()
		return ExecResult{}, err
	}
	select {
	case r, ok := <-ch:
		if !ok {
			s.mu.Lock()
			err := s.err
			s.mu.Unlock()
			return ExecResult{}, err
		}
		return ExecResult{Stdout: r.Stdout, Stderr: r.Stderr, ExitCode: r.Code}, nil
	case <-ctx.Done():
		s.mu.Lock()
		delete(s.wait, id)
		s.mu.Unlock()
		_ = s.send(execserve.Request{ID: id, Cancel: true})
		return ExecResult{}, ctx.Err()
	}
}

func (s *session) send(r execserve.Request) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.enc.Encode(r)
}

func (s *session) close() { s.conn.Close() }

// closeSessions ends every command server of the lab (Down).
func (l *Lab) closeSessions() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.nodes {
		m.smu.Lock()
		if m.session != nil {
			m.session.close()
			m.session = nil
		}
		m.smu.Unlock()
	}
}

// warmSession starts node's command server ahead of its first command.
// A failure only means that command starts it (or runs a docker exec).
func (l *Lab) warmSession(node string) {
	m, ok := l.member(node)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*sessionStart)
	defer cancel()
	l.sessionTry(ctx, m, false)
}
