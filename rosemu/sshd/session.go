package sshd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/chrlab/chrlab/rosemu/guard"
)

// session is one SSH session channel: at most one exec or shell.
type session struct {
	srv  *Server
	user string
	ch   ssh.Channel
	// pty is set by a pty-req before exec or shell starts; with a terminal
	// the server echoes input and ends lines with "\r\n".
	pty bool
}

// serve answers the channel's requests until its exec or shell ends or the
// client closes the channel.
func (ss *session) serve(ctx context.Context, reqs <-chan *ssh.Request) {
	defer ss.ch.Close()
	// A client that closes its session channel has left the command too: it
	// stops, as it does when the whole connection ends.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var done chan struct{}
	start := func(req *ssh.Request, run func() uint32) {
		req.Reply(true, nil)
		done = make(chan struct{})
		go func() {
			defer close(done)
			status := run()
			ss.ch.CloseWrite()
			ss.ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{status}))
		}()
	}
	for {
		select {
		case <-done: // nil, and so never ready, until exec or shell starts
			// Requests may still arrive until the client sees the close;
			// they must be drained or the connection stalls.
			go ssh.DiscardRequests(reqs)
			return
		case req, ok := <-reqs:
			if !ok {
				cancel()
				if done != nil {
					<-done
				}
				return
			}
			switch {
			case req.Type == "pty-req" && done == nil:
				ss.pty = true
				req.Reply(true, nil)
			case req.Type == "env", req.Type == "window-change":
				// Terminal size and environment do not change what the
				// console prints.
				req.Reply(true, nil)
			case req.Type == "exec" && done == nil:
				var p struct{ Command string }
				if err := ssh.Unmarshal(req.Payload, &p); err != nil {
					req.Reply(false, nil)
					continue
				}
				start(req, func() uint32 { return ss.exec(ctx, p.Command) })
			case req.Type == "shell" && done == nil:
				start(req, func() uint32 { return ss.shell(ctx) })
			case req.Type == "subsystem" && done == nil && ss.srv.Files != nil && subsystem(req.Payload) == "sftp":
				start(req, func() uint32 { return ss.sftp() })
			default:
				// other subsystems, x11, agent forwarding, and a second
				// exec, shell or subsystem on the same channel.
				req.Reply(false, nil)
			}
		}
	}
}

// exec runs the whole command text as one Console.Run and returns the exit
// status: 0, or 1 when Run failed. The output form is documented on the package.
func (ss *session) exec(ctx context.Context, src string) uint32 {
	out, err := ss.run(ctx, src)
	ss.write(result(out, err))
	if err != nil {
		ss.srv.logger().Info("SSH exec failed", "user", ss.user, "err", err)
		return 1
	}
	return 0
}

// result is what the console shows for a Run: its output, then on failure
// the error text on a line of its own.
func result(out string, err error) string {
	if err == nil {
		return out
	}
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out + err.Error() + "\n"
}

// write sends console text to the client, with terminal line ends when the
// client asked for a terminal.
func (ss *session) write(s string) {
	if ss.pty {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	}
	io.WriteString(ss.ch, s)
}

// shell runs the interactive console: a prompt, one command (with its "\"
// continuation lines) per Console.Run, until "/quit", "quit" or end of input.
// Continuation lines get no prompt of their own.
func (ss *session) shell(ctx context.Context) uint32 {
	lr := &lineReader{r: bufio.NewReader(ss.ch)}
	if ss.pty {
		lr.echo = ss.ch
	}
	if after, _ := ss.srv.note(); after != "" {
		ss.write(strings.TrimRight(after, "\n") + "\n")
	}
	for {
		ss.write(fmt.Sprintf("[%s@%s] > ", ss.user, ss.srv.identity()))
		src, err := ss.readCommand(lr)
		if errors.Is(err, errInterrupted) {
			continue
		}
		if err != nil {
			return 0
		}
		switch strings.TrimSpace(src) {
		case "":
			continue
		case "/quit", "quit":
			return 0
		}
		out, err := ss.run(ctx, src)
		ss.write(result(out, err))
		if ctx.Err() != nil {
			return 0
		}
	}
}

