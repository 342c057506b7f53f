package ovpn

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/internal/proclog"
	"github.com/chrlab/chrlab/rosemu/tundev"
)

// process is one running openvpn and its management connection, which
// openvpn dials (management-client) on a unix socket rosemu holds.
type process struct {
	conn   net.Conn
	ln     net.Listener
	stop   context.CancelFunc
	exited chan error
	tail   func() string
	dir    string
}

// launch writes the files (path in the new directory: text) and the
// configuration conf makes for the directory's Files, starts openvpn on
// them with start and waits until it reaches the management socket. ctx
// ends the process; so does end.
func launch(ctx context.Context, start func(*exec.Cmd) error, binary, kind string, conf func(Files) (string, error),
	files func(Files) map[string]string, log *slog.Logger) (p *process, err error) {
	// openvpn opens /dev/net/tun, which a container may lack.
	if err := tundev.EnsureNode(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rosemu-ovpn-"+kind+"-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	f := FilesIn(dir)
	text, err := conf(f)
	if err != nil {
		return nil, err
	}
	all := files(f)
	all[filepath.Join(dir, kind+".conf")] = text
	for path, text := range all {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("unix", f.Management)
	if err != nil {
		return nil, err
	}
	pctx, stop := context.WithCancel(ctx)
	cmd := exec.CommandContext(pctx, binary, "--config", filepath.Join(dir, kind+".conf"), "--cd", dir)
	// SIGTERM first: openvpn then tells its peer it is leaving.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 2 * time.Second
	tail, err := proclog.Start(start, cmd, log, "openvpn", 4)
	if err != nil {
		stop()
		ln.Close()
		return nil, err
	}
	p = &process{ln: ln, stop: stop, exited: make(chan error, 1), tail: tail, dir: dir}
	go func() { p.exited <- cmd.Wait() }()
	gone := make(chan struct{})
	go func() {
		select {
		case err := <-p.exited:
			p.exited <- err
		case <-pctx.Done():
		}
		// Either way nothing dials the socket any more: an accept still
		// waiting must end, or launch never returns.
		ln.Close()
		close(gone)
	}()
	conn, err := ln.Accept()
	if err != nil {
		stop()
		<-gone
		werr := <-p.exited
		return nil, fmt.Errorf("openvpn did not reach the management socket (%v): %s", werr, tail())
	}
	p.conn = conn
	go func() {
		<-pctx.Done()
		conn.Close()
	}()
	return p, nil
}

// end stops the process, waits for it and removes its files; it returns
// how it exited with its last lines.
func (p *process) end() error {
	p.stop()
	werr := <-p.exited
	p.ln.Close()
	os.RemoveAll(p.dir)
	return fmt.Errorf("openvpn exited: %v: %s", werr, p.tail())
}
