package agentcmd

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOVPNCancelEndsOpenVPN: a probe cancelled while openvpn dials (the
// run ends: the server accepts TCP and never answers the TLS handshake)
// leaves no openvpn behind, whenever the cancel comes: before openvpn
// started, while it starts, or while it waits for the server.
func TestOVPNCancelEndsOpenVPN(t *testing.T) {
	dir, server := silentOVPNServer(t)
	o := l2tpOptions{to: netip.MustParseAddrPort(server), user: "u", password: "p", timeout: 30 * time.Second}
	for _, after := range []time.Duration{0, 5 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond, 150 * time.Millisecond, time.Second} {
		ctx, cancel := context.WithCancel(context.Background())
		timer := time.AfterFunc(after, cancel)
		word, detail := startOVPN(ctx, o, "tcp", "")
		timer.Stop()
		cancel()
		if word != "error" {
			t.Errorf("cancelled after %v: %s %s, want error", after, word, detail)
		}
		noOpenVPNLeft(t, dir, fmt.Sprintf("cancelled after %v", after))
	}
}

// silentOVPNServer points the probe's files into a temporary directory,
// returned, and listens on TCP where it accepts connections, holds them
// and never answers the TLS handshake, so openvpn dials until cancelled.
// It skips without root (openvpn's client opens /dev/net/tun) or openvpn.
func silentOVPNServer(t *testing.T) (dir, addr string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: openvpn's client opens /dev/net/tun")
	}
	if _, err := exec.LookPath("openvpn"); err != nil {
		t.Skip("needs openvpn (Debian's package)")
	}
	dir = t.TempDir()
	oldDir, oldPid, oldLog := ovpnDir, ovpnPidFile, ovpnLog
	ovpnDir, ovpnPidFile, ovpnLog = filepath.Join(dir, "ovpn"), filepath.Join(dir, "ovpn.pid"), filepath.Join(dir, "ovpn.log")
	t.Cleanup(func() { ovpnDir, ovpnPidFile, ovpnLog = oldDir, oldPid, oldLog })
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	return dir, ln.Addr().String()
}

// noOpenVPNLeft fails the test (what: the moment) when a live openvpn of
// dir's configuration (not a zombie) is still there 3 s on: one the
// probe left behind. It kills those it finds.
func noOpenVPNLeft(t *testing.T, dir, what string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		left := openvpnsOf(dir)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: openvpn %v outlives the probe", what, left)
			for _, pid := range left {
				_ = exec.Command("kill", "-9", pid).Run()
			}
			return
		}
	}
}

// openvpnsOf lists the live openvpn processes whose command line names dir.
func openvpnsOf(dir string) []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		cmd, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil || !strings.Contains(string(cmd), dir) || !strings.HasPrefix(string(cmd), "openvpn") {
			continue
		}
		if st, err := os.ReadFile(filepath.Join(p, "stat")); err == nil {
			if f := strings.Fields(string(st)); len(f) > 2 && f[2] == "Z" {
				continue
			}
		}
		out = append(out, filepath.Base(p))
	}
	return out
}

// TestOVPNSigtermEndsOpenVPN: a run that ends sends labagent SIGTERM
// while the probe dials; the probe ends openvpn before it goes, instead
// of dying at once and leaving openvpn to dial on.
func TestOVPNSigtermEndsOpenVPN(t *testing.T) {
	dir, server := silentOVPNServer(t)
	sent := make(chan struct{})
	go func() {
		// openvpn is dialling by then: its pid is on file.
		for deadline := time.Now().Add(10 * time.Second); len(openvpnsOf(dir)) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		}
		time.Sleep(300 * time.Millisecond)
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		close(sent)
	}()
	res, err := cmdOVPN(context.Background(), []string{"--to", server, "--user", "u", "--password", "p", "--timeout", "30s"}, io.Discard)
	<-sent
	if err != nil || res.Result != "error" {
		t.Errorf("SIGTERM while dialling: %+v %v, want result error", res, err)
	}
	noOpenVPNLeft(t, dir, "SIGTERM while dialling")
}
