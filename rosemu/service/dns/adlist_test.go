package dns

import (
	"context"
	"net/netip"
	"testing"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/files"
)

// TestAdlistFile: an adlist given as file= (a hosts-format file on the
// router) blocks its names: A is answered 0.0.0.0 and AAAA ::, without
// asking upstream, and the list's match-count counts them. A name not on
// the list is forwarded (the control), a static entry for a listed name
// decides first, and a url= list blocks nothing. Before ros46 every
// adlist was stored and the listed name was forwarded.
func TestAdlistFile(t *testing.T) {
	up := &upstream{ttl: 60, zone: map[string][]netip.Addr{
		"ads.example.com":  {netip.MustParseAddr("198.51.100.7")},
		"www.example.com":  {netip.MustParseAddr("198.51.100.80")},
		"keep.example.com": {netip.MustParseAddr("198.51.100.9")},
		"web.example.org":  {netip.MustParseAddr("198.51.100.10")},
	}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up})
	store := &files.Store{}
	if err := store.WriteFile("ads.txt", []byte("# a hosts file\n127.0.0.1 localhost\n0.0.0.0 ads.example.com\n0.0.0.0 keep.example.com # kept by a static entry\ntracker.example.net\n")); err != nil {
		t.Fatal(err)
	}
	srv := New("127.0.0.1:0", nil)
	srv.upstream = port
	r := config.New(config.Options{Ports: []string{"ether1"}, DNS: srv, Files: store})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(ctx, `/ip dns set allow-remote-requests=yes servers=127.0.0.1
/ip dns static add name=keep.example.com address=192.168.88.5
/ip dns adlist add file=ads.txt
/ip dns adlist add url=https://example.org/hosts ssl-verify=no`); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	for _, tc := range []struct {
		name  string
		qtype uint16
		want  string
	}{
		{"ads.example.com", dns.TypeA, "NOERROR A:ads.example.com=0.0.0.0/60"},
		{"ADS.example.com", dns.TypeAAAA, "NOERROR AAAA:ADS.example.com=::/60"},
		{"tracker.example.net", dns.TypeA, "NOERROR A:tracker.example.net=0.0.0.0/60"},
		{"www.example.com", dns.TypeA, "NOERROR A:www.example.com=198.51.100.80/60"},
		{"keep.example.com", dns.TypeA, "NOERROR A:keep.example.com=192.168.88.5/86400"},
	} {
		m, err := query(t, "udp", addr, tc.name, tc.qtype)
		if got := summary(m); err != nil || got != tc.want {
			t.Errorf("%s %s: %s %v, want %s", tc.name, dns.TypeToString[tc.qtype], got, err, tc.want)
		}
	}
	if n := up.queries("ads.example.com"); n != 0 {
		t.Errorf("the listed name was asked upstream %d times", n)
	}
	rows, _, err := r.Command(ctx, "/ip/dns/adlist/print", nil)
	if err != nil || len(rows) != 2 {
		t.Fatalf("adlist print: %v %v", rows, err)
	}
	for i, want := range [][2]string{{"3", "3"}, {"0", "0"}} {
		names, _ := rows[i].Get("name-count")
		matches, _ := rows[i].Get("match-count")
		if names != want[0] || matches != want[1] {
			t.Errorf("adlist %d: name-count %q match-count %q, want %s %s", i, names, matches, want[0], want[1])
		}
	}
	var reported []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/ip dns adlist" {
			reported = append(reported, n.Property)
		}
	}
	if len(reported) != 1 || reported[0] != "url" {
		t.Errorf("reported: %q, want the url list only", reported)
	}
	if _, err := r.Run(ctx, "/ip dns adlist add file=missing.txt"); err == nil {
		t.Error("an adlist of a missing file was taken")
	}
}
