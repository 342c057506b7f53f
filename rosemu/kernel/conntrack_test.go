package kernel

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestConnections reads a real table: a TCP connection over the loopback of
// a namespace this test creates, sent through a dst-nat, and a UDP packet
// nobody answers; then it removes the TCP entry by its id.
func TestConnections(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skipf("needs nft to turn on connection tracking in the namespace: %v", err)
	}
	name := nsName("ct")
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	ipcmd(t, "netns", "add", name)
	ipcmd(t, "-n", name, "link", "set", "lo", "up")
	ns := nsHandle(t, name)
	d := &Dataplane{ns: ns}

	var ln net.Listener
	if err := inNetns(ns, func() (err error) { ln, err = net.Listen("tcp4", "127.0.0.1:0"); return }); err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	// The nat chain makes the namespace track connections; port 9999 is
	// forwarded to the listener so that the entry carries the dst-nat bit.
	// udp/9 gets connection mark 1, which the applied state names "up".
	rules := fmt.Sprintf("table ip cttest {\n chain out {\n  type nat hook output priority -100;\n  tcp dport 9999 dnat to 127.0.0.1:%d\n  udp dport 9 ct mark set 0x1\n }\n}\n", port)
	d.last = &State{Mangle: []Rule{{Props: map[string]string{"chain": "prerouting", "action": "mark-connection", "new-connection-mark": "up"}}}}
	if _, err := run(ns, rules, "nft", "-f", "-"); err != nil {
		t.Fatal(err)
	}
	// An entry made before accounting is turned on carries no counters:
	// the negative control for Counted.
	sendUDP := func(addr string) {
		t.Helper()
		if err := inNetns(ns, func() error {
			u, err := net.Dial("udp4", addr)
			if err != nil {
				return err
			}
			defer u.Close()
			_, err = u.Write([]byte("x"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	sendUDP("127.0.0.1:7")
	// Counters are best effort: a namespace may not allow the sysctl.
	acct := writeSysctl(ns, "net.netfilter.nf_conntrack_acct", "1") == nil
	t.Logf("nf_conntrack_acct writable, counters checked: %v", acct)

	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	var cli net.Conn
	if err := inNetns(ns, func() (err error) { cli, err = net.Dial("tcp4", "127.0.0.1:9999"); return }); err != nil {
		t.Fatalf("dial through the dst-nat: %v", err)
	}
	defer cli.Close()
	srv := <-accepted
	defer srv.Close()
	// A reply makes the entry assured.
	srv.Write([]byte("hi\n"))
	buf := make([]byte, 3)
	cli.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := cli.Read(buf); err != nil {
		t.Fatalf("read the reply: %v", err)
	}
	sendUDP("127.0.0.1:9")

	conns, err := d.Connections()
	if err != nil {
		t.Fatalf("Connections: %v", err)
	}
	var tcp, udp, early *Conn
	for i, c := range conns {
		switch {
		case c.Protocol == "udp" && c.Dst.String() == "127.0.0.1:7":
			early = &conns[i]
		case c.Protocol == "tcp" && c.Dst.String() == "127.0.0.1:9999":
			tcp = &conns[i]
		case c.Protocol == "udp" && c.Dst.String() == "127.0.0.1:9":
			udp = &conns[i]
		}
	}
	if tcp == nil || udp == nil || early == nil {
		t.Fatalf("want the tcp and both udp entries in %+v", conns)
	}
	if acct && (early.Counted || !udp.Counted || udp.OrigPackets != 1 || udp.OrigBytes == 0) {
		t.Errorf("counted: entry before nf_conntrack_acct=1 %+v, entry after %+v; want only the later one counted, 1 packet", *early, *udp)
	}
	if tcp.ReplySrc.Port() != uint16(port) || !tcp.DstNAT || tcp.SrcNAT || tcp.State != "established" ||
		!tcp.SeenReply || !tcp.Assured || !tcp.Confirmed || tcp.ID == 0 || tcp.Timeout < time.Minute {
		t.Errorf("tcp entry = %+v; want dst-nat to port %d, established, seen-reply, assured, an id and a long timeout", *tcp, port)
	}
	if udp.ConnectionMark != "up" || early.ConnectionMark != "" {
		t.Errorf("connection marks: udp/9 %q, want up; udp/7 %q, want none", udp.ConnectionMark, early.ConnectionMark)
	}
	if udp.SeenReply || udp.Assured || udp.DstNAT || udp.State != "" || udp.Timeout <= 0 || udp.Timeout > time.Minute {
		t.Errorf("udp entry = %+v; want unreplied, not natted, a short timeout", *udp)
	}
	if acct && (!tcp.Counted || tcp.OrigPackets == 0 || tcp.ReplyBytes == 0) {
		t.Errorf("with nf_conntrack_acct=1 the tcp entry has no counters: %+v", *tcp)
	}
	if n, err := d.ConntrackCount(); err != nil || n < 2 {
		t.Errorf("ConntrackCount = %d, %v; want at least 2", n, err)
	}
	sys, err := d.ConntrackSysctls()
	if err != nil || sys["tcp_timeout_established"] == "" || sys["max"] == "" || sys["count"] == "" {
		t.Errorf("ConntrackSysctls = %v, %v; want tcp_timeout_established, max and count", sys, err)
	}

	// Negative control: an id no entry has removes nothing.
	ids := map[uint32]bool{}
	for _, c := range conns {
		ids[c.ID] = true
	}
	unknown := tcp.ID + 1
	for ids[unknown] {
		unknown++
	}
	if err := d.RemoveConnection(unknown); err != nil {
		t.Fatalf("RemoveConnection(unknown id %d): %v", unknown, err)
	}
	if same, err := d.Connections(); err != nil || len(same) != len(conns) {
		t.Fatalf("after removing unknown id %d: %d entries (%v), want %d", unknown, len(same), err, len(conns))
	}

	if err := d.RemoveConnection(tcp.ID); err != nil {
		t.Fatalf("RemoveConnection: %v", err)
	}
	after, err := d.Connections()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range after {
		if c.ID == tcp.ID {
			t.Errorf("entry %d still listed after RemoveConnection", tcp.ID)
		}
		if c.ID == udp.ID && !strings.EqualFold(c.Protocol, "udp") {
			t.Errorf("udp entry changed: %+v", c)
		}
	}
	if len(after) != len(conns)-1 {
		t.Errorf("%d entries after removing one of %d", len(after), len(conns))
	}
	// Removing it again is not an error: it is gone either way.
	if err := d.RemoveConnection(tcp.ID); err != nil {
		t.Errorf("second RemoveConnection: %v", err)
	}
}
