package dns

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// upstream is a test DNS server on loopback: it answers A queries from its
// zone (NXDOMAIN with an SOA otherwise) over UDP and TCP and counts the
// queries per name.
type upstream struct {
	zone  map[string][]netip.Addr
	ttl   uint32
	mu    sync.Mutex
	count map[string]int
}

func (u *upstream) queries(name string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.count[name]
}

func (u *upstream) answer(b []byte) []byte {
	q, err := parse(b)
	if err != nil || len(q.question) != 1 {
		return nil
	}
	qq := q.question[0]
	u.mu.Lock()
	u.count[strings.ToLower(qq.name)]++
	u.mu.Unlock()
	resp := &message{id: q.id, flags: flagQR | flagRA | flagRD, question: q.question}
	addrs, ok := u.zone[strings.ToLower(qq.name)]
	switch {
	case !ok:
		resp.flags |= rcodeNXDomain
		soa, _ := appendName(nil, "ns.test")
		soa, _ = appendName(soa, "admin.test")
		soa = append(soa, make([]byte, 16)...)
		soa = binary.BigEndian.AppendUint32(soa, 30) // negative TTL
		resp.authority = []rr{{"test", typeSOA, classIN, 300, soa}}
	case qq.typ == typeA:
		for _, a := range addrs {
			b := a.As4()
			resp.answer = append(resp.answer, rr{qq.name, typeA, classIN, u.ttl, b[:]})
		}
	}
	out, _ := resp.pack()
	return out
}

// startUpstreams serves each upstream on its loopback address, all on one
// port (the resolver asks every server on the same port), and returns the
// port. A port the kernel gave for UDP may be taken over TCP by another
// test on this machine, so a clash is retried with a new port.
func startUpstreams(t *testing.T, ups map[string]*upstream) int {
	t.Helper()
	for attempt := 0; ; attempt++ {
		port, closers, err := bindUpstreams(ups)
		if err == nil {
			t.Cleanup(func() {
				for _, c := range closers {
					c.Close()
				}
			})
			return port
		}
		for _, c := range closers {
			c.Close()
		}
		if attempt == 10 {
			t.Fatal(err)
		}
	}
}

func bindUpstreams(ups map[string]*upstream) (int, []io.Closer, error) {
	var closers []io.Closer
	port := 0
	ips := make([]string, 0, len(ups))
	for ip := range ups {
		ips = append(ips, ip)
	}
	sort.Strings(ips)
	for _, ip := range ips {
		u := ups[ip]
		u.count = map[string]int{}
		pc, err := net.ListenPacket("udp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			return 0, closers, err
		}
		closers = append(closers, pc)
		port = pc.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			return 0, closers, err
		}
		closers = append(closers, l)
		go serveUpstream(u, pc, l)
	}
	return port, closers, nil
}

func serveUpstream(u *upstream, pc net.PacketConn, l net.Listener) {
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if resp := u.answer(buf[:n]); resp != nil {
				pc.WriteTo(resp, from)
			}
		}
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			q, err := readTCPMessage(c)
			if err != nil {
				return
			}
			resp := u.answer(q)
			c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(resp))), resp...))
		}()
	}
}

// lab is a router with its DNS service on a loopback port.
type lab struct {
	r   *config.Router
	srv *Server
	now time.Time
	mu  sync.Mutex
}

func newLab(t *testing.T, upstreamPort int, rsc string) *lab {
	t.Helper()
	l := &lab{now: time.Unix(1_700_000_000, 0)}
	l.srv = New("127.0.0.1:0", nil)
	l.srv.upstream = upstreamPort
	l.srv.clock = func() time.Time { l.mu.Lock(); defer l.mu.Unlock(); return l.now }
	l.r = config.New(config.Options{Ports: []string{"ether1"}, DNS: l.srv})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := l.srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	l.run(t, rsc)
	return l
}

func (l *lab) run(t *testing.T, src string) {
	t.Helper()
	if _, err := l.r.Run(context.Background(), src); err != nil {
		t.Fatalf("run %q: %v", src, err)
	}
}

func (l *lab) advance(d time.Duration) {
	l.mu.Lock()
	l.now = l.now.Add(d)
	l.mu.Unlock()
}

func (l *lab) addr(t *testing.T) string {
	t.Helper()
	a := l.srv.Addr()
	if a == nil {
		t.Fatal("the dns service does not listen")
	}
	return a.String()
}

