package agentcmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

var (
	buildOnce sync.Once
	agentPath string
	buildErr  error
)

// agentBinary builds labagent once per test run, static as in the images.
func agentBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "labagent-test")
		if err != nil {
			buildErr = err
			return
		}
		agentPath = filepath.Join(dir, "labagent")
		cmd := exec.Command("go", "build", "-o", agentPath, "github.com/chrlab/chrlab/cmd/labagent")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build labagent: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return agentPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if agentPath != "" {
		os.RemoveAll(filepath.Dir(agentPath))
	}
	os.Exit(code)
}

// startNode runs "labagent node args..." and waits for "labagent ready"; the bound only guards
// against a hang.
func startNode(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(agentBinary(t), append([]string{"node"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
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
			t.Fatalf("labagent node printed %q instead of ready; stderr:\n%s", line, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("labagent node not ready; stderr:\n%s", stderr.String())
	}
	return cmd
}

// runAgent runs one probe through the binary and decodes its result.
func runAgent(t *testing.T, args ...string) probe.Result {
	t.Helper()
	out, err := exec.Command(agentBinary(t), args...).Output()
	if err != nil {
		t.Fatalf("labagent %s: %v, output %q", strings.Join(args, " "), err, out)
	}
	var r probe.Result
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("labagent %s printed %q: %v", strings.Join(args, " "), out, err)
	}
	return r
}

// childrenOf lists the pids whose parent is pid.
func childrenOf(pid int) []int {
	var kids []int
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		// "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
		i := bytes.LastIndexByte(b, ')')
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			p, _ := strconv.Atoi(strings.Fields(string(b))[0])
			kids = append(kids, p)
		}
	}
	return kids
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}

func TestNodeServesAndStops(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("iperf3"); err != nil {
		t.Skip("iperf3 is not installed; the node starts it as a child")
	}
	port, iperfPort, httpPort := freePort(t), freePort(t), freePort(t)
	node := startNode(t, "--name", "srv1", "--listen", "127.0.0.1", "--port", strconv.Itoa(port),
		"--serve", "whoami,iperf3", "--iperf-ports", strconv.Itoa(iperfPort), "--http-port", strconv.Itoa(httpPort))
	if r := runAgent(t, "http", "--to", fmt.Sprintf("127.0.0.1:%d", httpPort)); r.Result != probe.OK || r.ServerName != "srv1" || r.Status != 200 {
		t.Errorf("labagent http to the node = %v, want ok 200 from srv1", r)
	}

	to := fmt.Sprintf("127.0.0.1:%d", port)
	for _, kind := range []string{"tcp", "udp"} {
		r := runAgent(t, kind, "--to", to, "--expect-name", "srv1")
		if r.Result != probe.OK || r.ServerSaw != "127.0.0.1" || r.ServerName != "srv1" {
			t.Errorf("labagent %s to the node = %v, want ok from srv1 seeing 127.0.0.1", kind, r)
		}
	}
	r := runAgent(t, "iperf", "--to", "127.0.0.1", "--port", strconv.Itoa(iperfPort), "--seconds", "1")
	if r.Result != probe.OK || r.BitsPerSecond <= 0 {
		t.Errorf("labagent iperf to the node's iperf3 = %v, want ok", r)
	}

	// The node restarts iperf3 when it dies, and kills it when the node is stopped.
	kids := childrenOf(node.Process.Pid)
	if len(kids) != 1 {
		t.Fatalf("node has children %v, want exactly its iperf3", kids)
	}
	syscall.Kill(kids[0], syscall.SIGKILL)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if now := childrenOf(node.Process.Pid); len(now) == 1 && now[0] != kids[0] && alive(now[0]) {
			if missing, _ := notListening([]int{iperfPort}); len(missing) == 0 {
				kids = now
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node did not restart iperf3 after it was killed; children %v", childrenOf(node.Process.Pid))
		}
		time.Sleep(50 * time.Millisecond)
	}
	r = runAgent(t, "iperf", "--to", "127.0.0.1", "--port", strconv.Itoa(iperfPort), "--seconds", "1")
	if r.Result != probe.OK {
		t.Errorf("labagent iperf to the restarted iperf3 = %v, want ok", r)
	}

	if err := node.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := node.Wait(); err != nil {
		t.Errorf("node after SIGTERM: %v, want exit code 0", err)
	}
	for deadline := time.Now().Add(20 * time.Second); alive(kids[0]); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("iperf3 child %d outlived the node", kids[0])
		}
	}
}

