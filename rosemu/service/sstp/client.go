package sstp

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// ClientConfig is an SSTP client's behaviour: the TLS it dials with and
// the PPP it logs in with.
type ClientConfig struct {
	// TLS is the client's TLS configuration: ServerName, and either
	// RootCAs to verify the server's certificate or InsecureSkipVerify
	// (RouterOS's verify-server-certificate=no, the default).
	TLS *tls.Config
	// Host is the HTTP request's Host header (the name or address
	// dialled).
	Host  string
	PPP   ppp.Config
	Hello time.Duration // 0: 60 s
	Log   func(format string, args ...any)
}

// Dial connects to server, asks for a call, logs in with PPP and returns
// the session once PPP is up and Call Connected has gone out. Closing the
// session ends the call.
func Dial(ctx context.Context, server netip.AddrPort, cfg ClientConfig) (*Session, error) {
	logf := cfg.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", server.String())
	if err != nil {
		return nil, fmt.Errorf("sstp: %w", err)
	}
	tc := tls.Client(raw, cfg.TLS)
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, fmt.Errorf("sstp: TLS: %w", err)
	}
	st := tc.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		tc.Close()
		return nil, errors.New("sstp: the server sent no certificate")
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = tc.SetDeadline(dl)
	}
	host := cfg.Host
	if host == "" {
		host = server.Addr().String()
	}
	var guid [16]byte
	_, _ = rand.Read(guid[:])
	req := fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: 18446744073709551615\r\nSSTPCORRELATIONID: {%X-%X-%X-%X-%X}\r\n\r\n",
		Method, URI, host, guid[0:4], guid[4:6], guid[6:8], guid[8:10], guid[10:])
	if _, err := tc.Write([]byte(req)); err != nil {
		tc.Close()
		return nil, fmt.Errorf("sstp: send the HTTP request: %w", err)
	}
	rd := bufio.NewReader(tc)
	if err := readResponse(rd); err != nil {
		tc.Close()
		return nil, err
	}
	_ = tc.SetDeadline(time.Time{})
	s := newSession(tc, rd, false)
	s.certDER = st.PeerCertificates[0].Raw
	if cfg.Hello > 0 {
		s.hello = cfg.Hello
	}
	go s.read(func(c Control) {
		select {
		case s.ctrl <- c:
		default:
		}
	})
	if err := s.send(connectRequest()); err != nil {
		s.finish(err)
		return nil, err
	}
	fail := func(err error) (*Session, error) {
		s.Close()
		return nil, err
	}
	var hashes uint8
	var nonce [32]byte
	t := time.NewTimer(negotiation)
	defer t.Stop()
wait:
	for {
		select {
		case c := <-s.ctrl:
			switch c.Type {
			case msgCallConnectNak:
				return fail(ErrRefused)
			case msgCallConnectAck:
				if hashes, nonce, err = parseBindingRequest(c); err != nil {
					s.abort(err, attrCryptoBindingRequest, statusNoPropertyFound)
					return nil, err
				}
				break wait
			}
		case <-s.done:
			return nil, s.err
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-t.C:
			s.abort(ErrTimeout, attrNoError, statusNegotiationTimeout)
			return nil, fmt.Errorf("no Call Connect Ack: %w", ErrTimeout)
		}
	}
	// SHA-256 when the server takes it, as Windows picks it.
	b := binding{Hash: hashSHA256, Nonce: nonce}
	if hashes&hashSHA256 == 0 {
		b.Hash = hashSHA1
	}
	b.CertHash = certHash(b.Hash, s.certDER)
	pc := cfg.PPP
	pc.Server = false
	s.startPPP(pc, logf)
	c := s.pc.Load()
	select {
	case <-c.Up():
	case <-c.Done():
		<-s.done
		return nil, c.Err()
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	// The binding goes once PPP has authenticated; rosemu's PPP says so
	// at IPCP's end.
	hlak := hlakOf(c)
	if bindingHook != nil {
		bindingHook(&b, hlak)
	}
	if err := s.write(signedConnected(b, hlak)); err != nil {
		return fail(err)
	}
	s.boundNow()
	return s, nil
}

// bindingHook alters the client's binding and HLAK before it is signed
// (tests play a client that binds another certificate, nonce or key).
var bindingHook func(b *binding, hlak []byte)

// hlakOf is the higher-layer authentication key of the crypto binding
// ([MS-SSTP] 3.2.5.2.1): after MS-CHAPv2 the MPPE master keys (RFC 3079),
// the client's send key then its receive key, which is the server's
// receive key then its send key, so both ends key the MAC alike; 32 zero
// bytes after PAP and CHAP, which make no keys (and after MS-CHAPv1,
// whose keys rosemu does not derive [verify] what Windows uses).
func hlakOf(c *ppp.Conn) []byte {
	send, recv := c.MPPEKeys()
	if send == nil {
		return make([]byte, 32)
	}
	if c.IsServer() {
		send, recv = recv, send
	}
	return append(append([]byte(nil), send...), recv...)
}

// readResponse reads the server's HTTP response to SSTP_DUPLEX_POST: 200
// lets the call begin.
func readResponse(rd *bufio.Reader) error {
	for i := 0; ; i++ {
		line, err := rd.ReadString('\n')
		if err != nil {
			return fmt.Errorf("sstp: read the HTTP response: %w", err)
		}
		if i > 64 {
			return errors.New("sstp: HTTP response headers too long")
		}
		line = strings.TrimRight(line, "\r\n")
		if i == 0 {
			f := strings.Fields(line)
			if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
				return fmt.Errorf("sstp: bad HTTP status line %q", line)
			}
			if f[1] != "200" {
				return fmt.Errorf("sstp: HTTP %s: %w", strings.Join(f[1:], " "), ErrRefused)
			}
			continue
		}
		if line == "" {
			return nil
		}
	}
}
