// Package api serves the RouterOS API (TCP 8728) of rosemu, the RouterOS
// emulator, over any net.Listener.
//
// The wire format, login, replies, .tag and print queries follow
// docs/routeros.md Replies are written with the codec of
// github.com/go-routeros/routeros/v3/proto. Requests are read with this
// package's own decoder of the same framing, because proto's Reader rejects
// query words ("?name=x" is not a valid reply word) and reads words of any
// announced length, which a server must bound before login.
//
// Choices where RouterOS's behaviour is not settled ([verify] in docs/routeros.md):
//   - A command before login gets "!trap =message=not logged in" and "!done";
//     the connection stays open so the client may still log in.
//   - A sentence the server cannot frame (a control byte, a word longer than
//     4 KiB or more than 32 words before login; 16 MiB or 8192 words after)
//     closes the connection without a reply: the stream cannot be resynchronised.
//   - /quit answers "!fatal" with the bare word "session terminated on request"
//     (tagged like any reply) and closes, before or after login.
//   - Commands are answered one at a time in arrival order, so /cancel never
//     finds a running command and answers "!done".
//   - A device error's trap always carries =category= (config.Error.Category)
//     before =message=; the server's own traps for login carry none.
//   - !empty is sent only for print/getall with no rows (not with
//     =count-only=, whose count is data), from emulated version 7.18 on.
//   - Query comparisons with a property the row lacks are false.
package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/go-routeros/routeros/v3/proto"

	"github.com/chrlab/chrlab/rosemu/auth"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/version"
)

// Device is the router behind the API.
type Device interface {
	// Command runs one API command, path like "/ip/firewall/nat/print" or "/ip/firewall/nat/add";
	// args are the attribute words without the leading '=' (".id", "numbers", "chain", ...).
	// print returns every row with all properties (".id" first); the server applies queries,
	// .proplist and count-only. Errors are *config.Error (RouterOS message + trap category).
	// The server calls Command from one goroutine per connection, so implementations must be
	// safe for concurrent use across connections.
	Command(ctx context.Context, path string, args map[string]string) (rows []config.Row, ret string, err error)
}

// DefaultVersion is the RouterOS version emulated when Server.Version is empty.
const DefaultVersion = version.Default

// Server serves the RouterOS API. The zero value with a Device set is ready
// to use: it admits admin with an empty password and emulates DefaultVersion.
type Server struct {
	// Device runs the commands. Required.
	Device Device
	// Auth checks /login; nil means auth.Default.
	Auth auth.Func
	// Version is the emulated RouterOS version ("7.16.2", "7.18", "6.49.10");
	// from 7.18 on a print without rows answers !empty before !done.
	Version string
	// Log receives connection-level events; nil discards them.
	Log *slog.Logger
}

// Serve accepts connections on l and serves each in its own goroutine until
// ctx ends. It then closes l and every open connection, waits for their
// goroutines, and returns nil. Any other accept failure is returned.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	if s.Device == nil {
		return errors.New("serve RouterOS API: server has no Device")
	}
	if _, err := s.emptyReply(); err != nil {
		return fmt.Errorf("serve RouterOS API on %s: %w", l.Addr(), err)
	}
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accept RouterOS API connection on %s: %w", l.Addr(), err)
		}
		wg.Go(func() {
			if err := s.ServeConn(ctx, c); err != nil {
				s.logger().Warn("API connection ended with an error", "remote", c.RemoteAddr(), "err", err)
			}
		})
	}
}

