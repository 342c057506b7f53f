// Package vpnports binds the ports of the router's enabled VPN servers
// (L2TP, IKE, PPTP, SSTP, OpenVPN), which rosemu stores without running:
// RouterOS listens there, so a client's connection is accepted and a
// datagram draws no ICMP port unreachable. Here a TCP connection is
// accepted and held until the client closes it, and a UDP datagram is read
// and dropped, as a server does with what is not its protocol. No VPN
// protocol is spoken: the configuration engine reports the servers as not
// enforced (config.vpnListeners). See docs/rosemu-menus.md.
package vpnports

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// Engine is what the manager needs of the router; *config.Router
// implements it.
type Engine interface {
	VPNListeners() []config.StoredListener
}

// Manager keeps a socket bound on each enabled VPN server's port. Its Wake
// belongs in config.Options.OnCommit.
type Manager struct {
	// Host is the address the sockets bind ("" for every address of the
	// namespace; tests use 127.0.0.1).
	Host string
	Log  *slog.Logger
	bell doorbell.Bell
}

// Wake tells the manager the configuration changed; it never blocks.
func (m *Manager) Wake() { m.bell.Ring() }

type key struct {
	proto string
	port  int
}

// Run keeps the sockets in step with the configuration until ctx ends.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	log := m.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	open := map[key]io.Closer{}
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	m.Wake()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.bell.C():
		}
		want := map[key]string{}
		for _, l := range e.VPNListeners() {
			want[key{l.Proto, l.Port}] = l.Path
		}
		for k, c := range open {
			if _, ok := want[k]; !ok {
				c.Close()
				delete(open, k)
			}
		}
		for k, path := range want {
			if _, ok := open[k]; ok {
				continue
			}
			c, err := m.bind(ctx, k)
			if err != nil {
				// A port another service holds (www-ssl on 443 and an
				// SSTP server): logged, tried again at the next change.
				log.Warn("vpn port: bind", "server", path, "proto", k.proto, "port", k.port, "err", err)
				continue
			}
			log.Info("vpn port: listening (no VPN server runs)", "server", path, "proto", k.proto, "port", k.port)
			open[k] = c
		}
	}
}

func (m *Manager) bind(ctx context.Context, k key) (io.Closer, error) {
	addr := net.JoinHostPort(m.Host, strconv.Itoa(k.port))
	if k.proto == "udp" {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, err
		}
		go func() {
			buf := make([]byte, 65536)
			for {
				if _, _, err := pc.ReadFrom(buf); errors.Is(err, net.ErrClosed) {
					return
				} else if err != nil {
					// Any other error would come back at once: no spinning on it.
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
		return pc, nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				// Out of descriptors and the like: wait, as net/http's
				// server does, rather than spin on Accept.
				time.Sleep(50 * time.Millisecond)
				continue
			}
			// Held until the client closes it or rosemu stops; what it
			// sends is read and dropped.
			go func() {
				stop := context.AfterFunc(ctx, func() { c.Close() })
				defer stop()
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	return l, nil
}
