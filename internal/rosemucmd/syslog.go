package rosemucmd

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
)

// syslogSender sends the datagrams of /system logging's remote actions.
// Send never blocks the router: what does not fit in the queue is dropped
// (a router under load loses log datagrams too).
type syslogSender struct {
	log     *slog.Logger
	queue   chan syslogDatagram
	resolve func(ctx context.Context, name string) (netip.Addr, error)
}

type syslogDatagram struct {
	host    string
	port    int
	src     netip.Addr
	payload []byte
}

func newSyslogSender(log *slog.Logger) *syslogSender {
	return &syslogSender{log: log, queue: make(chan syslogDatagram, 1024)}
}

// Send queues one datagram (config.Options.Syslog).
func (s *syslogSender) Send(host string, port int, src netip.Addr, payload []byte) {
	select {
	case s.queue <- syslogDatagram{host, port, src, payload}:
	default:
	}
}

// run sends the queued datagrams until ctx ends. A remote given by name is
// resolved by the router's resolver, as RouterOS does.
func (s *syslogSender) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-s.queue:
			dst, err := netip.ParseAddr(d.host)
			if err != nil && s.resolve != nil {
				dst, err = s.resolve(ctx, d.host)
			}
			if err != nil {
				s.log.Warn("syslog: remote not resolved", "remote", d.host, "err", err)
				continue
			}
			var laddr *net.UDPAddr
			if d.src.IsValid() {
				laddr = net.UDPAddrFromAddrPort(netip.AddrPortFrom(d.src, 0))
			}
			c, err := net.DialUDP("udp", laddr, net.UDPAddrFromAddrPort(netip.AddrPortFrom(dst, uint16(d.port))))
			if err != nil {
				s.log.Warn("syslog: send", "remote", dst, "err", err)
				continue
			}
			_, _ = c.Write(d.payload)
			c.Close()
		}
	}
}
