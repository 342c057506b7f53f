package cloud

import (
	"errors"
	"net"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"
)

// StandIn is the server side of the stand-in protocol: what the lab's
// public DNS node runs in place of MikroTik's cloud (labagent node
// --serve cloud). An update publishes <serial>.sn.mynetname.net with the
// source address the request came from; a delete withdraws it. Records
// stay until deleted, as the real cloud keeps a router's last address.
type StandIn struct {
	// TTL is the TTL of published records: 60 s at MikroTik.
	TTL time.Duration

	mu      sync.Mutex
	records map[string]Record
}

// Record is one published A record.
type Record struct {
	Name    string     `json:"name"`
	Type    string     `json:"type"`
	Address netip.Addr `json:"address"`
	TTL     int        `json:"ttl"`
	Serial  string     `json:"serial"`
	Updated time.Time  `json:"updated"`
}

// Handle answers one request datagram that came from from.
func (s *StandIn) Handle(req []byte, from netip.Addr) []byte {
	op, serial, err := ParseRequest(req)
	if err != nil {
		return ErrorReply(err.Error())
	}
	from = from.Unmap()
	name := DNSName(serial)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.records == nil {
		s.records = map[string]Record{}
	}
	if op == OpDelete {
		delete(s.records, name)
		return OKReply(netip.Addr{})
	}
	if !from.Is4() {
		return ErrorReply("only IPv4 senders are published")
	}
	s.records[name] = Record{Name: name, Type: "A", Address: from, TTL: int(s.TTL / time.Second), Serial: strings.ToLower(serial), Updated: time.Now().UTC()}
	return OKReply(from)
}

// Lookup answers a DNS question for name (any case, trailing dot or not).
func (s *StandIn) Lookup(name string) (netip.Addr, uint32, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[name]
	return r.Address, uint32(r.TTL), ok
}

// Records returns the published records sorted by name.
func (s *StandIn) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, 0, len(s.records))
	for _, r := range s.records {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Serve answers requests on pc until it is closed; it returns nil then.
func (s *StandIn) Serve(pc net.PacketConn, logf func(string, ...any)) error {
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		ua, ok := from.(*net.UDPAddr)
		if !ok {
			continue
		}
		resp := s.Handle(buf[:n], ua.AddrPort().Addr())
		logf("cloud: %s from %s: %s", strings.TrimSpace(string(buf[:n])), from, resp)
		if _, err := pc.WriteTo(resp, from); err != nil {
			logf("cloud: answer %s: %v", from, err)
		}
	}
}
