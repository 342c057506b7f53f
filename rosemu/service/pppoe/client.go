package pppoe

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// ClientConfig is a PPPoE client's settings, named as RouterOS names them
// in /interface pppoe-client.
type ClientConfig struct {
	User, Password string
	// Allow is the authentication protocols the client accepts (allow=);
	// nil accepts all. A server asking for another is Naked toward the
	// strongest allowed.
	Allow       []Auth
	ServiceName string // empty: any service
	ACName      string // empty: any access concentrator
	MRU         int    // max-mru; 0 is 1480, RouterOS's default
	Keepalive   time.Duration
	Log         func(format string, args ...any)
}

// ErrNoServer is Dial's error when no access concentrator answers the PADI.
var ErrNoServer = errors.New("no PPPoE server answered")

// Dial discovers an access concentrator on l, opens a session and
// negotiates LCP, authentication and IPCP. It returns once the session is up (IPv4
// flows) or has failed. The session owns l and closes it when it ends.
func Dial(ctx context.Context, l Link, cfg ClientConfig) (*Conn, error) {
	frames := make(chan Frame, 64)
	go func() {
		defer close(frames)
		for {
			f, err := l.Recv()
			if err != nil {
				return
			}
			frames <- f
		}
	}()
	c, err := dial(ctx, l, frames, cfg)
	if err != nil {
		l.Close()
		return nil, err
	}
	return c, nil
}

func dial(ctx context.Context, l Link, frames <-chan Frame, cfg ClientConfig) (*Conn, error) {
	var uniq [8]byte
	_, _ = rand.Read(uniq[:])
	me := l.HardwareAddr()
	send := func(dst net.HardwareAddr, et uint16, h header) error {
		return l.Send(Frame{Dst: dst, Src: me, Type: et, Payload: h.bytes()})
	}
	padi := header{Code: codePADI, Payload: encodeTags([]tag{{tagServiceName, []byte(cfg.ServiceName)}, {tagHostUniq, uniq[:]}})}

	// Discovery: PADI until a PADO, then PADR until a PADS.
	var ac net.HardwareAddr
	var req header
	var sid uint16
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	if err := send(broadcast, EtherDiscovery, padi); err != nil {
		return nil, fmt.Errorf("send PADI on %s: %w", me, err)
	}
	tries := 1
	for sid == 0 {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
			if tries++; tries > 10 {
				if ac == nil {
					return nil, ErrNoServer
				}
				return nil, fmt.Errorf("PPPoE server %s sent no PADS: %w", ac, ErrNegotiate)
			}
			if ac == nil {
				_ = send(broadcast, EtherDiscovery, padi)
			} else {
				_ = send(ac, EtherDiscovery, req)
			}
		case f, ok := <-frames:
			if !ok {
				return nil, ErrLinkClosed
			}
			if f.Type != EtherDiscovery {
				continue
			}
			h, err := parseHeader(f.Payload)
			if err != nil {
				continue
			}
			tags, err := parseTags(h.Payload)
			if err != nil {
				continue
			}
			if u, _ := find(tags, tagHostUniq); !bytes.Equal(u, uniq[:]) {
				continue // another client's exchange
			}
			switch {
			case h.Code == codePADO && ac == nil:
				name, _ := find(tags, tagACName)
				if cfg.ACName != "" && string(name) != cfg.ACName {
					continue
				}
				if _, bad := find(tags, tagServiceError); bad {
					continue
				}
				ac = append(net.HardwareAddr(nil), f.Src...)
				rt := []tag{{tagServiceName, []byte(cfg.ServiceName)}, {tagHostUniq, uniq[:]}}
				if ck, ok := find(tags, tagACCookie); ok {
					rt = append(rt, tag{tagACCookie, ck})
				}
				req = header{Code: codePADR, Payload: encodeTags(rt)}
				tries = 1
				_ = send(ac, EtherDiscovery, req)
			case h.Code == codePADS && ac != nil && bytes.Equal(f.Src, ac):
				if e, bad := find(tags, tagServiceError); bad {
					return nil, fmt.Errorf("PPPoE server %s refused the service: %s", ac, e)
				}
				if e, bad := find(tags, tagGenericError); bad {
					return nil, fmt.Errorf("PPPoE server %s refused the session: %s", ac, e)
				}
				if h.Session == 0 {
					continue
				}
				sid = h.Session
			}
		}
	}

	mru := cfg.MRU
	if mru == 0 {
		mru = 1480
	}
	sendPPP := func(proto uint16, b []byte) error {
		p := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(b)), proto)
		return send(ac, EtherSession, header{Code: codeSession, Session: sid, Payload: append(p, b...)})
	}
	padt := func() { _ = send(ac, EtherDiscovery, header{Code: codePADT, Session: sid}) }
	c := ppp.New(ppp.Config{MRU: mru, Keepalive: cfg.Keepalive, Auth: cfg.Allow, User: cfg.User, Password: cfg.Password, Lower: "PADT", Log: cfg.Log}, sid, sendPPP, padt)
	runCtx, cancel := context.WithCancel(context.Background())
	go c.Run(runCtx)
	go func() {
		defer cancel()
		defer l.Close()
		for {
			select {
			case <-c.Done():
				return
			case f, ok := <-frames:
				if !ok {
					go c.Close()
					return
				}
				if !bytes.Equal(f.Src, ac) {
					continue
				}
				h, err := parseHeader(f.Payload)
				if err != nil || h.Session != sid {
					continue
				}
				switch {
				case f.Type == EtherSession && h.Code == codeSession:
					c.Deliver(h.Payload)
				case f.Type == EtherDiscovery && h.Code == codePADT:
					c.PeerEnded()
				}
			}
		}
	}()
	select {
	case <-c.Up():
		return c, nil
	case <-c.Done():
		return nil, c.Err()
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
}
