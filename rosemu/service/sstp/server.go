package sstp

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// ServerConfig is an SSTP server's behaviour.
type ServerConfig struct {
	// TLS is the server's TLS configuration, its certificate in it.
	TLS *tls.Config
	// Call gives an accepted call's PPP configuration (a server's);
	// false refuses the call with Call Connect Nak.
	Call func(s *Session) (ppp.Config, bool)
	// Ended is called when a call that was accepted has ended.
	Ended func(s *Session)
	// Hello is the Hello timer (0: 60 s).
	Hello time.Duration
	Log   func(format string, args ...any)
}

// Serve answers SSTP on ln until ctx ends, calling up for every call
// whose PPP has come up and whose client has sent a crypto binding that
// matches (Call Connected).
func Serve(ctx context.Context, ln net.Listener, cfg ServerConfig, up func(*Session)) error {
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	defer ln.Close()
	// The certificate the binding must name. A configuration without one
	// (GetCertificate that fails: a server that cannot serve) fails
	// every handshake before a binding is read.
	var der []byte
	if len(cfg.TLS.Certificates) > 0 {
		der = cfg.TLS.Certificates[0].Certificate[0]
	}
	var mu sync.Mutex
	calls := map[*Session]bool{}
	var wg sync.WaitGroup
	go func() { <-ctx.Done(); ln.Close() }()
	defer func() {
		mu.Lock()
		all := make([]*Session, 0, len(calls))
		for s := range calls {
			all = append(all, s)
		}
		mu.Unlock()
		for _, s := range all {
			go s.Close()
		}
		wg.Wait()
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, ok := accept(c, cfg, der)
			if !ok {
				return
			}
			mu.Lock()
			calls[s] = true
			mu.Unlock()
			s.serve(cfg, up)
			mu.Lock()
			delete(calls, s)
			mu.Unlock()
		}()
	}
}

// accept is the TLS handshake and the HTTP request of one connection.
func accept(c net.Conn, cfg ServerConfig, der []byte) (*Session, bool) {
	tc := tls.Server(c, cfg.TLS)
	_ = tc.SetDeadline(time.Now().Add(negotiation))
	if err := tc.Handshake(); err != nil {
		cfg.Log("sstp %s: TLS handshake: %v", c.RemoteAddr(), err)
		c.Close()
		return nil, false
	}
	rd := bufio.NewReader(tc)
	method, uri, err := readRequest(rd)
	if err != nil {
		cfg.Log("sstp %s: HTTP request: %v", c.RemoteAddr(), err)
		tc.Close()
		return nil, false
	}
	if method != Method || !strings.EqualFold(uri, URI) {
		// Not an SSTP client (a browser, a scanner): what RouterOS
		// answers it is [verify]; 404 says there is nothing here.
		cfg.Log("sstp %s: %s %s is not SSTP", c.RemoteAddr(), method, uri)
		_, _ = tc.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
		tc.Close()
		return nil, false
	}
	// The response of [MS-SSTP] 2.2.1: 200 and the largest length, as
	// the stream has no end.
	resp := "HTTP/1.1 200\r\nContent-Length: 18446744073709551615\r\nServer: Microsoft-HTTPAPI/2.0\r\nDate: " +
		time.Now().UTC().Format(time.RFC1123) + "\r\n\r\n"
	if _, err := tc.Write([]byte(resp)); err != nil {
		tc.Close()
		return nil, false
	}
	_ = tc.SetDeadline(time.Time{})
	s := newSession(tc, rd, true)
	s.certDER = der
	// Offer both hash protocols; the client picks ([MS-SSTP] 2.2.7).
	s.hashes = hashSHA1 | hashSHA256
	if cfg.Hello > 0 {
		s.hello = cfg.Hello
	}
	return s, true
}

// readRequest reads an HTTP request line and its headers. It is read by
// hand: net/http refuses the Content-Length SSTP sends (2^64-1, more
// than an int64).
func readRequest(rd *bufio.Reader) (method, uri string, err error) {
	total := 0
	for i := 0; ; i++ {
		line, err := rd.ReadString('\n')
		if err != nil {
			return "", "", err
		}
		if total += len(line); total > 8192 {
			return "", "", errors.New("request headers exceed 8 KiB")
		}
		line = strings.TrimRight(line, "\r\n")
		if i == 0 {
			f := strings.Fields(line)
			if len(f) != 3 || !strings.HasPrefix(f[2], "HTTP/") {
				return "", "", fmt.Errorf("bad request line %q", line)
			}
			method, uri = f[0], f[1]
			continue
		}
		if line == "" {
			return method, uri, nil
		}
	}
}

// serve runs the call until it ends: the control messages through the
// server's state machine, the negotiation timers, up once PPP is up and
// the binding checked.
func (s *Session) serve(cfg ServerConfig, up func(*Session)) {
	go s.read(s.serverControl(cfg.Call, cfg.Log))
	// The negotiation timers: Call Connect Request, then Call Connected
	// within 60 s each ([MS-SSTP] 3.2.2).
	t := time.NewTimer(negotiation)
	select {
	case <-s.accepted:
		t.Reset(negotiation)
		select {
		case <-s.bound:
		case <-s.done:
		case <-t.C:
			s.abort(fmt.Errorf("no Call Connected: %w", ErrTimeout), attrNoError, statusNegotiationTimeout)
		}
	case <-s.done:
	case <-t.C:
		s.abort(fmt.Errorf("no Call Connect Request: %w", ErrTimeout), attrNoError, statusNegotiationTimeout)
	}
	t.Stop()
	c := s.pc.Load()
	if c == nil {
		<-s.done
		return
	}
	select {
	case <-s.bound:
		select {
		case <-c.Up():
			if s.Err() == nil {
				up(s)
			}
		case <-c.Done():
		}
	case <-s.done:
	}
	<-c.Done()
	<-s.done
	if cfg.Ended != nil {
		cfg.Ended(s)
	}
}