// ServeConn serves one API connection until the peer closes it, sends /quit,
// breaks the framing, or ctx ends; it closes c before returning. A clean end
// (EOF, /quit, ctx) returns nil.
func (s *Server) ServeConn(ctx context.Context, c net.Conn) error {
	defer c.Close()
	if s.Device == nil {
		return errors.New("serve RouterOS API connection: server has no Device")
	}
	empty, err := s.emptyReply()
	if err != nil {
		return fmt.Errorf("serve RouterOS API connection from %s: %w", c.RemoteAddr(), err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Closing the connection is the only way to interrupt a blocked read.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	ss := &session{
		srv:        s,
		dev:        s.Device,
		auth:       s.Auth,
		emptyReply: empty,
		w:          proto.NewWriter(c),
	}
	if ss.auth == nil {
		ss.auth = auth.Default
	}
	br := bufio.NewReader(c)
	for {
		lim := postLogin
		if ss.user == "" {
			lim = preLogin
		}
		words, err := readSentence(br, lim)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("read API sentence from %s: %w", c.RemoteAddr(), err)
		case len(words) == 0:
			// API-DOC: empty sentences are ignored.
			continue
		}
		req := parseRequest(words)
		var quit bool
		err = guard.Do(s.logger(), "API sentence "+req.command, func() (err error) {
			quit, err = ss.handle(ctx, req)
			return err
		})
		if p := (*guard.Panic)(nil); errors.As(err, &p) {
			// One sentence tripped the emulator: it gets a trap, the
			// session and the router go on.
			err = ss.fail(req.tag, p.Error(), 4)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("write API reply to %s: %w", c.RemoteAddr(), err)
		}
		if quit {
			return nil
		}
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// emptyReply reports whether the emulated version sends !empty (7.18 and later).
func (s *Server) emptyReply() (bool, error) {
	v := s.Version
	if v == "" {
		v = DefaultVersion
	}
	major, minor, err := parseVersion(v)
	if err != nil {
		return false, err
	}
	return major > 7 || major == 7 && minor >= 18, nil
}

// parseVersion reads the major and minor numbers of a RouterOS version such
// as "7.16.2", "7.18beta2" or "6.49.10".
func parseVersion(v string) (major, minor int, err error) {
	majS, rest, _ := strings.Cut(v, ".")
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	major, err1 := strconv.Atoi(majS)
	minor, err2 := strconv.Atoi(rest[:i])
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("parse emulated RouterOS version %q: want major.minor[...]", v)
	}
	return major, minor, nil
}

// session is the state of one API connection. Commands are handled one at a
// time in arrival order, so pipelined and tagged commands are answered in
// the order they were sent, each with its own .tag.
type session struct {
	srv        *Server
	dev        Device
	auth       auth.Func
	emptyReply bool
	w          proto.Writer
	user       string // empty until a successful /login
}

// handle answers one command and reports whether the connection must close.
func (ss *session) handle(ctx context.Context, req request) (quit bool, err error) {
	switch {
	case req.command == "/quit":
		// !fatal carries its reason as a bare word (docs/routeros.md).
		return true, ss.send("!fatal", req.tag, "session terminated on request")
	case req.command == "/login":
		return false, ss.login(req)
	case ss.user == "":
		// The emulator keeps the connection open after this trap so that a
		// client may still log in; CHR's exact behaviour is [verify] in
		// docs/routeros.md
		return false, ss.fail(req.tag, "not logged in", -1)
	case req.command == "/cancel":
		// Commands run to completion before the next sentence is read, so
		// there is never a running command to interrupt.
		return false, ss.send("!done", req.tag)
	case !strings.HasPrefix(req.command, "/"):
		return false, ss.fail(req.tag, "no such command or directory ("+req.command+")", 0)
	}
	if dir, verb := splitVerb(req.command); verb == "print" || verb == "getall" {
		return false, ss.print(ctx, dir+"/print", req)
	}
	rows, ret, err := ss.dev.Command(ctx, req.command, req.attrs)
	if err != nil {
		return false, ss.trap(req.tag, err)
	}
	for _, r := range rows {
		if err := ss.sendRow(req.tag, r); err != nil {
			return false, err
		}
	}
	return false, ss.done(req.tag, ret)
}

// login implements the post-6.43 login: the password in clear, and a !done
// without =ret= so that clients do not fall back to the challenge method.
// The challenge method (=response=) stopped authenticating in 6.45.1 and is
// refused the same way as a wrong password.
func (ss *session) login(req request) error {
	name := req.attrs["name"]
	password, hasPassword := req.attrs["password"]
	if name == "" || !hasPassword || !ss.auth(name, password) {
		return ss.fail(req.tag, "invalid user name or password (6)", -1)
	}
	ss.user = name
	ss.srv.logger().Info("API login", "user", name)
	return ss.done(req.tag, "")
}

// print answers print and getall: it asks the device for every row and
// applies the query words, =.proplist= and =count-only= itself.
func (ss *session) print(ctx context.Context, path string, req request) error {
	q, err := compileQuery(req.queries)
	if err != nil {
		// [verify] RouterOS's wording for a malformed query; category 5 is "API failure".
		return ss.fail(req.tag, err.Error(), 5)
	}
	args := make(map[string]string, len(req.attrs))
	for k, v := range req.attrs {
		args[k] = v
	}
	proplist, hasProplist := args[".proplist"]
	_, countOnly := args["count-only"]
	delete(args, ".proplist")
	delete(args, "count-only")

	rows, ret, err := ss.dev.Command(ctx, path, args)
	if err != nil {
		return ss.trap(req.tag, err)
	}
	var matched []config.Row
	for _, r := range rows {
		if q.match(r) {
			matched = append(matched, r)
		}
	}
	if countOnly {
		return ss.done(req.tag, strconv.Itoa(len(matched)))
	}
	var keep map[string]bool
	if hasProplist && proplist != "" {
		keep = make(map[string]bool)
		for _, name := range strings.Split(proplist, ",") {
			keep[strings.TrimSpace(name)] = true
		}
	}
	for _, r := range matched {
		if keep != nil {
			r = project(r, keep)
		}
		if err := ss.sendRow(req.tag, r); err != nil {
			return err
		}
	}
	if len(matched) == 0 && ss.emptyReply {
		if err := ss.send("!empty", req.tag); err != nil {
			return err
		}
	}
	return ss.done(req.tag, ret)
}

// project keeps the properties of r named in keep, in r's order.
func project(r config.Row, keep map[string]bool) config.Row {
	out := make(config.Row, 0, len(keep))
	for _, p := range r {
		if keep[p.Name] {
			out = append(out, p)
		}
	}
	return out
}

// splitVerb splits "/ip/address/print" into "/ip/address" and "print".
func splitVerb(command string) (dir, verb string) {
	i := strings.LastIndexByte(command, '/')
	return command[:i], command[i+1:]
}

func (ss *session) sendRow(tag string, r config.Row) error {
	words := make([]string, len(r))
	for i, p := range r {
		words[i] = "=" + p.Name + "=" + p.Value
	}
	return ss.send("!re", tag, words...)
}

func (ss *session) done(tag, ret string) error {
	if ret == "" {
		return ss.send("!done", tag)
	}
	return ss.send("!done", tag, "=ret="+ret)
}

// trap answers a failed command: the device's RouterOS message and category
// in one !trap, then the !done that every command ends with.
func (ss *session) trap(tag string, err error) error {
	var ce *config.Error
	if errors.As(err, &ce) {
		return ss.fail(tag, ce.Msg, ce.Category)
	}
	// Only *config.Error is expected from a Device; anything else is an
	// emulator fault, reported without a category and logged.
	ss.srv.logger().Error("device returned a non-RouterOS error", "err", err)
	return ss.fail(tag, err.Error(), -1)
}

// fail sends !trap with message (and =category= unless category < 0), then !done.
func (ss *session) fail(tag, message string, category int) error {
	words := []string{"=message=" + message}
	if category >= 0 {
		words = []string{"=category=" + strconv.Itoa(category), words[0]}
	}
	if err := ss.send("!trap", tag, words...); err != nil {
		return err
	}
	return ss.send("!done", tag)
}

// send writes one reply sentence, tagged when the command was.
func (ss *session) send(reply, tag string, words ...string) error {
	ss.w.BeginSentence()
	ss.w.WriteWord(reply)
	for _, w := range words {
		ss.w.WriteWord(w)
	}
	// The tag goes last so that the bare reason word of !fatal stays
	// directly after the reply word; readers accept .tag anywhere.
	if tag != "" {
		ss.w.WriteWord(".tag=" + tag)
	}
	return ss.w.EndSentence()
}
