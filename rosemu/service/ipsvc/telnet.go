package ipsvc

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// Telnet protocol bytes (RFC 854).
const (
	iac  = 255
	sb   = 250
	se   = 240
	will = 251
	dont = 254
)

// readLine reads one line of a telnet or FTP client, dropping telnet
// negotiation (IAC sequences) and the line end.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		c, err := r.ReadByte()
		if err != nil {
			return b.String(), err
		}
		switch {
		case c == iac:
			cmd, err := r.ReadByte()
			if err != nil {
				return b.String(), err
			}
			switch {
			case cmd == sb:
				for { // subnegotiation runs to IAC SE
					x, err := r.ReadByte()
					if err != nil {
						return b.String(), err
					}
					if x == iac {
						if y, _ := r.ReadByte(); y == se {
							break
						}
					}
				}
			case cmd >= will && cmd <= dont:
				r.ReadByte()
			case cmd == iac:
				b.WriteByte(iac)
			}
		case c == '\n':
			return strings.TrimRight(b.String(), "\r\x00"), nil
		case c == 0:
		default:
			b.WriteByte(c)
		}
	}
}

// telnet greets as RouterOS does, checks the login against /user (policy
// telnet) and then runs a line-mode console: each line is one console
// command, its output is printed, then the prompt. There is no line
// editing, history or colour.
func (h *handlers) telnet(ctx context.Context, c net.Conn) {
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	r := bufio.NewReader(c)
	write := func(s string) { c.Write([]byte(strings.ReplaceAll(s, "\n", "\r\n"))) }
	write(fmt.Sprintf("MikroTik %s (stable)\n", h.e.Version()))
	var user string
	for try := 0; ; try++ {
		if try == 3 {
			return
		}
		write("Login: ")
		c.SetReadDeadline(time.Now().Add(60 * time.Second))
		u, err := readLine(r)
		if err != nil {
			return
		}
		write("Password: ")
		p, err := readLine(r)
		if err != nil {
			return
		}
		// "admin+ct" style suffixes turn off colours and the terminal
		// probe; they are not part of the name.
		u, _, _ = strings.Cut(u, "+")
		if h.login(u, p, c.RemoteAddr(), "telnet") {
			user = u
			break
		}
		write("\nLogin failed, incorrect username or password\n\n")
	}
	c.SetReadDeadline(time.Time{})
	for {
		write(fmt.Sprintf("\n[%s@%s] > ", user, h.e.Identity()))
		line, err := readLine(r)
		if err != nil {
			return
		}
		line = strings.TrimSpace(line)
		if line == "quit" || line == "/quit" {
			write("interrupted\n")
			return
		}
		if line == "" {
			continue
		}
		out, err := h.e.Run(ctx, line)
		write(out)
		if err != nil {
			write(err.Error() + "\n")
		}
	}
}

// ftp greets as RouterOS's FTP server does and checks USER and PASS against
// /user (policy ftp). It serves no files: every transfer command is
// answered "502".
func (h *handlers) ftp(ctx context.Context, c net.Conn) {
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	r := bufio.NewReader(c)
	reply := func(format string, a ...any) { fmt.Fprintf(c, format+"\r\n", a...) }
	reply("220 %s FTP server (MikroTik %s) ready", h.e.Identity(), h.e.Version())
	var user string
	logged := false
	for {
		c.SetReadDeadline(time.Now().Add(5 * time.Minute))
		line, err := readLine(r)
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(cmd) {
		case "USER":
			user, logged = arg, false
			reply("331 Password required for %s", arg)
		case "PASS":
			if user != "" && h.login(user, arg, c.RemoteAddr(), "ftp") {
				logged = true
				reply("230 User %s logged in", user)
			} else {
				reply("530 Login incorrect")
			}
		case "QUIT":
			reply("221 Closing")
			return
		case "SYST":
			reply("215 UNIX Type: L8")
		case "NOOP":
			reply("200 NOOP command successful")
		case "PWD":
			if !logged {
				reply("530 Please login with USER and PASS")
				continue
			}
			reply(`257 "/" is current directory`)
		default:
			if !logged {
				reply("530 Please login with USER and PASS")
				continue
			}
			reply("502 Command not implemented by the emulated router")
		}
	}
}
