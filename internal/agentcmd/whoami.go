package agentcmd

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"
	"strings"
	"time"
)

// whoamiPort is where every lab host answers whoami, over TCP and UDP.
const whoamiPort = 12566

// whoamiLine is the answer of a whoami server: who it is, the source it saw and the address it was
// reached at, so a probe learns what NAT did on the way in both directions.
func whoamiLine(name string, remote, local netip.AddrPort) string {
	return fmt.Sprintf("whoami %s saw %s at %s\n", name, remote, local)
}

// whoamiAnswer is a parsed whoami line.
type whoamiAnswer struct {
	name  string
	saw   netip.AddrPort
	local netip.AddrPort
}

// parseWhoami parses one whoami line, with or without its newline.
func parseWhoami(line string) (whoamiAnswer, error) {
	f := strings.Fields(line)
	if len(f) != 6 || f[0] != "whoami" || f[2] != "saw" || f[4] != "at" {
		return whoamiAnswer{}, fmt.Errorf("parse whoami line %q: want \"whoami NAME saw IP:PORT at IP:PORT\"", line)
	}
	saw, err := netip.ParseAddrPort(f[3])
	if err != nil {
		return whoamiAnswer{}, fmt.Errorf("parse whoami line %q: %w", line, err)
	}
	local, err := netip.ParseAddrPort(f[5])
	if err != nil {
		return whoamiAnswer{}, fmt.Errorf("parse whoami line %q: %w", line, err)
	}
	return whoamiAnswer{name: f[1], saw: unmap(saw), local: unmap(local)}, nil
}

// unmap turns an IPv4-mapped IPv6 address (what a dual-stack socket reports for IPv4 peers) into
// the plain IPv4 address a person expects to read.
func unmap(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// serveWhoamiTCP answers every connection on ln with one whoami line and closes it, until ln is
// closed.
func serveWhoamiTCP(name string, ln net.Listener, logf func(string, ...any)) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			// Accept fails transiently when file descriptors run out under a cps load; a short
			// pause lets connections close instead of spinning.
			logf("whoami: accept on %s: %v", ln.Addr(), err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		go func() {
			defer c.Close()
			remote := unmap(c.RemoteAddr().(*net.TCPAddr).AddrPort())
			local := unmap(c.LocalAddr().(*net.TCPAddr).AddrPort())
			// The deadline keeps a peer that never reads from pinning the goroutine.
			_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := c.Write([]byte(whoamiLine(name, remote, local))); err != nil {
				logf("whoami: answer %s: %v", remote, err)
			}
		}()
	}
}

// serveWhoamiUDP answers every datagram on c with one whoami line, sent from the address the
// datagram was sent to, until c is closed. c must have had enablePktinfo applied.
func serveWhoamiUDP(name string, c *net.UDPConn, logf func(string, ...any)) error {
	buf := make([]byte, 2048)
	oob := make([]byte, 512)
	port := c.LocalAddr().(*net.UDPAddr).AddrPort().Port()
	for {
		_, oobn, _, remote, err := c.ReadMsgUDPAddrPort(buf, oob)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			// ICMP errors from earlier replies surface here on Linux; they concern one peer only.
			logf("whoami: read udp on %s: %v", c.LocalAddr(), err)
			continue
		}
		dst, ifindex, ok := parsePktinfo(oob[:oobn])
		var src []byte
		if ok {
			src = pktinfo(dst, ifindex)
		} else {
			logf("whoami: no destination address for datagram from %s; answer from the default source", remote)
			dst = c.LocalAddr().(*net.UDPAddr).AddrPort().Addr()
		}
		line := whoamiLine(name, unmap(remote), netip.AddrPortFrom(dst.Unmap(), port))
		if _, _, err := c.WriteMsgUDPAddrPort([]byte(line), src, remote); err != nil {
			// A source address the kernel refuses (a broadcast destination) is retried from the
			// default source rather than left unanswered.
			if _, _, err2 := c.WriteMsgUDPAddrPort([]byte(line), nil, remote); err2 != nil {
				logf("whoami: answer %s: %v (with source %s: %v)", remote, err2, dst, err)
			}
		}
	}
}

// whoamiServer is the pair of listeners of one whoami service.
type whoamiServer struct {
	tcp net.Listener
	udp []*net.UDPConn
}

// listenWhoami opens the whoami listeners on host:port. An empty host means every address: one
// dual-stack TCP listener and one UDP socket per family, since destination-address reporting works
// per family; the IPv6 one is optional because a container may have IPv6 disabled.
func listenWhoami(host string, port int) (*whoamiServer, error) {
	s := &whoamiServer{}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, fmt.Sprint(port)))
	if err != nil {
		return nil, fmt.Errorf("listen whoami on tcp %s:%d: %w", host, port, err)
	}
	s.tcp = ln
	type want struct {
		network, addr string
		optional      bool
	}
	var wants []want
	if host == "" {
		wants = []want{{"udp4", fmt.Sprintf("0.0.0.0:%d", port), false}, {"udp6", fmt.Sprintf("[::]:%d", port), true}}
	} else {
		wants = []want{{"udp", net.JoinHostPort(host, fmt.Sprint(port)), false}}
	}
	for _, w := range wants {
		pc, err := net.ListenPacket(w.network, w.addr)
		if err != nil {
			if w.optional {
				log.Printf("whoami: no IPv6 on udp %s: %v", w.addr, err)
				continue
			}
			s.close()
			return nil, fmt.Errorf("listen whoami on %s %s: %w", w.network, w.addr, err)
		}
		uc := pc.(*net.UDPConn)
		s.udp = append(s.udp, uc)
		if err := enablePktinfo(uc); err != nil {
			s.close()
			return nil, fmt.Errorf("enable destination addresses on whoami %s %s: %w", w.network, w.addr, err)
		}
	}
	return s, nil
}

// serve runs the listeners until they are closed.
func (s *whoamiServer) serve(name string, logf func(string, ...any)) {
	go serveWhoamiTCP(name, s.tcp, logf)
	for _, u := range s.udp {
		go serveWhoamiUDP(name, u, logf)
	}
}

func (s *whoamiServer) close() {
	if s.tcp != nil {
		s.tcp.Close()
	}
	for _, u := range s.udp {
		u.Close()
	}
}

// readLine reads one line of at most 512 bytes from r.
func readLine(r *bufio.Reader) (string, error) {
	var sb strings.Builder
	for sb.Len() < 512 {
		b, err := r.ReadByte()
		if err != nil {
			return sb.String(), err
		}
		sb.WriteByte(b)
		if b == '\n' {
			return sb.String(), nil
		}
	}
	return sb.String(), nil
}