// readCommand reads one line and, while a line ends in "\", the lines that
// continue it. The text keeps the "\" and newlines, so that the console's
// line and column numbers refer to what the user typed.
func (ss *session) readCommand(lr *lineReader) (string, error) {
	line, err := lr.readLine()
	if err != nil {
		return "", err
	}
	src := line
	for strings.HasSuffix(line, `\`) {
		if line, err = lr.readLine(); err != nil {
			return "", err
		}
		src += "\n" + line
	}
	return src, nil
}

// errInterrupted reports a line abandoned with Ctrl-C.
var errInterrupted = errors.New("line interrupted")

// lineReader reads lines typed on an SSH channel. With a terminal (echo set)
// it echoes what it keeps and handles backspace, Ctrl-C and Ctrl-D; input
// without a terminal is read as plain lines. Escape sequences (arrow keys)
// are dropped: there is no history or cursor movement.
type lineReader struct {
	r      *bufio.Reader
	echo   io.Writer
	skipLF bool // the last line ended with '\r'; a '\n' right after it belongs to it
}

func (lr *lineReader) readLine() (string, error) {
	var buf []byte
	for {
		b, err := lr.r.ReadByte()
		if err != nil {
			if len(buf) > 0 && errors.Is(err, io.EOF) {
				return string(buf), nil
			}
			return "", err
		}
		skipLF := lr.skipLF
		lr.skipLF = false
		switch {
		case b == '\n' && skipLF:
			continue
		case b == '\r' || b == '\n':
			lr.skipLF = b == '\r'
			lr.out("\r\n")
			return string(buf), nil
		case b == 0x7f || b == 0x08:
			if len(buf) > 0 {
				_, size := utf8.DecodeLastRune(buf)
				buf = buf[:len(buf)-size]
				lr.out("\b \b")
			}
		case b == 0x03:
			lr.out("^C\r\n")
			return "", errInterrupted
		case b == 0x04:
			if len(buf) == 0 {
				return "", io.EOF
			}
		case b == 0x1b:
			lr.skipEscape()
		case b < 0x20 && b != '\t':
			// Other control characters have no meaning on this console.
		default:
			buf = append(buf, b)
			lr.out(string([]byte{b}))
		}
	}
}

// skipEscape drops the rest of an ANSI escape sequence: ESC '[' or 'O',
// parameters, and a final byte in 0x40-0x7E.
func (lr *lineReader) skipEscape() {
	b, err := lr.r.ReadByte()
	if err != nil || b != '[' && b != 'O' {
		return
	}
	for {
		b, err := lr.r.ReadByte()
		if err != nil || b >= 0x40 && b <= 0x7e {
			return
		}
	}
}

func (lr *lineReader) out(s string) {
	if lr.echo != nil {
		io.WriteString(lr.echo, s)
	}
}

// run is one SSH command: a panic in it becomes the command's error (and
// a stack in the log), and the router stays up.
func (ss *session) run(ctx context.Context, src string) (out string, err error) {
	err = guard.Do(ss.srv.logger(), "SSH command", func() (err error) {
		out, err = ss.srv.Console.Run(ctx, src)
		return err
	})
	return out, err
}

// subsystem returns the name a subsystem request asks for.
func subsystem(payload []byte) string {
	var p struct{ Name string }
	if err := ssh.Unmarshal(payload, &p); err != nil {
		return ""
	}
	return p.Name
}

// sftp serves the file store over the channel until the client ends the
// session; a panic ends this session only.
func (ss *session) sftp() uint32 {
	err := guard.Do(ss.srv.logger(), "SFTP session", func() error {
		srv := sftp.NewRequestServer(ss.ch, ss.srv.Files.SFTP())
		defer srv.Close()
		return srv.Serve()
	})
	if err != nil && !errors.Is(err, io.EOF) {
		ss.srv.logger().Info("SFTP session failed", "user", ss.user, "err", err)
		return 1
	}
	return 0
}
