package cloud_test

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/cloud"
	"github.com/chrlab/chrlab/rosemu/service/dns"
	"github.com/chrlab/chrlab/rosemu/service/dns/dnstest"
	"github.com/chrlab/chrlab/rosemu/service/fqdn"
)

// eventually polls cond until it holds; the bound only keeps a broken
// service from hanging the test, nothing is timed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func cloudProp(t *testing.T, r *config.Router, name string) string {
	t.Helper()
	rows, _, err := r.Command(context.Background(), "/ip/cloud/print", nil)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := rows[0].Get(name)
	return v
}

func run(t *testing.T, r *config.Router, src string) {
	t.Helper()
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatalf("run %q: %v", src, err)
	}
}

// TestCloudAgainstStandIn runs the router's cloud client against the
// stand-in on loopback, with the router's DNS pointed at a loopback server
// that knows cloud.mikrotik.com as 127.0.0.1 and answers the names the
// stand-in publishes; then method 5 of the forum post: an address list fed
// by the router's own dns-name.
func TestCloudAgainstStandIn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	standIn := &cloud.StandIn{TTL: 60 * time.Second}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go standIn.Serve(pc, t.Logf)

	dnsPort := dnstest.Start(t, func(name string) ([]netip.Addr, uint32, bool) {
		if name == "cloud.mikrotik.com" {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, 300, true
		}
		a, ttl, ok := standIn.Lookup(name)
		return []netip.Addr{a}, ttl, ok
	})
	resolver := dns.New("127.0.0.1:0", nil)
	resolver.SetUpstreamPort(dnsPort)

	serial := cloud.SerialFor("router")
	// A check interval of an hour keeps the ticker out of the test: every
	// update here is caused by a configuration change or force-update.
	svc := cloud.New(cloud.Options{Serial: serial, Check: time.Hour, Timeout: 2 * time.Second, Port: pc.LocalAddr().(*net.UDPAddr).Port})
	names := fqdn.New(fqdn.Options{})
	r := config.New(config.Options{Identity: "router", Ports: []string{"ether1"}, DNS: resolver, Cloud: svc, FQDN: names})
	go svc.Run(ctx, r, resolver)
	go names.Run(ctx, r, resolver)

	// Without DNS servers the router cannot find the cloud: an error, and
	// never a lookup through the host's resolver.
	run(t, r, "/ip cloud set ddns-enabled=yes")
	eventually(t, "status no Internet connection", func() bool { return cloudProp(t, r, "status") == cloud.StatusNoNet })
	if len(standIn.Records()) != 0 {
		t.Fatalf("published without a resolvable server: %+v", standIn.Records())
	}

	run(t, r, "/ip dns set servers=127.0.0.1")
	eventually(t, "status updated", func() bool { return cloudProp(t, r, "status") == cloud.StatusUpdated })
	if got := cloudProp(t, r, "public-address"); got != "127.0.0.1" {
		t.Errorf("public-address = %q", got)
	}
	want := serial + ".sn.mynetname.net"
	if got := cloudProp(t, r, "dns-name"); got != want {
		t.Errorf("dns-name = %q, want %q", got, want)
	}
	if w := cloudProp(t, r, "warning"); w != "" {
		t.Errorf("warning %q without NAT", w)
	}
	recs := standIn.Records()
	if len(recs) != 1 || recs[0].Name != want || recs[0].Address.String() != "127.0.0.1" || recs[0].TTL != 60 {
		t.Fatalf("stand-in records = %+v", recs)
	}
	addrs, ttl, err := resolver.LookupIP(ctx, want, false)
	if err != nil || !slices.Equal(addrs, []netip.Addr{netip.MustParseAddr("127.0.0.1")}) || ttl != 60*time.Second {
		t.Errorf("router resolves its dns-name to %v ttl %v (%v)", addrs, ttl, err)
	}

	// Method 5: dst-address-list=updatedCloudIP fed by the dns-name.
	run(t, r, "/ip firewall address-list add list=updatedCloudIP address="+want+"\n"+
		"/ip firewall nat add chain=dstnat action=dst-nat dst-address-list=updatedCloudIP protocol=tcp dst-port=12566 to-addresses=192.168.88.10")
	eventually(t, "updatedCloudIP to hold the published address", func() bool {
		l := r.State().AddressLists["updatedCloudIP"]
		return len(l) == 1 && l[0].Prefix == netip.MustParsePrefix("127.0.0.1/32")
	})

	// force-update sends again: the record's time moves on.
	before := standIn.Records()[0].Updated
	run(t, r, "/ip cloud force-update")
	eventually(t, "a forced update", func() bool { return standIn.Records()[0].Updated.After(before) })

	// Disabling sends a delete and clears the status; the name then stops
	// resolving.
	run(t, r, "/ip cloud set ddns-enabled=no")
	eventually(t, "the record deleted", func() bool { return len(standIn.Records()) == 0 })
	eventually(t, "status cleared", func() bool { return cloudProp(t, r, "status") == "" && cloudProp(t, r, "public-address") == "" })
}

