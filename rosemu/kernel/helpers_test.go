package kernel

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// ftpServer is the passive-mode half of an FTP server in ns: it greets,
// answers PASV with its own (private) address and a data port it listens
// on, and writes "listing" to whoever connects there.
func ftpServer(t *testing.T, ns netns.NsHandle) {
	t.Helper()
	var ctl, data net.Listener
	if err := inNetns(ns, func() (err error) {
		if ctl, err = net.Listen("tcp4", "192.168.88.10:21"); err != nil {
			return err
		}
		data, err = net.Listen("tcp4", "192.168.88.10:0")
		return err
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { ctl.Close(); data.Close() })
	port := data.Addr().(*net.TCPAddr).Port
	go func() {
		for {
			c, err := ctl.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				fmt.Fprint(c, "220 lab ftp\r\n")
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if strings.HasPrefix(strings.ToUpper(line), "PASV") {
						fmt.Fprintf(c, "227 Entering Passive Mode (192,168,88,10,%d,%d).\r\n", port>>8, port&0xff)
					}
				}
			}()
		}
	}()
	go func() {
		for {
			c, err := data.Accept()
			if err != nil {
				return
			}
			fmt.Fprint(c, "listing\n")
			c.Close()
		}
	}()
}

// pasv logs in from ns to the router's WAN port 21, asks for passive
// mode and returns the address the answer names and what its data
// connection brought ("" when it could not connect).
func pasv(t *testing.T, ns netns.NsHandle) (string, string) {
	t.Helper()
	var addr, got string
	err := inNetns(ns, func() error {
		c, err := net.DialTimeout("tcp4", "203.0.113.2:21", 2*time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(3 * time.Second))
		r := bufio.NewReader(c)
		if _, err := r.ReadString('\n'); err != nil {
			return err
		}
		fmt.Fprint(c, "PASV\r\n")
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		var a, b, cc, d, p1, p2 int
		i := strings.Index(line, "(")
		if _, err := fmt.Sscanf(line[i:], "(%d,%d,%d,%d,%d,%d)", &a, &b, &cc, &d, &p1, &p2); err != nil {
			return fmt.Errorf("read %q: %w", line, err)
		}
		addr = fmt.Sprintf("%d.%d.%d.%d:%d", a, b, cc, d, p1<<8|p2)
		dc, err := net.DialTimeout("tcp4", addr, time.Second)
		if err != nil {
			return nil // the listing cannot be fetched: got stays empty
		}
		defer dc.Close()
		dc.SetDeadline(time.Now().Add(2 * time.Second))
		got, _ = bufio.NewReader(dc).ReadString('\n')
		got = strings.TrimSpace(got)
		return nil
	})
	if err != nil {
		t.Fatalf("ftp control connection: %v", err)
	}
	return addr, got
}

// TestFTPHelper: an FTP server forwarded from the WAN. With the ftp
// service port on (RouterOS's default), the kernel's helper rewrites the
// server's PASV answer to the router's WAN address and lets the data
// connection through the NAT: the listing comes. With it off, the answer
// names the server's private address and the listing never comes, the
// forum's "FTP logs in, then the listing times out" (the control). Applied
// again with the helper, it works again: the helper objects survive the
// table's reload.
func TestFTPHelper(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	if !dp.helpers["ftp"] {
		t.Skip("this kernel has no FTP connection-tracking helper (nf_conntrack_ftp)")
	}
	ftpServer(t, nsHandle(t, l.s))
	peer := nsHandle(t, l.w)
	fwd := rule("*2", "chain=dstnat", "action=dst-nat", "dst-address=203.0.113.2", "protocol=tcp", "dst-port=21", "to-addresses=192.168.88.10", "comment=ftp")
	on := func() *State {
		st := withNAT(baseState(), fwd)
		st.Helpers = []Helper{{Name: "ftp", Ports: []uint16{21}}}
		return st
	}
	for i, c := range []struct {
		st       *State
		addr     string
		listing  string
		describe string
	}{
		{on(), "203.0.113.2", "listing", "helper on"},
		{withNAT(baseState(), fwd), "192.168.88.10", "", "helper off"},
		{on(), "203.0.113.2", "listing", "helper on again"},
	} {
		if err := dp.Apply(c.st); err != nil {
			t.Fatalf("%s: Apply: %v", c.describe, err)
		}
		addr, got := pasv(t, peer)
		if !strings.HasPrefix(addr, c.addr+":") || got != c.listing {
			t.Errorf("step %d (%s): PASV named %s, data connection brought %q; want %s and %q", i+1, c.describe, addr, got, c.addr, c.listing)
		}
	}
}
