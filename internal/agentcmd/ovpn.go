package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/rosemu/service/ovpn"
	"github.com/chrlab/chrlab/rosemu/tundev"
)

// The ovpn probe makes the node an OpenVPN road warrior with Debian's
// openvpn (2.6): it dials the router with a user and password, pins the
// router's certificate by the SHA-256 fingerprint the runner read from the
// router (--fingerprint; without one it trusts nothing, so the TLS
// handshake fails), and routes the node through the tunnel with
// redirect-gateway def1 (two /1 routes into ovpn0, the server kept on the
// node's gateway), as the l2tp and sstp probes do. openvpn runs in a
// session of its own that outlives the probe once the tunnel is up; the
// next l2tp, sstp or ovpn probe of the node ends it, and so does a probe
// that is cancelled or fails.

// Where the session's files live (variables: a test moves them).
var (
	ovpnDir     = "/run/labagent/ovpn"
	ovpnPidFile = "/run/labagent/ovpn-session.pid"
	ovpnLog     = "/run/labagent/ovpn-session.log"
)

const ovpnTUN = "ovpn0"

// ovpnClientConfig is the road warrior's openvpn configuration. It offers
// the ciphers a RouterOS server may be set to (7's GCM, 6's CBC) and
// SHA1, RouterOS's default auth.
func ovpnClientConfig(to netip.AddrPort, proto, fingerprint string) string {
	if proto == "udp" {
		proto = "udp"
	} else {
		proto = "tcp-client"
	}
	var b strings.Builder
	line := func(f string, a ...any) { fmt.Fprintf(&b, f+"\n", a...) }
	line("client")
	line("dev %s", ovpnTUN)
	line("dev-type tun")
	line("proto %s", proto)
	line("remote %s %d", to.Addr(), to.Port())
	line("nobind")
	if fingerprint != "" {
		line("peer-fingerprint %s", fingerprint)
	} else {
		// No certificate to trust: a fingerprint nothing has.
		line("peer-fingerprint %s", strings.TrimSuffix(strings.Repeat("00:", 32), ":"))
	}
	line("auth-user-pass %s", filepath.Join(ovpnDir, "login"))
	line("auth-nocache")
	line("auth-retry none")
	line("data-ciphers AES-256-GCM:AES-128-GCM:AES-256-CBC:AES-192-CBC:AES-128-CBC")
	line("data-ciphers-fallback AES-128-CBC")
	line("auth SHA1")
	line("redirect-gateway def1")
	line("connect-retry-max 1")
	line("verb 3")
	return b.String()
}

// cmdOVPN ends the node's earlier session, starts openvpn and reads its
// log until the session is up (ok, with the pushed address), the server
// refused it (refused: a closed port, a failed TLS handshake, a refused
// login) or the timeout passed (timeout: nothing answered).
func cmdOVPN(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("ovpn", flag.ContinueOnError)
	var o l2tpOptions
	to := o.flags(fs)
	proto := fs.String("protocol", "tcp", "the transport: tcp or udp")
	fp := fs.String("fingerprint", "", "the SHA-256 `fingerprint` of the router's certificate (AB:CD:...)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if err := o.parse(fs, *to, stderr); err != nil {
		return probe.Result{}, err
	}
	if *proto != "tcp" && *proto != "udp" {
		return probe.Result{}, usageErrorf(stderr, fs, "--protocol %q: want tcp or udp", *proto)
	}
	// A run that ends (cancelled, or past its deadline) ends labagent with
	// SIGTERM: the dial then stops and takes openvpn with it, where
	// labagent used to die at once and leave openvpn dialling.
	ctx, stopSignals := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stopSignals()
	res := probe.Result{Probe: probe.KindOVPN}
	start := time.Now()
	defer func() { res.TotalMS = float64(time.Since(start).Microseconds()) / 1000 }()
	for _, w := range roadWarriors {
		w.stop()
	}
	stopOVPN()
	word, rest := startOVPN(ctx, o, *proto, *fp)
	dialled(&res, word+" "+rest)
	return res, nil
}