// TestCloudTimeout: a server that never answers gives request timed out.
func TestCloudTimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	dnsPort := dnstest.Start(t, func(name string) ([]netip.Addr, uint32, bool) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, 300, name == "cloud.mikrotik.com"
	})
	resolver := dns.New("127.0.0.1:0", nil)
	resolver.SetUpstreamPort(dnsPort)
	svc := cloud.New(cloud.Options{Check: time.Hour, Timeout: 200 * time.Millisecond, Port: silent.LocalAddr().(*net.UDPAddr).Port})
	r := config.New(config.Options{Ports: []string{"ether1"}, DNS: resolver, Cloud: svc})
	go svc.Run(ctx, r, resolver)
	run(t, r, "/ip dns set servers=127.0.0.1\n/ip cloud set ddns-enabled=yes")
	eventually(t, "request timed out", func() bool { return cloudProp(t, r, "status") == cloud.StatusTimedOut })
	if got := cloudProp(t, r, "public-address"); got != "" {
		t.Errorf("public-address %q without an answer", got)
	}
}

func TestProtocol(t *testing.T) {
	op, serial, err := cloud.ParseRequest(cloud.Request(cloud.OpUpdate, "0123456789AB"))
	if err != nil || op != cloud.OpUpdate || serial != "0123456789AB" {
		t.Errorf("round trip: %q %q %v", op, serial, err)
	}
	for _, bad := range []string{"", "chrlab-cloud/1 update", "chrlab-cloud/2 update serial=ab", "chrlab-cloud/1 rename serial=ab", "chrlab-cloud/1 update serial=a.b"} {
		if _, _, err := cloud.ParseRequest([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	s := &cloud.StandIn{TTL: time.Minute}
	from := netip.MustParseAddr("203.0.113.2")
	if a, err := cloud.ParseReply(s.Handle(cloud.Request(cloud.OpUpdate, "ABC"), from)); err != nil || a != from {
		t.Errorf("update answered %v %v", a, err)
	}
	if a, ttl, ok := s.Lookup("ABC.sn.mynetname.net."); !ok || a != from || ttl != 60 {
		t.Errorf("lookup = %v %d %v", a, ttl, ok)
	}
	if _, err := cloud.ParseReply(s.Handle([]byte("hello"), from)); err == nil {
		t.Error("garbage not refused")
	}
	if a, err := cloud.ParseReply(s.Handle(cloud.Request(cloud.OpDelete, "abc"), from)); err != nil || a.IsValid() {
		t.Errorf("delete answered %v %v", a, err)
	}
	if _, _, ok := s.Lookup("abc.sn.mynetname.net"); ok {
		t.Error("deleted name still answered")
	}
	if a, b := cloud.SerialFor("router"), cloud.SerialFor("router"); a != b || len(a) != 12 || a == cloud.SerialFor("other") {
		t.Errorf("serials %q %q", a, b)
	}
}
