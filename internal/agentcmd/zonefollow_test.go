package agentcmd

import (
	"io"
	"net"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/rosemu/service/cloud"
)

// A name given with --zone-follow answers its own zone address until the
// router's cloud record exists, then the record's address.
func TestZoneFollowsCloudRecord(t *testing.T) {
	o, err := parseNodeFlags([]string{"--name", "dns", "--serve", "dns,cloud",
		"--zone", "nas.home.example=203.0.113.2", "--zone", "other.example=203.0.113.2",
		"--zone-follow", "nas.home.example=0123456789ab.sn.mynetname.net."}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"nas", "a..b=c.example", "x.example="} {
		if _, err := parseNodeFlags([]string{"--name", "dns", "--serve", "dns", "--zone-follow", bad}, io.Discard); err == nil {
			t.Errorf("--zone-follow %q accepted", bad)
		}
	}
	f := o.cloud
	f.port = 0
	f.socket = filepath.Join(t.TempDir(), "cloud.sock")
	cs, err := startCloud(f, "127.0.0.1", t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.close()
	ds, err := listenPublicDNS("127.0.0.1", 0, o.zones)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.close()
	ds.cloud, ds.follow = cs.standIn, o.follow
	ds.serve(t.Logf)
	resolve := func(name string) []string {
		t.Helper()
		res := probeDNS(t.Context(), aQuery(ds.udp.LocalAddr().String(), name))
		if res.Result != probe.OK {
			t.Fatalf("%s: %s %s", name, res.Result, res.Error)
		}
		return res.Answers
	}
	if got := resolve("nas.home.example"); !slices.Equal(got, []string{"203.0.113.2"}) {
		t.Fatalf("before the router publishes: %v", got)
	}
	c, err := net.Dial("udp", cs.udp.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write(cloud.Request(cloud.OpUpdate, "0123456789AB")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(make([]byte, 1500)); err != nil {
		t.Fatal(err)
	}
	from := netip.MustParseAddr("127.0.0.1").String()
	if got := resolve("nas.home.example"); !slices.Equal(got, []string{from}) {
		t.Errorf("after the router published from %s: %v", from, got)
	}
	// A name without --zone-follow keeps its zone address.
	if got := resolve("other.example"); !slices.Equal(got, []string{"203.0.113.2"}) {
		t.Errorf("other.example: %v", got)
	}
}
