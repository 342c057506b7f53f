package rosemucmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/rosemu/config"
)

// serialConsole is the router's serial console as a fresh CHR presents it
// (the vm guest's ttyS0): "<identity> Login: ", "Password: ", on the first
// login the licence question (x86), then the password-change nag that
// Ctrl-C skips, then the prompt and the CLI behind it. Only admin with the
// empty password is let in, as on a fresh CHR. Lines end at "\r" (a serial
// terminal sends that) or "\n".
type serialConsole struct {
	r       *config.Router
	version string
	in      *bufio.Reader
	out     io.Writer
	shown   bool // the licence question was answered once
}

func (c *serialConsole) printf(format string, args ...any) {
	fmt.Fprintf(c.out, format, args...)
}

// identity is the pre-login name: the configured identity, which on a
// fresh CHR is MikroTik (CHR from 7.23 on, by the published transcripts).
func (c *serialConsole) identity(ctx context.Context) string {
	return identityOf(ctx, c.r)
}

// serve runs login sessions until the input ends.
func (c *serialConsole) serve(ctx context.Context) {
	c.printf("\r\n\r\nMikroTik %s (stable)\r\n", c.version)
	for ctx.Err() == nil {
		if err := c.session(ctx); err != nil {
			return
		}
	}
}

// readLine reads up to "\r" or "\n"; ctrlC reports a Ctrl-C (0x03), which
// ends the line at once. echo repeats what was typed, as a terminal shows
// it (the password is not echoed).
func (c *serialConsole) readLine(echo bool) (line string, ctrlC bool, err error) {
	var b strings.Builder
	for {
		ch, err := c.in.ReadByte()
		if err != nil {
			return b.String(), false, err
		}
		switch ch {
		case '\r', '\n':
			if ch == '\n' && b.Len() == 0 {
				// The "\n" of a "\r\n" pair after an empty line: skip.
				continue
			}
			c.printf("\r\n")
			return b.String(), false, nil
		case 0x03:
			return b.String(), true, nil
		case 0x7f, 0x08:
			s := b.String()
			if len(s) > 0 {
				b.Reset()
				b.WriteString(s[:len(s)-1])
				if echo {
					c.printf("\b \b")
				}
			}
		default:
			b.WriteByte(ch)
			if echo {
				c.out.Write([]byte{ch})
			}
		}
	}
}

func (c *serialConsole) session(ctx context.Context) error {
	for {
		c.printf("%s Login: ", c.identity(ctx))
		user, _, err := c.readLine(true)
		if err != nil {
			return err
		}
		// admin+ct: the login options (colours, terminal probe) follow
		// a "+"; this console has neither colours nor a probe.
		user, _, _ = strings.Cut(strings.TrimSpace(user), "+")
		c.printf("Password: ")
		pw, _, err := c.readLine(false)
		if err != nil {
			return err
		}
		if user == "admin" && pw == "" {
			break
		}
		c.printf("\r\nLogin failed, incorrect username or password\r\n\r\n")
	}
	c.printf("\r\n\r\n  MikroTik RouterOS %s (c) 1999-2026       https://www.mikrotik.com/\r\n\r\n", c.version)
	if !c.shown {
		for {
			c.printf("Do you want to see the software license? [Y/n]: ")
			a, _, err := c.readLine(true)
			if err != nil {
				return err
			}
			a = strings.ToLower(strings.TrimSpace(a))
			if a == "n" || a == "no" {
				break
			}
			if a == "" || a == "y" || a == "yes" {
				c.printf("\r\nrosemu carries no copy of MikroTik's licence: https://mikrotik.com/downloadterms.html\r\n\r\n")
				break
			}
		}
		c.shown = true
	}
	c.printf("\r\nPress F1 for help\r\n\r\n")
	// The admin account of a fresh CHR has an empty, expired password:
	// every interactive login asks for a new one until it is set.
	for {
		c.printf("Change your password (Ctrl-C to skip)\r\nnew password> ")
		pw, skip, err := c.readLine(false)
		if err != nil {
			return err
		}
		if skip {
			c.printf("\r\n")
			break
		}
		c.printf("repeat new password> ")
		again, skip, err := c.readLine(false)
		if err != nil {
			return err
		}
		if skip {
			c.printf("\r\n")
			break
		}
		if pw != again {
			c.printf("Try again, error: New passwords do not match!\r\n")
			continue
		}
		// rosemu keeps admin's empty password: the harness logs in with
		// it. Say so rather than pretend.
		c.printf("rosemu does not change passwords from the console; the password stays empty\r\n")
		break
	}
	for {
		c.printf("[admin@%s] > ", c.identity(ctx))
		line, ctrlC, err := c.readLine(true)
		if err != nil {
			return err
		}
		if ctrlC {
			c.printf("\r\n")
			continue
		}
		line = strings.TrimSpace(line)
		switch line {
		case "":
			continue
		case "/quit", "quit":
			c.printf("interrupted\r\n\r\n")
			return nil
		}
		out, err := c.r.Run(ctx, line)
		if out != "" {
			c.printf("%s", strings.ReplaceAll(out, "\n", "\r\n"))
		}
		if err != nil {
			c.printf("%s\r\n", err)
		}
	}
}

// rawConsole puts the terminal on fd (the guest's ttyS0) in raw input
// mode: the console reads each byte as it comes, Ctrl-C arrives as the
// byte 0x03 rather than a SIGINT that would end rosemu, and the terminal
// echoes nothing itself (the console echoes what it should). Output
// processing stays, so log lines end with "\r\n". Not a terminal (tests,
// a pipe) is fine.
func rawConsole(fd int) {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return
	}
	t.Iflag &^= unix.ICRNL | unix.INLCR | unix.IGNCR | unix.IXON | unix.ISTRIP | unix.BRKINT
	t.Lflag &^= unix.ICANON | unix.ECHO | unix.ECHONL | unix.ISIG | unix.IEXTEN
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	_ = unix.IoctlSetTermios(fd, unix.TCSETS, t)
}
