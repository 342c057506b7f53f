package agentcmd

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDHCPClientFlagMAC: --dhcp-client WIRE=PLANNED/LEN gives the host the
// MAC 02:00 and the planned address; a MAC after a comma (a host the
// router knows by its MAC: a static lease, add-arp on reply-only) is the
// one the host keeps instead. A group address is refused.
func TestDHCPClientFlagMAC(t *testing.T) {
	var d dhcpClientFlags
	if err := d.Set("10.200.3.30=192.168.88.30/24"); err != nil {
		t.Fatal(err)
	}
	if err := d.Set("10.200.3.31=192.168.88.31/24,48:65:EE:19:3C:0D"); err != nil {
		t.Fatal(err)
	}
	if got := d[0].hwAddr().String(); got != "02:00:c0:a8:58:1e" {
		t.Errorf("without a MAC the host takes %s, want 02:00:c0:a8:58:1e", got)
	}
	if got := d[1].hwAddr().String(); got != "48:65:ee:19:3c:0d" {
		t.Errorf("with a MAC the host takes %s, want 48:65:ee:19:3c:0d", got)
	}
	if d[1].wire != netip.MustParseAddr("10.200.3.31") || d[1].planned != netip.MustParsePrefix("192.168.88.31/24") {
		t.Errorf("flag read as %+v", d[1])
	}
	for _, bad := range []string{"10.200.3.31=192.168.88.31/24,01:00:5e:00:00:01", "10.200.3.31=192.168.88.31/24,48:65"} {
		if err := d.Set(bad); err == nil {
			t.Errorf("Set(%q) took it", bad)
		}
	}
}

// TestWriteResolvConf (forum40 D7): the lease's DNS servers become the
// node's resolv.conf; a lease without them leaves the file alone (control).
func TestWriteResolvConf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resolv.conf")
	if err := os.WriteFile(path, []byte("nameserver 127.0.0.11\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeResolvConf(path, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "nameserver 127.0.0.11\n" {
		t.Errorf("no DNS in the lease changed the file: %q", b)
	}
	if err := writeResolvConf(path, []net.IP{net.ParseIP("192.168.88.1"), net.ParseIP("198.51.100.53")}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "nameserver 192.168.88.1\nnameserver 198.51.100.53\n") {
		t.Errorf("resolv.conf = %q", b)
	}
}
