// Package ros is the harness's RouterOS client. It speaks to every router
// backend (real CHR, rosemu, the vm guest) the same way: configuration goes
// in as .rsc text over SSH, state comes back over the RouterOS API
// (go-routeros v3). The harness never branches on the backend here.
package ros

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-routeros/routeros/v3"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// Endpoint says where and as whom the harness reaches a router's
// management services.
type Endpoint struct {
	Host     string // address of the management path, never a lab address
	APIPort  int    // RouterOS API, 8728
	SSHPort  int    // 22
	User     string // "admin" on a fresh router
	Password string // empty on a fresh router
}

// Client holds one API connection and one SSH connection to a router.
type Client struct {
	ep Endpoint
	// apiMu makes the API connection one command at a time: the client
	// runs in go-routeros's synchronous mode, where each command reads its
	// own reply off the shared connection, so two commands at once (a
	// conntrack sampler beside a step's own reads) would take each other's
	// replies. It guards api and apiConn, which are nil after a command
	// was cut off, until the next command dials again.
	apiMu   sync.Mutex
	api     *routeros.Client
	apiConn net.Conn
	ssh     *ssh.Client
}

// Dial connects to both services, retrying inside budget: a router that was
// just started may refuse connections for a moment while its services come
// up, so each attempt gets a short timeout and the last error is kept.
func Dial(ctx context.Context, ep Endpoint, budget time.Duration) (*Client, error) {
	if ep.APIPort == 0 {
		ep.APIPort = 8728
	}
	if ep.SSHPort == 0 {
		ep.SSHPort = 22
	}
	if ep.User == "" {
		ep.User = "admin"
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	var last error
	for {
		c, err := dialOnce(ctx, ep)
		if err == nil {
			return c, nil
		}
		last = err
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("connect to router management at %s within %s: %w", ep.Host, budget, last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func dialOnce(ctx context.Context, ep Endpoint) (*Client, error) {
	api, conn, err := dialAPI(ctx, ep)
	if err != nil {
		return nil, err
	}
	sshAddr := net.JoinHostPort(ep.Host, strconv.Itoa(ep.SSHPort))
	cfg := &ssh.ClientConfig{
		User: ep.User,
		Auth: []ssh.AuthMethod{ssh.Password(ep.Password)},
		// The router is a lab device created moments ago on a private
		// management network; its host key is new on every run, so there is
		// nothing to pin it against.
		HostKeyCallback: ssh.InsecureIgnoreHostKey(),
		Timeout:         2 * time.Second,
	}
	sc, err := ssh.Dial("tcp", sshAddr, cfg)
	if err != nil {
		api.Close()
		return nil, fmt.Errorf("log in to SSH %s: %w", sshAddr, err)
	}
	return &Client{ep: ep, api: api, apiConn: conn, ssh: sc}, nil
}

// dialAPI opens and logs in one API connection, within two seconds.
func dialAPI(ctx context.Context, ep Endpoint) (*routeros.Client, net.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	apiAddr := net.JoinHostPort(ep.Host, strconv.Itoa(ep.APIPort))
	conn, err := new(net.Dialer).DialContext(actx, "tcp", apiAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("log in to API %s: %w", apiAddr, err)
	}
	api, err := routeros.NewClient(conn)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("log in to API %s: %w", apiAddr, err)
	}
	// go-routeros's synchronous mode reads a reply without looking at the
	// context, so every exchange is bounded on the connection itself (a
	// router whose API accepted the connection and never answered hung a
	// run for good).
	err = bounded(actx, conn, func() error { return api.LoginContext(actx, ep.User, ep.Password) })
	if err != nil {
		api.Close()
		return nil, nil, fmt.Errorf("log in to API %s: %w", apiAddr, err)
	}
	return api, conn, nil
}

// run sends one API command within ctx. A command cut off by its context,
// or by a broken connection, may still have its reply coming: the
// connection is closed then, so that no later command reads that reply as
// its own (a cancelled conntrack sampler's empty reply once became the
// next /ip address print's, and the router had "no address on ether1"),
// and the next command logs in afresh. A router's own refusal (!trap)
// leaves the connection as it is.
func (c *Client) run(ctx context.Context, words []string) (*routeros.Reply, error) {
	c.apiMu.Lock()
	defer c.apiMu.Unlock()
	if c.api == nil {
		api, conn, err := dialAPI(ctx, c.ep)
		if err != nil {
			return nil, err
		}
		c.api, c.apiConn = api, conn
	}
	var r *routeros.Reply
	err := bounded(ctx, c.apiConn, func() (err error) {
		r, err = c.api.RunArgsContext(ctx, words)
		return err
	})
	if err != nil {
		var trap *routeros.DeviceError
		if !errors.As(err, &trap) {
			c.api.Close()
			c.api, c.apiConn = nil, nil
		}
	}
	return r, err
}

// bounded runs f, an exchange on conn, within ctx: the connection's
// deadline is the context's, and a cancelled context ends a read or write
// at once. The deadline is cleared afterwards.
func bounded(ctx context.Context, conn net.Conn, f func() error) error {
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	err := f()
	if !stop() && ctx.Err() != nil && err != nil {
		err = fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	_ = conn.SetDeadline(time.Time{})
	return err
}

// Close ends both sessions.
func (c *Client) Close() error {
	c.apiMu.Lock()
	defer c.apiMu.Unlock()
	var err error
	if c.api != nil {
		err = c.api.Close()
		c.api, c.apiConn = nil, nil
	}
	return errors.Join(err, c.ssh.Close())
}

// ApplyError is a configuration the router refused: where in which file,
// and the router's own message.
type ApplyError struct {
	File      string
	Line, Col int    // 0 when the router named no position
	Msg       string // the router's words
	// Output is what the text printed before it failed (its :put
	// lines), "" when nothing.
	Output string
}

func (e *ApplyError) Error() string {
	msg := e.Msg
	if p := e.PrintedBefore(); p != "" {
		msg += " (" + p + ")"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: router rejected the configuration: %s", e.File, e.Line, e.Col, msg)
	}
	return fmt.Sprintf("%s: router rejected the configuration: %s", e.File, msg)
}

// Within returns the error with its position moved from the text to the
// file that holds it, the text starting at line and column col of file (a
// case's router: | or rsc: |, whose block drops the same indentation from
// every line): the position the offline load check gives the same
// command. Without a position the error is returned as it is, its File
// still naming the text.
func (e *ApplyError) Within(file string, line, col int) error {
	if e.Line == 0 {
		return e
	}
	m := *e
	m.File, m.Line, m.Col = file, e.Line+line-1, e.Col+col-1
	return &m
}

// Printed is what the text printed before it failed (Output).
func (e *ApplyError) Printed() string { return e.Output }

// PrintedBefore says what the text printed before it failed, its lines
// quoted on one line ("it printed before: "a", "b""); "" when nothing.
func (e *ApplyError) PrintedBefore() string {
	if e.Output == "" {
		return ""
	}
	var q []string
	for _, l := range strings.Split(e.Output, "\n") {
		q = append(q, strconv.Quote(l))
	}
	return "it printed before: " + strings.Join(q, ", ")
}

// networkFailure matches RouterOS's words for a command whose outcome is
// the network's, not the text's: a fetch that got no answer or an error
// status, a name lookup that failed (Fetch page,
// https://help.mikrotik.com/docs/display/ROS/Fetch; rosemu's words, some
// [verify]). The load check runs such commands offline and leaves their
// outcome to the router (docs/scenarios.md, configure).
var networkFailure = regexp.MustCompile(`^(failure: (connection timeout|connection refused|closing connection|could not resolve dns name|dns name does not exist|dns server failure)|Fetch failed with status \d+)\b`)

// RunTimeFailure returns the router's words and true when the router took
// the text and a command of it failed when it ran, for a reason of the
// network (a fetch or :resolve with no answer): the configuration's own
// outcome, not refused input.
func (e *ApplyError) RunTimeFailure() (string, bool) {
	return e.Msg, networkFailure.MatchString(e.Msg)
}

// posRe finds RouterOS's error position, "(line 3 column 12)".
var posRe = regexp.MustCompile(`\s*\(line (\d+) column (\d+)\)\s*$`)

// MaxCommand is the largest .rsc Apply sends as one SSH command. The SSH
// library refuses a request of 256 KiB ("connection reset by peer"), so a
// larger configuration is uploaded over SFTP and run with /import, which
// RouterOS and rosemu both take at any size.
const MaxCommand = 64 << 10

// importName is the file a large configuration is uploaded as.
const importName = "chrlab-apply.rsc"

// Apply runs .rsc text on the router's console: as one SSH command, or
// beyond MaxCommand by SFTP upload and /import. The text goes unchanged
// either way, so the line and column RouterOS reports are the file's own;
// file only names the source in errors.
func (c *Client) Apply(ctx context.Context, file string, rsc []byte) error {
	var err error
	if len(rsc) > MaxCommand {
		err = c.Import(ctx, importName, rsc)
	} else {
		_, err = c.Console(ctx, string(rsc))
	}
	if err == nil {
		return nil
	}
	var ce *ConsoleError
	if !errors.As(err, &ce) {
		return fmt.Errorf("apply %s: %w", file, err)
	}
	// The console prints the error on a line of its own after what the
	// text printed (rosemu's sshd, its package comment; RouterOS's
	// terminal likewise [verify]): the last line is the router's words,
	// the lines before it the text's output. Taken whole as the words, a
	// step that printed with :put and then failed was reported with its
	// printed lines as the error, and a fetch that timed out after a :put
	// was not seen as the network's failure.
	ae := &ApplyError{File: file, Msg: strings.TrimSpace(ce.Output)}
	if i := strings.LastIndexByte(ae.Msg, '\n'); i >= 0 {
		ae.Output = strings.TrimSpace(strings.ReplaceAll(ae.Msg[:i], "\r\n", "\n"))
		ae.Msg = strings.TrimSpace(ae.Msg[i+1:])
	}
	if m := posRe.FindStringSubmatchIndex(ae.Msg); m != nil {
		line, _ := strconv.Atoi(ae.Msg[m[2]:m[3]])
		col, _ := strconv.Atoi(ae.Msg[m[4]:m[5]])
		if inText(rsc, line, col) {
			ae.Line, ae.Col = line, col
			ae.Msg = ae.Msg[:m[0]]
		} else {
			// RouterOS names the place in the source that failed: a
			// script the text ran (/system script run) or a file it
			// imported. Taken as the text's own, a case's one-line step
			// was told 5:160.
			ae.Msg = fmt.Sprintf("%s (line %d column %d of a script or file it ran, not of this text)", ae.Msg[:m[0]], line, col)
		}
	}
	return ae
}

// inText reports whether line and column (from 1) lie in text.
func inText(text []byte, line, col int) bool {
	lines := strings.Split(string(text), "\n")
	return line >= 1 && line <= len(lines) && col >= 1 && col <= len(lines[line-1])+1
}

// ErrManagementLost is a router that stopped answering on its management
// connection in the middle of a command.
var ErrManagementLost = errors.New("the router stopped answering on its management connection")

// keepaliveEvery and keepaliveWait pace the watch on a running console
// command: generous, since a router under TCG on a loaded machine can be
// slow to answer.
var (
	keepaliveEvery = 10 * time.Second
	keepaliveWait  = 60 * time.Second
)

// ConsoleError is a console command that ended with a non-zero status.
type ConsoleError struct {
	Status int
	Output string
}

func (e *ConsoleError) Error() string {
	return fmt.Sprintf("console command failed (status %d): %s", e.Status, strings.TrimSpace(e.Output))
}

// Console runs CLI text over SSH and returns what the console printed.
func (c *Client) Console(ctx context.Context, cmd string) (string, error) {
	s, err := c.ssh.NewSession()
	if err != nil {
		return "", fmt.Errorf("open SSH session to %s: %w", c.ep.Host, err)
	}
	defer s.Close()
	// Separate buffers: io.Copy into one bytes.Buffer from two goroutines
	// races in Buffer.ReadFrom and loses output.
	var out, errOut bytes.Buffer
	s.Stdout = &out
	s.Stderr = &errOut
	done := make(chan error, 1)
	go func() { done <- s.Run(cmd) }()
	// A command can cut the very path it came by (a script that bridges
	// every port it finds takes the lab's management port too); the SSH
	// connection then neither ends nor answers, and waiting for the
	// command's end would never return. Keepalives answered by the
	// router's SSH server, which answers them while a command runs, tell
	// a dead path from a long command.
	tick := time.NewTicker(keepaliveEvery)
	defer tick.Stop()
	answered := make(chan struct{}, 1)
	last := time.Now()
	for waiting := true; waiting; {
		select {
		case <-ctx.Done():
			s.Close()
			return "", ctx.Err()
		case err = <-done:
			waiting = false
		case <-answered:
			last = time.Now()
		case <-tick.C:
			if time.Since(last) > keepaliveWait {
				s.Close()
				c.ssh.Close()
				return out.String(), fmt.Errorf("%w for %s while it ran the command (the command may have cut the management path: bridged the management port, say)", ErrManagementLost, keepaliveWait.Round(time.Second))
			}
			go func() {
				if _, _, err := c.ssh.SendRequest("keepalive@openssh.com", true, nil); err == nil {
					select {
					case answered <- struct{}{}:
					default:
					}
				}
			}()
		}
	}
	out.Write(errOut.Bytes())
	var ee *ssh.ExitError
	if errors.As(err, &ee) {
		return out.String(), &ConsoleError{Status: ee.ExitStatus(), Output: out.String()}
	}
	if err != nil {
		return out.String(), fmt.Errorf("run console command on %s: %w", c.ep.Host, err)
	}
	return out.String(), nil
}

// Export returns the router's configuration as RouterOS prints it.
func (c *Client) Export(ctx context.Context) (string, error) {
	return c.Console(ctx, "/export")
}

// Print runs an API print on path ("/ip/firewall/nat") with optional query
// words ("?chain=dstnat") and returns the rows as maps.
func (c *Client) Print(ctx context.Context, path string, words ...string) ([]map[string]string, error) {
	r, err := c.run(ctx, append([]string{path + "/print"}, words...))
	if err != nil {
		return nil, fmt.Errorf("print %s on %s: %w", path, c.ep.Host, err)
	}
	rows := make([]map[string]string, 0, len(r.Re))
	for _, s := range r.Re {
		rows = append(rows, s.Map)
	}
	return rows, nil
}

// Run sends one raw API command and returns its reply.
func (c *Client) Run(ctx context.Context, words ...string) (*routeros.Reply, error) {
	r, err := c.run(ctx, words)
	if err != nil {
		return nil, fmt.Errorf("run %s on %s: %w", words[0], c.ep.Host, err)
	}
	return r, nil
}

// Import uploads rsc as the router's file name over SFTP and runs it with
// /import, then removes the file. A failing import is a *ConsoleError with
// the router's message, as for Console.
func (c *Client) Import(ctx context.Context, name string, rsc []byte) error {
	sc, err := sftp.NewClient(c.ssh)
	if err != nil {
		return fmt.Errorf("open SFTP to %s: %w", c.ep.Host, err)
	}
	defer sc.Close()
	f, err := sc.Create(name)
	if err != nil {
		return fmt.Errorf("upload %s to %s: %w", name, c.ep.Host, err)
	}
	if _, err := f.Write(rsc); err != nil {
		f.Close()
		return fmt.Errorf("upload %s to %s: %w", name, c.ep.Host, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("upload %s to %s: %w", name, c.ep.Host, err)
	}
	defer sc.Remove(name)
	out, err := c.Console(ctx, "/import file-name="+name)
	if err != nil {
		return err
	}
	// RouterOS ends a good import with this line; anything else is the
	// import's error, whatever the exit status said.
	if !strings.Contains(out, "Script file loaded and executed successfully") {
		return &ConsoleError{Status: 1, Output: out}
	}
	return nil
}
