package rosemucmd

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"testing"
	"time"
)

// TestSyslogSender: a queued datagram reaches the remote, given by address
// or by a name the router's resolver answers; a name it cannot resolve
// sends nothing (the control).
func TestSyslogSender(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := pc.LocalAddr().(*net.UDPAddr).Port
	s := newSyslogSender(slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.resolve = func(_ context.Context, name string) (netip.Addr, error) {
		if name == "logs.lan" {
			return netip.MustParseAddr("127.0.0.1"), nil
		}
		return netip.Addr{}, net.UnknownNetworkError(name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.run(ctx)
	s.Send("nowhere.lan", port, netip.Addr{}, []byte("<30>lost"))
	s.Send("127.0.0.1", port, netip.MustParseAddr("127.0.0.1"), []byte("<30>by address"))
	s.Send("logs.lan", port, netip.Addr{}, []byte("<30>by name"))
	var got []string
	buf := make([]byte, 512)
	for len(got) < 3 {
		pc.SetReadDeadline(time.Now().Add(time.Second))
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			break
		}
		got = append(got, string(buf[:n]))
	}
	if len(got) != 2 || got[0] != "<30>by address" || got[1] != "<30>by name" {
		t.Errorf("received %q, want the datagrams by address and by name only", got)
	}
}
