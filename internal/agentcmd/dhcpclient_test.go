package agentcmd

import (
	"net/netip"
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