// TestNodeGateway replaces the default route in a network namespace of its own (unshare -n), on a
// veth pair whose both ends stay in that namespace, so no packet can leave it.
func TestNodeGateway(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("creating a network namespace needs root")
	}
	for _, tool := range []string{"unshare", "nsenter", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	script := `set -e
ip link set lo up
ip link add d0 type veth peer name d1
ip addr add 10.254.0.2/24 dev d0
ip link set d1 up
ip link set d0 up
ip route add default via 10.254.0.1
exec "$0" node --name gw --gateway 10.254.0.9 --address6 10.254.0.2=3fff:254::2/64 --gateway6 3fff:254::9 --serve ""`
	cmd := exec.Command("unshare", "-n", "sh", "-c", script, agentBinary(t))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "labagent ready\n" {
		t.Skipf("node in a new namespace printed %q (namespaces unavailable here?); stderr:\n%s", line, stderr.String())
	}
	out, err := exec.Command("nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-n", "ip", "-4", "route", "show", "default").Output()
	if err != nil {
		t.Fatalf("read routes of the node's namespace: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != "default via 10.254.0.9 dev d0" {
		t.Fatalf("default routes in the node's namespace:\n%s\nwant only: default via 10.254.0.9 dev d0", got)
	}
	// The IPv6 address sits on the interface that held the wire address,
	// usable at once, and the IPv6 default route goes through the gateway.
	out, _ = exec.Command("nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-n", "ip", "-6", "addr", "show", "dev", "d0", "scope", "global").Output()
	if !strings.Contains(string(out), "inet6 3fff:254::2/64 scope global nodad") {
		t.Errorf("IPv6 addresses of d0:\n%s\nwant 3fff:254::2/64 nodad", out)
	}
	out, _ = exec.Command("nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-n", "ip", "-6", "route", "show", "default").Output()
	if !strings.HasPrefix(strings.TrimSpace(string(out)), "default via 3fff:254::9 dev d0") {
		t.Errorf("IPv6 default route:\n%s\nwant default via 3fff:254::9 dev d0", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"nosuch"},
		{"tcp"},
		{"tcp", "--to", "127.0.0.1"},
		{"udp", "--to", "127.0.0.1:1", "--timeout", "-1s"},
		{"dns", "--server", "127.0.0.1", "--name", "x.lab", "--type", "MX"},
		{"cps", "--to", "127.0.0.1:1", "--concurrency", "0"},
		{"iperf"},
		{"node"},
		{"node", "--name", "a b"},
		{"node", "--name", "a", "--serve", "http"},
		{"node", "--name", "a", "--gateway6", "10.0.0.1"},
		{"node", "--name", "a", "--address6", "10.0.0.2=10.0.0.3/24"},
		{"node", "--name", "a", "--slaac", "10.0.0.2=3fff:88::20"},
		{"node", "--name", "a", "--slaac", "10.0.0.2"},
		{"conntrack", "extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), args, &stdout, &stderr); code != 2 || stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("labagent %q: exit %d, stdout %q, stderr %q; want exit 2 with an explanation on stderr only",
				args, code, stdout.String(), stderr.String())
		}
	}
}

// A forward to port 80 makes the HTTP port a whoami port too (chrlab check serves every
// forwarded port with whoami): the node starts, its whoami line answers the tcp probe, and the
// http probe takes the line, spoken before any request, as that node's answer. A port with
// nothing behind it is still refused.
func TestNodeWhoamiOnTheHTTPPort(t *testing.T) {
	port := freePort(t)
	startNode(t, "--name", "nas", "--listen", "127.0.0.1", "--port", strconv.Itoa(port), "--serve", "whoami", "--http-port", strconv.Itoa(port))
	to := fmt.Sprintf("127.0.0.1:%d", port)
	if r := runAgent(t, "tcp", "--to", to, "--expect-name", "nas"); r.Result != probe.OK || r.ServerName != "nas" {
		t.Errorf("tcp to the shared port = %v, want ok from nas", r)
	}
	if r := runAgent(t, "http", "--to", to); r.Result != probe.OK || r.ServerName != "nas" || r.ServerSaw != "127.0.0.1" {
		t.Errorf("http to the shared port = %v, want ok from nas seeing 127.0.0.1", r)
	}
	if r := runAgent(t, "http", "--to", fmt.Sprintf("127.0.0.1:%d", freePort(t))); r.Result == probe.OK {
		t.Errorf("http to a closed port = %v, want a failure", r)
	}
}
