package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

type flushDNS struct {
	fakeDNS
	flushed int
}

func (f *flushDNS) Flush() { f.flushed++ }

// /ip dns cache flush (console and terse forms) empties the running DNS
// service's cache; without a service it is still taken.
func TestDNSCacheFlush(t *testing.T) {
	f := &flushDNS{}
	r := New(Options{Ports: ports, DNS: f})
	run(t, r, "/ip dns cache flush")
	run(t, r, "/ip/dns/cache/flush")
	if f.flushed != 2 {
		t.Errorf("flushed %d times, want 2", f.flushed)
	}
	run(t, New(Options{Ports: ports}), "/ip dns cache flush\n/ip dns cache print")
}

type listDNS struct {
	fakeDNS
	recs []DNSCacheRecord
}

func (l *listDNS) CacheRecords() []DNSCacheRecord { return l.recs }

// /ip dns cache lists the service's cached records as the version shows
// them (6: the A records' name, address, ttl; 7: name, type, data, ttl of
// A, AAAA and CNAME records), /ip dns cache all every record, under the
// ids the service gives (forum28 D5: both listed nothing, and cache all
// was refused as bad command name all).
func TestDNSCacheListing(t *testing.T) {
	recs := []DNSCacheRecord{
		{ID: 7, Name: "www.myserver.net", Type: "CNAME", Data: "myserver.net", TTL: 50 * time.Second},
		{ID: 8, Name: "myserver.net", Type: "A", Data: "203.0.113.2", TTL: 50 * time.Second},
		{ID: 9, Name: "2.113.0.203.in-addr.arpa", Type: "PTR", Data: "myserver.net", TTL: time.Hour},
	}
	for _, c := range []struct{ version, cache, all string }{
		{"7.16.2", "*7,*8", "*7,*8,*9"},
		{"6.49.18", "*8", "*7,*8,*9"},
	} {
		r := New(Options{Ports: ports, Version: c.version, DNS: &listDNS{recs: recs}})
		out, err := r.Run(context.Background(), ":put [/ip dns cache find]\n:put [/ip dns cache all find]\n:put [/ip dns cache all get [find type=PTR] data]\n:put [/ip dns cache get [find name=myserver.net] ttl]")
		if want := strings.ReplaceAll(c.cache, ",", ";") + "\n" + strings.ReplaceAll(c.all, ",", ";") + "\nmyserver.net\n00:00:50\n"; err != nil || out != want {
			t.Errorf("%s: %q %v, want %q", c.version, out, err, want)
		}
	}
	r := New(Options{Ports: ports, Version: "6.49.18", DNS: &listDNS{recs: recs}})
	if out, err := r.Run(context.Background(), ":put [/ip dns cache get [find] address]\n/ip dns cache print"); err != nil || !strings.Contains(out, "203.0.113.2\n") || !strings.Contains(out, "# NAME          ADDRESS      TTL") {
		t.Errorf("6.49 address and print: %q %v", out, err)
	}
	r = New(Options{Ports: ports, Version: "7.16.2", DNS: &listDNS{recs: recs}})
	if _, err := r.Run(context.Background(), ":put [/ip dns cache get [find type=A] address]"); err == nil {
		t.Errorf("7 has no address on a cache record [verify]; got none refused")
	}
}

// The console table of /ip dns cache print is pinned byte for byte: the
// console number right-aligned under #, the other columns left-aligned two
// spaces apart, trailing spaces trimmed; v7 names the columns above it.
func TestDNSCachePrintTable(t *testing.T) {
	recs := []DNSCacheRecord{
		{ID: 7, Name: "www.myserver.net", Type: "CNAME", Data: "myserver.net", TTL: 50 * time.Second},
		{ID: 8, Name: "myserver.net", Type: "A", Data: "203.0.113.2", TTL: 50 * time.Second},
		{ID: 9, Name: "2.113.0.203.in-addr.arpa", Type: "PTR", Data: "myserver.net", TTL: time.Hour},
	}
	all := "# NAME                      TYPE   DATA          TTL\n" +
		"0 www.myserver.net          CNAME  myserver.net  50s\n" +
		"1 myserver.net              A      203.0.113.2   50s\n" +
		"2 2.113.0.203.in-addr.arpa  PTR    myserver.net  1h\n"
	for _, c := range []struct{ version, want string }{
		{"7.16.2", "Columns: NAME, TYPE, DATA, TTL\n" +
			"# NAME              TYPE   DATA          TTL\n" +
			"0 www.myserver.net  CNAME  myserver.net  50s\n" +
			"1 myserver.net      A      203.0.113.2   50s\n" +
			"Columns: NAME, TYPE, DATA, TTL\n" + all},
		{"6.49.18", "# NAME          ADDRESS      TTL\n" +
			"0 myserver.net  203.0.113.2  50s\n" + all},
	} {
		r := New(Options{Ports: ports, Version: c.version, DNS: &listDNS{recs: recs}})
		if out := run(t, r, "/ip dns cache print\n/ip dns cache all print"); out != c.want {
			t.Errorf("%s print:\n%s\nwant:\n%s", c.version, out, c.want)
		}
	}
	// From the eleventh row on the numbers take two places, right-aligned.
	var many []DNSCacheRecord
	for i := range 11 {
		many = append(many, DNSCacheRecord{ID: uint64(i + 1), Name: fmt.Sprintf("h%d.example", i), Type: "A", Data: fmt.Sprintf("192.0.2.%d", i), TTL: time.Minute})
	}
	r := New(Options{Ports: ports, Version: "7.16.2", DNS: &listDNS{recs: many}})
	out := run(t, r, "/ip dns cache print")
	if want := "Columns: NAME, TYPE, DATA, TTL\n" +
		" # NAME         TYPE  DATA        TTL\n" +
		" 0 h0.example   A     192.0.2.0   1m\n"; !strings.HasPrefix(out, want) || !strings.HasSuffix(out, " 9 h9.example   A     192.0.2.9   1m\n10 h10.example  A     192.0.2.10  1m\n") {
		t.Errorf("eleven rows:\n%s", out)
	}
}
