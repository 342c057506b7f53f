package ppp

import (
	"context"
	"net/netip"
	"testing"
	"time"
)

// pair runs a server and a client whose frames go straight to each
// other; tap sees (and may copy) every frame the server sends.
func pair(t *testing.T, auth Auth, tap func(frame []byte, deliver func([]byte))) (cli, srv *Conn) {
	t.Helper()
	var c, s *Conn
	frame := func(proto uint16, b []byte) []byte { return append([]byte{byte(proto >> 8), byte(proto)}, b...) }
	s = New(Config{Server: true, Auth: []Auth{auth}, Name: "srv", Local: netip.MustParseAddr("10.0.0.1"),
		Peer:  netip.MustParseAddr("10.0.0.2"),
		Check: func(_ *Conn, user string, proves Verifier) bool { return user == "alice" && proves("s3cret") }},
		1, func(proto uint16, b []byte) error {
			f := frame(proto, b)
			if tap != nil {
				tap(f, c.Deliver)
			}
			c.Deliver(f)
			return nil
		}, func() { c.PeerEnded() })
	c = New(Config{User: "alice", Password: "s3cret"}, 1,
		func(proto uint16, b []byte) error { s.Deliver(frame(proto, b)); return nil }, func() { s.PeerEnded() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go s.Run(ctx)
	go c.Run(ctx)
	return c, s
}

// A server's challenge that reaches the client twice (retransmitted while
// the response was on its way) must not make the client distrust the
// server's MS-CHAPv2 Success: the client answers the same challenge the
// same way.
func TestRetransmittedChallenge(t *testing.T) {
	for _, a := range []Auth{MSCHAPv2, MSCHAPv1, CHAP} {
		c, _ := pair(t, a, func(f []byte, deliver func([]byte)) {
			if len(f) > 2 && f[0] == 0xc2 && f[1] == 0x23 && f[2] == chapChallenge {
				deliver(append([]byte(nil), f...))
			}
		})
		select {
		case <-c.Up():
		case <-c.Done():
			t.Fatalf("%s: client ended: %v", a, c.Err())
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no session", a)
		}
		c.Close()
	}
}

// TestMPPEKeys: after an MS-CHAPv2 login both ends hold the same MPPE
// keys, each as its own send and receive key (the client's send key is
// the server's receive key); PAP and CHAP logins have none.
func TestMPPEKeys(t *testing.T) {
	for _, a := range []Auth{MSCHAPv2, CHAP, PAP} {
		c, s := pair(t, a, nil)
		select {
		case <-c.Up():
		case <-c.Done():
			t.Fatalf("%s: client ended: %v", a, c.Err())
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no session", a)
		}
		cs, cr := c.MPPEKeys()
		ss, sr := s.MPPEKeys()
		if a != MSCHAPv2 {
			if cs != nil || ss != nil {
				t.Errorf("%s: MPPE keys %X %X", a, cs, ss)
			}
			c.Close()
			continue
		}
		if len(cs) != 16 || len(cr) != 16 || string(cs) != string(sr) || string(cr) != string(ss) || string(cs) == string(cr) {
			t.Errorf("client send %X recv %X, server send %X recv %X", cs, cr, ss, sr)
		}
		c.Close()
	}
}
