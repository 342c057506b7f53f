package probe_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// agent is the labagent binary built for this test run.
var agent string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "probe-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	agent = filepath.Join(dir, "labagent")
	build := exec.Command("go", "build", "-o", agent, "github.com/chrlab/chrlab/cmd/labagent")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build labagent: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// localExecer runs the agent on this machine instead of in a container, recording the commands
// it was given. Every "node" is this machine.
type localExecer struct {
	cmds [][]string
}

func (e *localExecer) Exec(ctx context.Context, node string, cmd []string) ([]byte, int, error) {
	e.cmds = append(e.cmds, cmd)
	if len(cmd) == 0 || cmd[0] != probe.Agent {
		return nil, 0, fmt.Errorf("exec on %s: %q is not a labagent command", node, cmd)
	}
	out, err := exec.CommandContext(ctx, agent, cmd[1:]...).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out, ee.ExitCode(), nil
	}
	return out, 0, err
}

// cannedExecer answers every command with fixed output, to feed the parser what a broken agent
// might print.
type cannedExecer struct {
	out  string
	code int
	err  error
}

func (e cannedExecer) Exec(context.Context, string, []string) ([]byte, int, error) {
	return []byte(e.out), e.code, e.err
}

func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		ln.Close()
		if err == nil {
			pc.Close()
			return port
		}
	}
	t.Fatal("find a free loopback port: none in 20 tries")
	return 0
}

// startNode runs "labagent node" on loopback as the server host and waits for it to be ready.
func startNode(t *testing.T, name string, serve string) (whoami, iperf int) {
	t.Helper()
	whoami, iperf = freePort(t), freePort(t)
	cmd := exec.Command(agent, "node", "--name", name, "--listen", "127.0.0.1", "--port", strconv.Itoa(whoami),
		"--serve", serve, "--iperf-ports", strconv.Itoa(iperf))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		if line != "labagent ready\n" {
			t.Fatalf("labagent node printed %q, want ready", line)
		}
	case <-time.After(20 * time.Second): // a guard against a hang, not a measurement
		t.Fatal("labagent node did not get ready")
	}
	return whoami, iperf
}

func TestConnectProbes(t *testing.T) {
	port, _ := startNode(t, "server", "whoami")
	ex := &localExecer{}
	ctx := t.Context()
	to := fmt.Sprintf("127.0.0.1:%d", port)
	for _, f := range []func(context.Context, probe.Execer, string, string, probe.ConnectOptions) (probe.Result, error){probe.TCP, probe.UDP} {
		r, err := f(ctx, ex, "client1", to, probe.ConnectOptions{Timeout: 2 * time.Second, ExpectName: "server"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Result != probe.OK || r.ServerName != "server" || r.ServerSaw != "127.0.0.1" || r.ServerAt != to {
			t.Errorf("%s probe = %v, want ok from server seeing 127.0.0.1 at %s", r.Probe, r, to)
		}
		r, err = f(ctx, ex, "client1", to, probe.ConnectOptions{ExpectName: "other"})
		if err != nil || r.Result != probe.WrongAnswer {
			t.Errorf("%s probe expecting another name = %v, %v; want wrong-answer", r.Probe, r, err)
		}
	}
	closed := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	if r, err := probe.TCP(ctx, ex, "client1", closed, probe.ConnectOptions{}); err != nil || r.Result != probe.Refused {
		t.Errorf("tcp probe to a closed port = %v, %v; want refused", r, err)
	}
	want := []string{"labagent", "tcp", "--to", to, "--timeout", "2s", "--expect-name", "server"}
	if !slices.Equal(ex.cmds[0], want) {
		t.Errorf("tcp command = %q, want %q", ex.cmds[0], want)
	}
}

func TestLoadProbes(t *testing.T) {
	if _, err := exec.LookPath("iperf3"); err != nil {
		t.Skip("iperf3 is not installed; the node serves it and the probe runs it")
	}
	whoami, iperf := startNode(t, "server", "whoami,iperf3")
	ex := &localExecer{}
	r, err := probe.Iperf(t.Context(), ex, "client1", "127.0.0.1", probe.IperfOptions{Port: iperf, Seconds: 1, Reverse: true})
	if err != nil || r.Result != probe.OK || r.BitsPerSecond <= 0 {
		t.Errorf("iperf probe = %v, %v; want ok with a rate", r, err)
	}
	want := []string{"labagent", "iperf", "--to", "127.0.0.1", "--port", strconv.Itoa(iperf), "--seconds", "1", "--reverse"}
	if !slices.Equal(ex.cmds[0], want) {
		t.Errorf("iperf command = %q, want %q", ex.cmds[0], want)
	}
	// Pinned to CPU 0, the run works; pinned to a CPU the machine lacks,
	// iperf3 refuses, which shows -A reached it.
	if r, err := probe.Iperf(t.Context(), ex, "client1", "127.0.0.1", probe.IperfOptions{Port: iperf, Seconds: 1, Affinity: "0"}); err != nil || r.Result != probe.OK {
		t.Errorf("iperf probe on CPU 0 = %v, %v; want ok", r, err)
	}
	if r, err := probe.Iperf(t.Context(), ex, "client1", "127.0.0.1", probe.IperfOptions{Port: iperf, Seconds: 1, Affinity: "4095"}); err != nil || r.Result == probe.OK || !strings.Contains(r.Error, "affinity") {
		t.Errorf("iperf probe on CPU 4095 = %v, %v; want iperf3's affinity error", r, err)
	}
	r, err = probe.CPS(t.Context(), ex, "client1", fmt.Sprintf("127.0.0.1:%d", whoami),
		probe.CPSOptions{Duration: 200 * time.Millisecond, Concurrency: 2})
	if err != nil || r.Result != probe.OK || r.Connections == 0 || r.Failures != 0 {
		t.Errorf("cps probe = %v, %v; want ok with connections and no failures", r, err)
	}
}

// startDNS answers A queries for one name with 198.51.100.7 and NXDOMAIN for anything else. The
// answer is assembled by hand from the query's bytes.
func startDNS(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	known := "\x03srv\x03lab\x04test\x00"
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := buf[:n]
			resp := append([]byte{}, q...)
			if string(q[12:n-4]) == known {
				binary.BigEndian.PutUint16(resp[2:], 0x8180)
				binary.BigEndian.PutUint16(resp[6:], 1)
				resp = append(resp, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 198, 51, 100, 7)
			} else {
				binary.BigEndian.PutUint16(resp[2:], 0x8183)
			}
			pc.WriteTo(resp, from)
		}
	}()
	return pc.LocalAddr().String()
}

