// Package sshd serves the RouterOS command line of rosemu, the RouterOS
// emulator, over SSH (port 22).
//
// An "exec" request runs its whole command text as one Console.Run and
// exits 0, or 1 on error. The exact output of an exec is:
//
//	<console output, verbatim>
//	<error text>\n        only on error, with exit status 1
//
// where a "\n" is inserted between the two when the output does not already
// end in one, and the error text is the error's Error() string; for a
// *config.Error with a position that reads like RouterOS,
// "expected end of command (line 3 column 12)", so a harness can take the
// position from the last line with the pattern
// `\(line (\d+) column (\d+)\)$`. Everything goes to the channel's stdout,
// as RouterOS writes errors to its terminal and not to a separate stream;
// stderr stays empty.
//
// A "shell" request gives the interactive prompt "[<user>@<identity>] > ".
package sshd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/chrlab/chrlab/rosemu/auth"
	"github.com/chrlab/chrlab/rosemu/files"
)

// Console runs RouterOS CLI text.
type Console interface {
	// Run executes RouterOS CLI text as one transaction and returns what the console prints.
	// Errors are *config.Error whose Error() already reads like RouterOS: "msg (line N column M)".
	// Run is called from one goroutine per SSH session, so implementations must be safe for
	// concurrent use.
	Run(ctx context.Context, src string) (string, error)
}

// DefaultLoginTimeout is Server.LoginTimeout's default, OpenSSH's
// LoginGraceTime of two minutes.
const DefaultLoginTimeout = 2 * time.Minute

// DefaultIdentity is the system identity of a fresh RouterOS, shown in the prompt.
const DefaultIdentity = "MikroTik"

// Server serves the RouterOS CLI over SSH. The zero value with a Console set
// is ready to use: it admits admin with an empty password, shows the
// identity MikroTik and uses a host key that lives only as long as Serve.
type Server struct {
	// Console runs the commands. Required.
	Console Console
	// Auth checks passwords; nil means auth.Default. Only password
	// authentication is offered: an empty password is sent as a password
	// like any other (OpenSSH prompts and the user presses Enter).
	Auth auth.Func
	// AuthFrom, when set, checks passwords instead of Auth and is also
	// told the peer's address (the router's /user address= list).
	AuthFrom auth.FromFunc
	// StateDir keeps the host key (HostKeyFile) across restarts; it is
	// created when missing. Empty means a new key in memory for each Serve.
	StateDir string
	// Identity returns the router's system identity for the prompt; it is
	// called for every prompt so that a change of /system identity shows at
	// once. nil means DefaultIdentity.
	Identity func() string
	// Note returns /system note as the console shows it: after is shown
	// when an interactive session starts (show-at-login), before as the
	// SSH banner ahead of the login (show-at-cli-login); "" for none. nil
	// shows none.
	Note func() (after, before string)
	// Log receives connection-level events; nil discards them.
	Log *slog.Logger
	// LoginTimeout bounds the handshake and login of a connection, from
	// accept to a password accepted; a client that takes longer is
	// disconnected. Zero means DefaultLoginTimeout.
	LoginTimeout time.Duration
	// Files, when set, is the router's file store: the "sftp" subsystem
	// uploads into it (for /import), as on RouterOS. nil refuses SFTP.
	Files *files.Store
}

// Serve accepts SSH connections on l until ctx ends, serving each in its own
// goroutine. It then closes l and every open connection, waits for their
// goroutines, and returns nil. Any other accept failure is returned.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	if s.Console == nil {
		return errors.New("serve SSH: server has no Console")
	}
	signer, err := loadHostKey(s.StateDir)
	if err != nil {
		return fmt.Errorf("serve SSH on %s: %w", l.Addr(), err)
	}
	admit := func(user, password string, _ net.Addr) bool { return s.Auth(user, password) }
	switch {
	case s.AuthFrom != nil:
		admit = s.AuthFrom
	case s.Auth == nil:
		admit = func(user, password string, _ net.Addr) bool { return auth.Default(user, password) }
	}
	cfg := &ssh.ServerConfig{
		// RouterOS announces itself as ROSSSH; scripts that fingerprint the
		// server see the same banner.
		ServerVersion: "SSH-2.0-ROSSSH",
		BannerCallback: func(ssh.ConnMetadata) string {
			_, before := s.note()
			return crlf(before)
		},
		PasswordCallback: func(md ssh.ConnMetadata, password []byte) (*ssh.Permissions, error) {
			if !admit(md.User(), string(password), md.RemoteAddr()) {
				s.logger().Info("SSH login refused", "user", md.User(), "remote", md.RemoteAddr())
				return nil, fmt.Errorf("refuse SSH login of %q from %s: invalid user name or password", md.User(), md.RemoteAddr())
			}
			return nil, nil
		},
	}
	cfg.AddHostKey(signer)

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
			return fmt.Errorf("accept SSH connection on %s: %w", l.Addr(), err)
		}
		wg.Go(func() { s.serveConn(ctx, c, cfg) })
	}
}

func (s *Server) serveConn(ctx context.Context, c net.Conn, cfg *ssh.ServerConfig) {
	defer c.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Closing the connection unblocks the handshake and every channel.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	// A client that connects and then says nothing (or goes away without a
	// FIN) would hold the handshake, and this goroutine, for as long as the
	// router runs.
	c.SetDeadline(time.Now().Add(s.loginTimeout()))
	sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		s.logger().Info("SSH handshake failed", "remote", c.RemoteAddr(), "err", err)
		return
	}
	c.SetDeadline(time.Time{})
	defer sc.Close()
	s.logger().Info("SSH login", "user", sc.User(), "remote", sc.RemoteAddr())
	go ssh.DiscardRequests(reqs)

	var wg sync.WaitGroup
	defer func() {
		// The client is gone: what its sessions still run (a :delay, a
		// ping) stops with it rather than when it would have finished.
		cancel()
		wg.Wait()
	}()
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only session channels are supported")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			s.logger().Warn("accept SSH channel failed", "remote", sc.RemoteAddr(), "err", err)
			continue
		}
		wg.Go(func() {
			sess := &session{srv: s, user: sc.User(), ch: ch}
			sess.serve(ctx, chReqs)
		})
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

func (s *Server) loginTimeout() time.Duration {
	if s.LoginTimeout <= 0 {
		return DefaultLoginTimeout
	}
	return s.LoginTimeout
}

func (s *Server) note() (after, before string) {
	if s.Note == nil {
		return "", ""
	}
	return s.Note()
}

// crlf ends a note's lines as a terminal wants them, with a last line
// break; "" stays "".
func crlf(note string) string {
	if note == "" {
		return ""
	}
	note = strings.ReplaceAll(strings.ReplaceAll(note, "\r\n", "\n"), "\n", "\r\n")
	if !strings.HasSuffix(note, "\r\n") {
		note += "\r\n"
	}
	return note
}

func (s *Server) identity() string {
	if s.Identity == nil {
		return DefaultIdentity
	}
	return s.Identity()
}
