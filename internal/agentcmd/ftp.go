package agentcmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// A passive-mode FTP server and client, enough to show what a router's
// FTP helper does (labagent node --serve ftp; labagent ftp). The server's
// PASV answer names the address the client reached it at, as a server
// behind NAT names its private address; the router's helper must rewrite
// it to the public one and let the data connection through. The listing
// is a whoami line of the data connection, so the probe learns who
// served it and the source the server saw.

const ftpPort = 21

// serveFTP answers FTP control connections on ln until it is closed.
func serveFTP(name string, ln net.Listener, logf func(string, ...any)) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go ftpSession(name, c, logf)
	}
}

// ftpSession runs one control connection: USER, PASS, PASV, LIST (and
// NLST), QUIT; anything else is not implemented.
func ftpSession(name string, c net.Conn, logf func(string, ...any)) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { fmt.Fprintf(c, "%s\r\n", s) }
	say("220 chrlab ftp " + name)
	var data net.Listener
	defer func() {
		if data != nil {
			data.Close()
		}
	}()
	for {
		_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch strings.ToUpper(cmd) {
		case "USER":
			say("331 any password")
		case "PASS":
			say("230 logged in")
		case "PASV":
			if data != nil {
				data.Close()
			}
			local := c.LocalAddr().(*net.TCPAddr)
			if data, err = net.Listen("tcp4", net.JoinHostPort(local.IP.String(), "0")); err != nil {
				say("425 cannot open a data port")
				continue
			}
			ip, port := local.IP.To4(), data.Addr().(*net.TCPAddr).Port
			say(fmt.Sprintf("227 Entering Passive Mode (%d,%d,%d,%d,%d,%d).", ip[0], ip[1], ip[2], ip[3], port>>8, port&0xff))
		case "LIST", "NLST":
			if data == nil {
				say("425 use PASV first")
				continue
			}
			say("150 listing")
			_ = data.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
			dc, err := data.Accept()
			data.Close()
			data = nil
			if err != nil {
				logf("ftp: no data connection: %v", err)
				say("425 no data connection")
				continue
			}
			remote, _ := netip.ParseAddrPort(dc.RemoteAddr().String())
			at, _ := netip.ParseAddrPort(dc.LocalAddr().String())
			io.WriteString(dc, whoamiLine(name, unmap(remote), unmap(at)))
			dc.Close()
			say("226 done")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// cmdFTP is labagent ftp: log in to --to, ask for passive mode, fetch the
// listing over the data connection the PASV answer names.
func cmdFTP(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("ftp", flag.ContinueOnError)
	var to string
	var timeout time.Duration
	fs.StringVar(&to, "to", "", "the FTP server's `host:port`")
	fs.DurationVar(&timeout, "timeout", 3*time.Second, "how long each connection and answer may take")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", to, err)
	}
	if timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	return probeFTP(ctx, to, timeout), nil
}

func probeFTP(ctx context.Context, to string, timeout time.Duration) probe.Result {
	res := probe.Result{Probe: probe.KindFTP}
	start := time.Now()
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, "tcp4", to)
	if err != nil {
		res.TotalMS = ms(time.Since(start))
		return failed(res, fmt.Errorf("connect to %s: %w", to, err))
	}
	defer c.Close()
	res.ConnectMS = ms(time.Since(start))
	r := bufio.NewReader(c)
	// expect reads one reply and checks its code.
	expect := func(code string) (string, error) {
		_ = c.SetReadDeadline(time.Now().Add(timeout))
		line, err := r.ReadString('\n')
		if err != nil {
			return "", fmt.Errorf("read the reply to wait for %s: %w", code, err)
		}
		if !strings.HasPrefix(line, code+" ") {
			return line, fmt.Errorf("got %q, want a %s reply", strings.TrimSpace(line), code)
		}
		return line, nil
	}
	wrong := func(err error) probe.Result {
		res.TotalMS = ms(time.Since(start))
		res.Result = probe.WrongAnswer
		res.Error = err.Error()
		return res
	}
	if _, err := expect("220"); err != nil {
		return wrong(err)
	}
	for _, step := range []struct{ send, code string }{{"USER anonymous", "331"}, {"PASS chrlab", "230"}} {
		fmt.Fprintf(c, "%s\r\n", step.send)
		if _, err := expect(step.code); err != nil {
			return wrong(err)
		}
	}
	fmt.Fprint(c, "PASV\r\n")
	line, err := expect("227")
	if err != nil {
		return wrong(err)
	}
	var a, b, cc, dd, p1, p2 int
	i := strings.Index(line, "(")
	if i < 0 {
		return wrong(fmt.Errorf("PASV answer %q names no address", strings.TrimSpace(line)))
	}
	if _, err := fmt.Sscanf(line[i:], "(%d,%d,%d,%d,%d,%d)", &a, &b, &cc, &dd, &p1, &p2); err != nil {
		return wrong(fmt.Errorf("PASV answer %q: %v", strings.TrimSpace(line), err))
	}
	res.Passive = fmt.Sprintf("%d.%d.%d.%d:%d", a, b, cc, dd, p1<<8|p2)
	dc, err := d.DialContext(ctx, "tcp4", res.Passive)
	if err != nil {
		res.TotalMS = ms(time.Since(start))
		return failed(res, fmt.Errorf("data connection to %s, the address the PASV answer named: %w", res.Passive, err))
	}
	defer dc.Close()
	fmt.Fprint(c, "LIST\r\n")
	if _, err := expect("150"); err != nil {
		return wrong(err)
	}
	_ = dc.SetReadDeadline(time.Now().Add(timeout))
	listing, err := readLine(bufio.NewReader(dc))
	res.TotalMS = ms(time.Since(start))
	if err != nil && !(errors.Is(err, io.EOF) && listing != "") {
		return failed(res, fmt.Errorf("read the listing from %s: %w", res.Passive, err))
	}
	res.Local = c.LocalAddr().String()
	return answered(res, listing, "")
}
