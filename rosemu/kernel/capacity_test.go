package kernel

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestCapacityRuleset(t *testing.T) {
	text, err := CapacityRuleset(200)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"table ip rosemu_capacity {}\ndelete table ip rosemu_capacity\n",
		"ct state new ct count over 200 counter drop",
		"type filter hook prerouting priority -199; policy accept;\n\t\tjump full",
		"type filter hook output priority -199; policy accept;\n\t\tjump full",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ruleset lacks %q:\n%s", want, text)
		}
	}
	// One count for both hooks: the rule is written once.
	if n := strings.Count(text, "ct count"); n != 1 {
		t.Errorf("%d ct count rules, want 1 shared by both hooks", n)
	}
	for _, bad := range []int{0, -1, MaxConntrackCapacity + 1} {
		if _, err := CapacityRuleset(bad); err == nil || !strings.Contains(err.Error(), "not within 1..") {
			t.Errorf("CapacityRuleset(%d) = %v, want a range error", bad, err)
		}
	}
}

// TestCapacityFull loads a capacity of 3 into a scratch namespace and opens
// UDP flows over its loopback: the first three get through and keep
// working, the fourth and fifth are refused as by a full table, and once an
// entry is removed a new flow fits again. ConntrackSysctls reports the
// capacity as max.
func TestCapacityFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skipf("needs nft: %v", err)
	}
	name := nsName("cap")
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	ipcmd(t, "netns", "add", name)
	ipcmd(t, "-n", name, "link", "set", "lo", "up")
	ns := nsHandle(t, name)
	d := &Dataplane{ns: ns, nft: "nft"}
	if err := d.SetConntrackCapacity(3); err != nil {
		t.Fatal(err)
	}
	sys, err := d.ConntrackSysctls()
	if err != nil {
		t.Fatal(err)
	}
	if sys["max"] != "3" {
		t.Errorf("max = %q, want the capacity 3", sys["max"])
	}

	var srv *net.UDPConn
	if err := inNetns(ns, func() (err error) {
		srv, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		return
	}); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go func() {
		buf := make([]byte, 64)
		for {
			n, from, err := srv.ReadFromUDP(buf)
			if err != nil {
				return
			}
			srv.WriteToUDP(buf[:n], from)
		}
	}()
	open := func() (*net.UDPConn, error) {
		var c *net.UDPConn
		err := inNetns(ns, func() (err error) {
			c, err = net.DialUDP("udp4", nil, srv.LocalAddr().(*net.UDPAddr))
			return
		})
		return c, err
	}
	// ask sends one datagram and waits for the echo; a full table drops
	// the datagram in the output hook, which send reports as EPERM.
	ask := func(c *net.UDPConn) error {
		if _, err := c.Write([]byte("x")); err != nil {
			return err
		}
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, err := c.Read(make([]byte, 8))
		return err
	}
	var flows []*net.UDPConn
	for i := 0; i < 5; i++ {
		c, err := open()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		flows = append(flows, c)
		err = ask(c)
		if full := i >= 3; full != (err != nil) {
			t.Errorf("flow %d: %v (table full: %v)", i+1, err, full)
		}
	}
	for i, c := range flows[:3] {
		if err := ask(c); err != nil {
			t.Errorf("flow %d, in the table, stopped working once it was full: %v", i+1, err)
		}
	}
	// Freeing an entry makes room, as on a real table.
	conns, err := d.Connections()
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 3 {
		t.Fatalf("%d entries in a table of 3 after 5 flows, want 3", len(conns))
	}
	if err := d.RemoveConnection(conns[0].ID); err != nil {
		t.Fatal(err)
	}
	c, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The count forgets the removed entry when it next walks its list.
	time.Sleep(20 * time.Millisecond)
	if err := ask(c); err != nil {
		t.Errorf("a new flow after an entry was removed: %v", err)
	}
}
