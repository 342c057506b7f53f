package agentcmd

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// freePort returns a port that is free on 127.0.0.1 for both TCP and UDP at the time of the call.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("listen on loopback: %v", err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		ln.Close()
		if err == nil {
			pc.Close()
			return port
		}
	}
	t.Fatal("find a port free for both tcp and udp on loopback: none in 20 tries")
	return 0
}

// startWhoami serves whoami as name on host (empty for every address) and a free port.
func startWhoami(t *testing.T, name, host string) int {
	t.Helper()
	port := freePort(t)
	s, err := listenWhoami(host, port)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	s.serve(name, t.Logf)
	return port
}

func TestParseWhoami(t *testing.T) {
	tests := []struct {
		line    string
		want    whoamiAnswer
		wantErr string
	}{
		{line: "whoami srv saw 192.168.88.1:40000 at 192.168.88.10:12566\n",
			want: whoamiAnswer{name: "srv", saw: netip.MustParseAddrPort("192.168.88.1:40000"), local: netip.MustParseAddrPort("192.168.88.10:12566")}},
		{line: "whoami srv saw [::ffff:10.0.0.1]:5 at [2001:db8::1]:12566",
			want: whoamiAnswer{name: "srv", saw: netip.MustParseAddrPort("10.0.0.1:5"), local: netip.MustParseAddrPort("[2001:db8::1]:12566")}},
		{line: "HTTP/1.1 400 Bad Request\r\n", wantErr: "want \"whoami NAME"},
		{line: "whoami srv saw nowhere at 1.2.3.4:5\n", wantErr: "nowhere"},
		{line: "", wantErr: "parse whoami line"},
	}
	for _, tt := range tests {
		got, err := parseWhoami(tt.line)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseWhoami(%q) error = %v, want it to contain %q", tt.line, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseWhoami(%q) = %+v, %v; want %+v", tt.line, got, err, tt.want)
		}
	}
}

func TestConnectOK(t *testing.T) {
	port := startWhoami(t, "server1", "127.0.0.1")
	to := fmt.Sprintf("127.0.0.1:%d", port)
	for _, kind := range []probe.Kind{probe.KindTCP, probe.KindUDP} {
		t.Run(string(kind), func(t *testing.T) {
			o := connectOptions{to: to, timeout: 2 * time.Second, expectName: "server1"}
			res := probeTCP(t.Context(), o)
			if kind == probe.KindUDP {
				res = probeUDP(t.Context(), o)
			}
			if res.Result != probe.OK || res.ServerName != "server1" || res.ServerSaw != "127.0.0.1" {
				t.Fatalf("%s probe to %s = %v, want ok from server1 seeing 127.0.0.1", kind, to, res)
			}
			if res.Local != fmt.Sprintf("127.0.0.1:%d", res.ServerSawPort) {
				t.Errorf("%s probe: local %s, but the server saw port %d", kind, res.Local, res.ServerSawPort)
			}
			if res.ServerAt != to {
				t.Errorf("%s probe: server_at %s, want %s", kind, res.ServerAt, to)
			}
			if err := res.Validate(kind); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestConnectAnswersFromDestination proves that a wildcard UDP server answers from the address
// it was asked at: the probe's connected socket would drop a reply from any other source.
func TestConnectAnswersFromDestination(t *testing.T) {
	port := startWhoami(t, "wild", "")
	for _, dst := range []string{"127.0.0.1", "127.0.0.2"} {
		to := fmt.Sprintf("%s:%d", dst, port)
		for _, res := range []probe.Result{
			probeTCP(t.Context(), connectOptions{to: to, timeout: 2 * time.Second}),
			probeUDP(t.Context(), connectOptions{to: to, timeout: 2 * time.Second}),
		} {
			if res.Result != probe.OK || res.ServerAt != to || res.ServerName != "wild" {
				t.Errorf("%s probe to %s = %v, want ok with server_at %s", res.Probe, to, res, to)
			}
		}
	}
}

func TestConnectWrongName(t *testing.T) {
	port := startWhoami(t, "server1", "127.0.0.1")
	o := connectOptions{to: fmt.Sprintf("127.0.0.1:%d", port), timeout: 2 * time.Second, expectName: "server2"}
	for _, res := range []probe.Result{probeTCP(t.Context(), o), probeUDP(t.Context(), o)} {
		if res.Result != probe.WrongAnswer || res.ServerName != "server1" || !strings.Contains(res.Error, "server2") {
			t.Errorf("%s probe expecting server2 = %v, want wrong-answer naming both", res.Probe, res)
		}
	}
}

func TestConnectRefused(t *testing.T) {
	// A port that was just free: nothing listens, so the kernel answers RST and ICMP port
	// unreachable on loopback.
	o := connectOptions{to: fmt.Sprintf("127.0.0.1:%d", freePort(t)), timeout: 2 * time.Second}
	for _, res := range []probe.Result{probeTCP(t.Context(), o), probeUDP(t.Context(), o)} {
		if res.Result != probe.Refused {
			t.Errorf("%s probe to a closed port = %v, want refused", res.Probe, res)
		}
	}
}

func TestUDPTimeout(t *testing.T) {
	// A bound socket that never answers is a silent drop: no ICMP error comes back.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	res := probeUDP(t.Context(), connectOptions{to: pc.LocalAddr().String(), timeout: 300 * time.Millisecond})
	if res.Result != probe.Timeout {
		t.Fatalf("udp probe to a silent socket = %v, want timeout", res)
	}
	// Every attempt reached the socket: the probe retries silence.
	got := 0
	_ = pc.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 64)
	for {
		if _, _, err := pc.ReadFrom(buf); err != nil {
			break
		}
		got++
	}
	if got != udpAttempts {
		t.Errorf("silent socket received %d datagrams, want %d", got, udpAttempts)
	}
}

func TestTCPWrongAnswer(t *testing.T) {
	tests := []struct {
		name, answer, wantErr string
	}{
		{"garbage", "SSH-2.0-OpenSSH_9.2\r\n", "parse whoami line"},
		{"silent close", "", "without an answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					c.Write([]byte(tt.answer))
					c.Close()
				}
			}()
			res := probeTCP(t.Context(), connectOptions{to: ln.Addr().String(), timeout: 2 * time.Second})
			if res.Result != probe.WrongAnswer || !strings.Contains(res.Error, tt.wantErr) {
				t.Fatalf("tcp probe to a server answering %q = %v, want wrong-answer with %q", tt.answer, res, tt.wantErr)
			}
		})
	}
}

func TestTCPTimeoutWithoutAnswer(t *testing.T) {
	// A server that accepts but never writes: the read deadline, not the connect, times out.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	res := probeTCP(t.Context(), connectOptions{to: ln.Addr().String(), timeout: 200 * time.Millisecond})
	if res.Result != probe.Timeout || res.Local == "" {
		t.Fatalf("tcp probe to a mute server = %v, want timeout after connecting", res)
	}
}