func TestDNSProbe(t *testing.T) {
	server := startDNS(t)
	ex := &localExecer{}
	r, err := probe.DNS(t.Context(), ex, "client1", server, "srv.lab.test", probe.DNSOptions{Timeout: 2 * time.Second})
	if err != nil || r.Result != probe.OK || !slices.Equal(r.Answers, []string{"198.51.100.7"}) || r.TTL != 30 || r.Rcode != "NOERROR" {
		t.Errorf("dns probe for a known name = %v, %v; want ok 198.51.100.7 ttl 30", r, err)
	}
	r, err = probe.DNS(t.Context(), ex, "client1", server, "nothing.lab.test", probe.DNSOptions{})
	if err != nil || r.Result != probe.NXDomain || r.Rcode != "NXDOMAIN" {
		t.Errorf("dns probe for an unknown name = %v, %v; want nxdomain", r, err)
	}
}

func TestConntrackProbe(t *testing.T) {
	r, err := probe.Conntrack(t.Context(), &localExecer{}, "client1")
	if err != nil {
		t.Fatal(err)
	}
	// This machine may lack both the counter and the conntrack tool; either way the agent
	// must say so in a valid result.
	if _, statErr := os.Stat("/proc/sys/net/netfilter/nf_conntrack_count"); statErr == nil && r.Result != probe.OK {
		t.Errorf("conntrack probe = %v, want ok where the counter exists", r)
	}
}

func TestRunErrors(t *testing.T) {
	ctx := t.Context()
	tests := []struct {
		name    string
		ex      probe.Execer
		wantErr []string
	}{
		{"usage error", &localExecer{}, []string{"client1", "labagent exited with code 2", `"--to" "nohost"`}},
		{"exec failure", cannedExecer{err: errors.New("no such container")}, []string{"client1", "no such container"}},
		{"garbage", cannedExecer{out: "Segmentation fault\n"}, []string{"parse output", "client1", "Segmentation fault"}},
		{"two results", cannedExecer{out: `{"probe":"tcp","result":"timeout"}{"probe":"tcp","result":"ok"}`}, []string{"trailing text"}},
		{"unknown field", cannedExecer{out: `{"probe":"tcp","result":"ok","bogus":1}`}, []string{"bogus"}},
		{"other probe", cannedExecer{out: `{"probe":"udp","result":"timeout"}`}, []string{`probe is "udp", want "tcp"`}},
		{"unknown outcome", cannedExecer{out: `{"probe":"tcp","result":"maybe"}`}, []string{`unknown result "maybe"`}},
		{"ok without data", cannedExecer{out: `{"probe":"tcp","result":"ok"}`}, []string{"without server_name"}},
		{"error without text", cannedExecer{out: `{"probe":"tcp","result":"error"}`}, []string{"no error text"}},
	}
	for _, tt := range tests {
		_, err := probe.TCP(ctx, tt.ex, "client1", "nohost", probe.ConnectOptions{})
		for _, w := range tt.wantErr {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want it to contain %s", tt.name, err, w)
			}
		}
	}
}

func TestResultJSON(t *testing.T) {
	ok := probe.Result{Probe: probe.KindCPS, Result: probe.OK, Connections: 10, FailuresBy: map[probe.Outcome]int{}}
	b, err := json.Marshal(ok)
	if err != nil {
		t.Fatal(err)
	}
	// An ok result keeps its zero counts; fields of other probes never appear.
	want := `{"probe":"cps","result":"ok","connections":10,"failures":0,"failures_by":{},"per_second":0,"p50_ms":0,"p90_ms":0,"p99_ms":0,"p999_ms":0,"max_ms":0,"mode":"","rate":0,"cpu_percent":0,"prober_bound":false,"behind":0,"distribution":null}`
	if string(b) != want {
		t.Errorf("marshal ok cps result:\n got %s\nwant %s", b, want)
	}
	failed := probe.Result{Probe: probe.KindTCP, Result: probe.Timeout, TotalMS: 2000, Error: "read a->b: i/o timeout"}
	want = `{"probe":"tcp","result":"timeout","total_ms":2000,"error":"read a->b: i/o timeout"}`
	if got := failed.String(); got != want {
		t.Errorf("failed tcp result:\n got %s\nwant %s", got, want)
	}
	var back probe.Result
	if err := json.Unmarshal([]byte(want), &back); err != nil || back.Result != probe.Timeout || back.TotalMS != 2000 {
		t.Errorf("unmarshal %s = %+v, %v", want, back, err)
	}
}