// query sends one question over UDP or TCP and returns the parsed answer.
func query(t *testing.T, network, addr, name string, qtype uint16) (*message, error) {
	t.Helper()
	q := &message{id: 0x1234, flags: flagRD, question: []question{{name, qtype, classIN}}}
	b, err := q.pack()
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	// The bound only keeps a broken test from hanging; loopback answers at once.
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if network == "tcp" {
		b = append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...)
	}
	if _, err := c.Write(b); err != nil {
		return nil, err
	}
	var resp []byte
	if network == "tcp" {
		resp, err = readTCPMessage(c)
	} else {
		buf := make([]byte, 65535)
		var n int
		n, err = c.Read(buf)
		resp = buf[:n]
	}
	if err != nil {
		return nil, err
	}
	m, err := parse(resp)
	if err != nil {
		t.Fatalf("parse answer: %v", err)
	}
	if m.id != 0x1234 || m.flags&flagQR == 0 {
		t.Fatalf("answer id %x flags %x", m.id, m.flags)
	}
	return m, nil
}

// summary prints an answer as "RCODE type:value/ttl ...".
func summary(m *message) string {
	parts := []string{[]string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"}[m.rcode()]}
	for _, r := range m.answer {
		v := ""
		switch r.typ {
		case typeA, typeAAAA:
			a, _ := netip.AddrFromSlice(r.data)
			v = a.String()
		case typeCNAME, typePTR:
			v, _, _ = readName(r.data, 0)
		}
		parts = append(parts, typeName(r.typ)+":"+r.name+"="+v+"/"+strconv.Itoa(int(r.ttl)))
	}
	return strings.Join(parts, " ")
}

const staticRSC = `/ip dns set allow-remote-requests=yes
/ip dns static
add address=192.168.88.10 regexp="(^|www\\.)myserver\\.net\$" ttl=5m
add name=myserver.net address=192.168.88.99 comment="shadowed by the regexp"
add name=nas.lan address=192.168.88.11
add name=nas.lan address=192.168.88.12 comment="second match: never answers"
add name=v6.lan address=fd00::11
add name=alias.lan type=CNAME cname=nas.lan ttl=1h
add name=ads.example type=NXDOMAIN match-subdomain=yes
add name=exact.example address=10.0.0.1
add regexp="^host[0-9]+\\.corp\$" address=10.1.1.1 disabled=yes
`

func TestStaticAnswers(t *testing.T) {
	l := newLab(t, 9, staticRSC) // no upstream: nothing here may be forwarded
	addr := l.addr(t)
	tests := []struct {
		name  string
		qtype uint16
		want  string
	}{
		{"myserver.net", typeA, "NOERROR A:myserver.net=192.168.88.10/300"},
		{"WWW.MyServer.NET", typeA, "NOERROR A:WWW.MyServer.NET=192.168.88.10/300"},
		{"ftp.myserver.net", typeA, "SERVFAIL"},
		{"nas.lan", typeA, "NOERROR A:nas.lan=192.168.88.11/86400"},
		{"v6.lan", typeAAAA, "NOERROR AAAA:v6.lan=fd00::11/86400"},
		{"alias.lan", typeA, "NOERROR CNAME:alias.lan=nas.lan/3600 A:nas.lan=192.168.88.11/86400"},
		{"alias.lan", typeCNAME, "NOERROR CNAME:alias.lan=nas.lan/3600"},
		{"ads.example", typeA, "NXDOMAIN"},
		{"track.ads.example", typeAAAA, "NXDOMAIN"},
		{"sub.exact.example", typeA, "SERVFAIL"},
		{"11.88.168.192.in-addr.arpa", typePTR, "NOERROR PTR:11.88.168.192.in-addr.arpa=nas.lan/86400"},
		// The regexp entry answers myserver.net but gives no PTR.
		{"10.88.168.192.in-addr.arpa", typePTR, "SERVFAIL"},
		{"host1.corp", typeA, "SERVFAIL"},
	}
	for _, tt := range tests {
		m, err := query(t, "udp", addr, tt.name, tt.qtype)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := summary(m); got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.name, typeName(tt.qtype), got, tt.want)
		}
	}
	// Go's own resolver reads the answers with an independent decoder.
	res := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	ips, err := res.LookupNetIP(context.Background(), "ip4", "www.myserver.net")
	if err != nil || len(ips) != 1 || ips[0] != netip.MustParseAddr("192.168.88.10") {
		t.Errorf("go resolver: %v %v", ips, err)
	}
	if _, err := res.LookupNetIP(context.Background(), "ip4", "x.ads.example"); err == nil || !err.(*net.DNSError).IsNotFound {
		t.Errorf("go resolver on an NXDOMAIN entry: %v", err)
	}
	// Over TCP the same answers come.
	m, err := query(t, "tcp", addr, "nas.lan", typeA)
	if err != nil || summary(m) != "NOERROR A:nas.lan=192.168.88.11/86400" {
		t.Errorf("tcp: %v %v", m, err)
	}
	// Disabling an entry takes effect with the transaction.
	l.run(t, `/ip dns static disable [find comment~"shadowed"]`)
	l.run(t, `/ip dns static set [find regexp~"myserver"] regexp="^www\\.myserver\\.net\$"`)
	if m, _ := query(t, "udp", addr, "myserver.net", typeA); summary(m) != "SERVFAIL" {
		t.Errorf("after edits: %s", summary(m))
	}
	l.run(t, `/ip dns static enable [find comment~"shadowed"]`)
	if m, _ := query(t, "udp", addr, "myserver.net", typeA); summary(m) != "NOERROR A:myserver.net=192.168.88.99/86400" {
		t.Errorf("name entry after the regexp narrowed: %s", summary(m))
	}
}

