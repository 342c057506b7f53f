package execserve

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
)

// SocketPath is where a lab member's own program (labagent node, rosemu,
// qemuboot) accepts command streams when MemberEnv is set. The harness,
// running as root on the engine's machine, reaches it through
// /proc/<pid>/root and so starts a member's server without a docker exec:
// a runtime exec cost the engine about 0.2 CPU-s on a 2-core machine, one
// per member of every lab (seven in a hairpin lab), against a fork and exec
// of the program here. Anywhere else (a user outside the root account, an
// engine on another machine) the harness starts the server with a docker
// exec, as before.
const SocketPath = "/run/chrlab-exec.sock"

// MemberEnv names the environment variable that holds a member's container
// name. The harness sets it when it creates the container; the server's
// ready line repeats it (Response.Member), so that the harness knows the
// socket it reached is its own container's and not that of a process with
// the same PID in another PID namespace.
const MemberEnv = "CHRLAB_MEMBER"

// ListenMember serves SocketPath when this program is a lab member
// (MemberEnv is set) and does nothing otherwise, so that a program run on
// a developer's machine never takes a socket in its /run. It listens
// before it returns, so that a program that says it is ready after it is
// also reachable, and accepts in the background. Each connection gets a
// server process of its own: this program with the argument exec-serve
// and the connection as its standard input and output, exactly what a
// docker exec of it would run. start starts that process and collects it
// when it ends: labagent's supervisor reaps every child itself, so it
// cannot be exec.Cmd.Wait's.
func ListenMember(start func(*exec.Cmd) error) error {
	return listenMember(SocketPath, start)
}

func listenMember(path string, start func(*exec.Cmd) error) error {
	if os.Getenv(MemberEnv) == "" {
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("exec socket: %w", err)
	}
	// A socket left by the program's previous run in this container
	// (restarted by Docker) would make the listen fail.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("exec socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("exec socket: %w", err)
	}
	go func() {
		defer ln.Close()
		for {
			c, err := ln.Accept()
			if err != nil {
				fmt.Fprintf(os.Stderr, "exec socket: %v\n", err)
				return
			}
			serveConn(c, self, start)
		}
	}()
	return nil
}

func serveConn(c net.Conn, self string, start func(*exec.Cmd) error) {
	f, err := c.(*net.UnixConn).File()
	c.Close()
	if err != nil {
		return
	}
	defer f.Close()
	cmd := exec.Command(self, "exec-serve")
	// The name it was started by: one binary serves several roles by
	// that name (chrlab's images built from a chrlab binary).
	cmd.Args[0] = os.Args[0]
	cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, os.Stderr
	if err := start(cmd); err != nil {
		fmt.Fprintf(os.Stderr, "exec socket: start a server: %v\n", err)
	}
}

// StartAndWait is ListenMember's start for a program that collects its
// own children with exec.Cmd.Wait.
func StartAndWait(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