// startOVPN runs openvpn as a daemon and sorts how its dial ended from
// its log.
func startOVPN(ctx context.Context, o l2tpOptions, proto, fingerprint string) (word, detail string) {
	// openvpn opens /dev/net/tun, which a container may lack.
	if err := tundev.EnsureNode(); err != nil {
		return "error", err.Error()
	}
	if err := os.MkdirAll(ovpnDir, 0o700); err != nil {
		return "error", err.Error()
	}
	conf := filepath.Join(ovpnDir, "client.conf")
	if err := os.WriteFile(conf, []byte(ovpnClientConfig(o.to, proto, fingerprint)), 0o600); err != nil {
		return "error", err.Error()
	}
	if err := os.WriteFile(filepath.Join(ovpnDir, "login"), []byte(o.user+"\n"+o.password+"\n"), 0o600); err != nil {
		return "error", err.Error()
	}
	_ = os.Remove(ovpnLog)
	if ctx.Err() != nil {
		return "error", ctx.Err().Error()
	}
	// Not --daemon: its fork writes the pid file a moment after the
	// parent returns, and a cancel in that moment found no pid to end.
	// openvpn runs in a session of its own, so it outlives labagent once
	// the session is up, and its pid is on file before anything can
	// cancel the dial.
	cmd := exec.Command("openvpn", "--config", conf, "--log", ovpnLog)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return "error", fmt.Sprintf("start openvpn: %v", err)
	}
	// Reaped while labagent runs; init reaps it after.
	go func() { _ = cmd.Wait() }()
	if err := os.WriteFile(ovpnPidFile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o600); err != nil {
		_ = cmd.Process.Kill()
		return "error", err.Error()
	}
	deadline := time.Now().Add(o.timeout)
	for {
		b, _ := os.ReadFile(ovpnLog)
		word, detail, done := ovpnOutcome(string(b))
		if done {
			if word != "up" {
				stopOVPN()
			}
			return word, detail
		}
		if time.Now().After(deadline) {
			stopOVPN()
			return "timeout", "no answer within " + o.timeout.String()
		}
		select {
		case <-ctx.Done():
			stopOVPN()
			return "error", ctx.Err().Error()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ovpnOutcome reads openvpn's log so far: up with the pushed address once
// the client completed its initialisation, refused on a reset connection,
// a certificate it does not trust or a refused login; done is false while
// the dial goes on.
func ovpnOutcome(log string) (word, detail string, done bool) {
	for _, l := range strings.Split(log, "\n") {
		switch {
		case strings.Contains(l, "AUTH_FAILED"):
			return "refused", "the server refused the login (AUTH_FAILED)", true
		case strings.Contains(l, "Connection refused"):
			return "refused", "connection refused", true
		case strings.Contains(l, "VERIFY ERROR"), strings.Contains(l, "TLS Error"):
			return "refused", "TLS: " + strings.TrimSpace(l), true
		}
	}
	if !strings.Contains(log, "Initialization Sequence Completed") {
		return "", "", false
	}
	for _, l := range strings.Split(log, "\n") {
		if i := strings.Index(l, "PUSH_REPLY,"); i >= 0 {
			if s, err := ovpn.PushedSession(l[i:]); err == nil {
				return "up", s.Local.String(), true
			}
		}
	}
	return "error", "up without a pushed address", true
}

// stopOVPN ends the node's openvpn session, if any: openvpn takes its
// routes away on SIGTERM.
func stopOVPN() {
	b, err := os.ReadFile(ovpnPidFile)
	if err != nil {
		return
	}
	_ = os.Remove(ovpnPidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || !isOpenVPN(pid) {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	for deadline := time.Now().Add(5 * time.Second); isOpenVPN(pid) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if isOpenVPN(pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

func isOpenVPN(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return err == nil && strings.TrimSpace(string(b)) == "openvpn"
}