func TestForwardAndCache(t *testing.T) {
	up := &upstream{ttl: 3600, zone: map[string][]netip.Addr{
		"www.example.com": {netip.MustParseAddr("198.51.100.80")},
		"nas.lan":         {netip.MustParseAddr("10.9.9.9")},
		"corp.internal":   {netip.MustParseAddr("10.7.7.7")},
	}}
	corp := &upstream{ttl: 60, zone: map[string][]netip.Addr{"corp.internal": {netip.MustParseAddr("172.16.0.7")}}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up, "127.0.0.2": corp})
	l := newLab(t, port, `/ip dns set allow-remote-requests=yes servers=127.0.0.1 cache-max-ttl=10m
/ip dns static add name=nas.lan address=192.168.88.11
/ip dns static add name=corp.internal type=FWD forward-to=127.0.0.2`)
	addr := l.addr(t)

	m, err := query(t, "udp", addr, "www.example.com", typeA)
	if err != nil || summary(m) != "NOERROR A:www.example.com=198.51.100.80/600" {
		t.Fatalf("forwarded: %v %v (the TTL is capped by cache-max-ttl)", summary(m), err)
	}
	l.advance(100 * time.Second)
	m, _ = query(t, "udp", addr, "WWW.example.com", typeA)
	if got := summary(m); got != "NOERROR A:WWW.example.com=198.51.100.80/500" {
		t.Errorf("cached: %s", got)
	}
	if n := up.queries("www.example.com"); n != 1 {
		t.Errorf("upstream asked %d times, want 1 (the second answer must come from the cache)", n)
	}
	out, _ := l.r.Run(context.Background(), ":put [/ip dns get cache-used]")
	if out == "0KiB\n" || l.srv.CacheUsed() == 0 {
		t.Errorf("cache-used = %q", out)
	}
	l.advance(500 * time.Second)
	if m, _ := query(t, "udp", addr, "www.example.com", typeA); summary(m) != "NOERROR A:www.example.com=198.51.100.80/600" {
		t.Errorf("after expiry: %s", summary(m))
	}
	if n := up.queries("www.example.com"); n != 2 {
		t.Errorf("upstream asked %d times after expiry, want 2", n)
	}

	// NXDOMAIN is cached for the SOA's negative TTL.
	for range 2 {
		if m, _ := query(t, "udp", addr, "nope.example.com", typeA); summary(m) != "NXDOMAIN" {
			t.Errorf("unknown name: %s", summary(m))
		}
	}
	if n := up.queries("nope.example.com"); n != 1 {
		t.Errorf("negative answer asked %d times, want 1", n)
	}

	// A static name is the router's: the static answer wins, and another
	// type the upstream does not know is no data, not NXDOMAIN.
	if m, _ := query(t, "udp", addr, "nas.lan", typeA); summary(m) != "NOERROR A:nas.lan=192.168.88.11/86400" {
		t.Errorf("static over upstream: %s", summary(m))
	}
	if m, _ := query(t, "udp", addr, "nas.lan", typeMX); summary(m) != "NOERROR" || up.queries("nas.lan") != 1 {
		t.Errorf("other type of a static name: %s, upstream asked %d times", summary(m), up.queries("nas.lan"))
	}

	// FWD sends the name to its own server.
	if m, _ := query(t, "tcp", addr, "corp.internal", typeA); summary(m) != "NOERROR A:corp.internal=172.16.0.7/60" {
		t.Errorf("FWD: %s", summary(m))
	}
	if up.queries("corp.internal") != 0 || corp.queries("corp.internal") != 1 {
		t.Errorf("FWD asked the default server %d times and its own %d", up.queries("corp.internal"), corp.queries("corp.internal"))
	}

	// The router resolves for itself whatever allow-remote-requests says.
	l.run(t, "/ip dns set allow-remote-requests=no")
	ips, ttl, err := l.srv.LookupIP(context.Background(), "nas.lan", false)
	if err != nil || len(ips) != 1 || ips[0] != netip.MustParseAddr("192.168.88.11") || ttl != 24*time.Hour {
		t.Errorf("LookupIP: %v %v %v", ips, ttl, err)
	}
}

func TestTruncation(t *testing.T) {
	var many []netip.Addr
	for i := range 60 {
		many = append(many, netip.AddrFrom4([4]byte{198, 51, 100, byte(i + 1)}))
	}
	up := &upstream{ttl: 60, zone: map[string][]netip.Addr{"big.example": many}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up})
	l := newLab(t, port, "/ip dns set allow-remote-requests=yes servers=127.0.0.1")
	m, err := query(t, "udp", l.addr(t), "big.example", typeA)
	if err != nil || m.flags&flagTC == 0 || len(m.answer) != 0 {
		t.Fatalf("udp answer of 60 records: flags %x, %d records, %v", m.flags, len(m.answer), err)
	}
	m, err = query(t, "tcp", l.addr(t), "big.example", typeA)
	if err != nil || len(m.answer) != 60 {
		t.Fatalf("tcp answer: %v %v", m, err)
	}
	var got []string
	for _, r := range m.answer {
		a, _ := netip.AddrFromSlice(r.data)
		got = append(got, a.String())
	}
	sort.Strings(got)
	if got[0] != "198.51.100.1" {
		t.Errorf("tcp records = %v", got)
	}
}

func TestRemoteRequestsOff(t *testing.T) {
	l := newLab(t, 9, "/ip dns static add name=nas.lan address=192.168.88.11")
	if l.srv.Addr() != nil {
		t.Fatal("listening with allow-remote-requests=no")
	}
	l.run(t, "/ip dns set allow-remote-requests=yes")
	addr := l.addr(t)
	if m, err := query(t, "udp", addr, "nas.lan", typeA); err != nil || m.rcode() != rcodeOK {
		t.Fatalf("allowed: %v %v", m, err)
	}
	l.run(t, "/ip dns set allow-remote-requests=no")
	if _, err := query(t, "udp", addr, "nas.lan", typeA); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("udp with remote requests off: %v, want connection refused", err)
	}
	if _, err := query(t, "tcp", addr, "nas.lan", typeA); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("tcp with remote requests off: %v, want connection refused", err)
	}
	l.run(t, "/ip dns set allow-remote-requests=yes")
	if got := l.addr(t); got != addr {
		t.Errorf("reopened on %s, want %s", got, addr)
	}
	if m, err := query(t, "tcp", addr, "nas.lan", typeA); err != nil || summary(m) != "NOERROR A:nas.lan=192.168.88.11/86400" {
		t.Errorf("allowed again: %v %v", m, err)
	}
}

func TestMalformedQueries(t *testing.T) {
	s := New("127.0.0.1:0", nil)
	ctx := context.Background()
	if resp := s.handle(ctx, []byte{0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a'}, false); len(resp) < headerLen || resp[0] != 0xab || resp[3]&0xf != rcodeFormErr {
		t.Errorf("cut query: % x", resp)
	}
	if resp := s.handle(ctx, []byte{1, 2}, false); resp != nil {
		t.Errorf("two bytes answered: % x", resp)
	}
	q := &message{id: 7, flags: flagQR, question: []question{{"x", typeA, classIN}}}
	b, _ := q.pack()
	if resp := s.handle(ctx, b, false); resp != nil {
		t.Error("a response was answered")
	}
	q = &message{id: 7, flags: 2 << 11, question: []question{{"x", typeA, classIN}}}
	b, _ = q.pack()
	if resp := s.handle(ctx, b, false); resp[3]&0xf != rcodeNotImp {
		t.Errorf("status opcode: % x", resp)
	}
}

// TestReadNameCompression checks the decoder on a hand-built message with
// a compressed CNAME target, and that re-encoding writes the name out.
func TestReadNameCompression(t *testing.T) {
	b := []byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 3, 'l', 'a', 'b', 0, 0, 5, 0, 1, // question www.lab CNAME
		0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 's', 'r', 'v', 0xc0, 16, // CNAME srv.lab
	}
	m, err := parse(b)
	if err != nil {
		t.Fatal(err)
	}
	target, _, err := readName(m.answer[0].data, 0)
	if err != nil || target != "srv.lab" || m.answer[0].name != "www.lab" {
		t.Errorf("cname = %q %q %v", m.answer[0].name, target, err)
	}
	b[len(b)-1] = 40 // a pointer forwards
	if _, err := parse(b); err == nil {
		t.Error("forward pointer accepted")
	}
}
