package dns

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/config"
)

// result is an answer to one question: its response code and the records
// of the answer and authority sections.
type result struct {
	rcode     int
	answer    []dns.RR
	authority []dns.RR
}

// withTTL returns a copy of res whose records have their TTLs mapped by f;
// the records are copied, so res's may be shared with other answers.
func (res result) withTTL(f func(uint32) uint32) result {
	out := result{rcode: res.rcode}
	for _, sec := range []struct{ from, to *[]dns.RR }{{&res.answer, &out.answer}, {&res.authority, &out.authority}} {
		for _, r := range *sec.from {
			r = dns.Copy(r)
			r.Header().Ttl = f(r.Header().Ttl)
			*sec.to = append(*sec.to, r)
		}
	}
	return out
}

// cache keeps upstream answers until their TTL ends, bounded in bytes
// (cache-size); when full it drops expired answers first, then the oldest.
type cache struct {
	mu      sync.Mutex
	entries map[string]*cached
	seq     uint64
	used    int
	limit   int
	// lastID numbers the answer records as they are cached, so that each
	// keeps its /ip dns cache id for as long as it stays.
	lastID uint64
}

type cached struct {
	res     result
	stored  time.Time
	expires time.Time
	size    int
	seq     uint64
	// ids are the ids of res.answer's records, in order.
	ids []uint64
}

// get returns a live answer with its TTLs reduced by the time it spent in
// the cache.
func (c *cache) get(key string, now time.Time) (result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return result{}, false
	}
	if !now.Before(e.expires) {
		c.drop(key)
		return result{}, false
	}
	age := uint32(now.Sub(e.stored) / time.Second)
	return e.res.withTTL(func(ttl uint32) uint32 { return ttl - min(ttl, age) }), true
}

// put stores res for ttl; an answer larger than the whole cache is not kept.
func (c *cache) put(key string, res result, ttl time.Duration, now time.Time) {
	size := len(key) + 64
	for _, sec := range [][]dns.RR{res.answer, res.authority} {
		for _, r := range sec {
			size += dns.Len(r)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*cached{}
	}
	c.drop(key)
	if size > c.limit {
		return
	}
	c.makeRoom(size, now)
	c.seq++
	ids := make([]uint64, len(res.answer))
	for i := range ids {
		c.lastID++
		ids[i] = c.lastID
	}
	c.entries[key] = &cached{res: res, stored: now, expires: now.Add(ttl), size: size, seq: c.seq, ids: ids}
	c.used += size
}

// records lists the answer records of the live cached answers, the oldest
// answer first, each with the time it has left as get gives it to a
// client. A negative answer (NXDOMAIN, no data) has no answer record and
// is not listed, although it is cached.
func (c *cache) records(now time.Time) []config.DNSCacheRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	var live []*cached
	for _, e := range c.entries {
		if now.Before(e.expires) {
			live = append(live, e)
		}
	}
	sort.Slice(live, func(i, j int) bool { return live[i].seq < live[j].seq })
	var out []config.DNSCacheRecord
	for _, e := range live {
		age := uint32(now.Sub(e.stored) / time.Second)
		for i, r := range e.res.answer {
			h := r.Header()
			typ, ok := dns.TypeToString[h.Rrtype]
			if !ok {
				typ = "TYPE" + strconv.Itoa(int(h.Rrtype))
			}
			out = append(out, config.DNSCacheRecord{
				ID:   e.ids[i],
				Name: strings.ToLower(strings.TrimSuffix(h.Name, ".")),
				Type: typ,
				Data: recordData(r),
				TTL:  time.Duration(h.Ttl-min(h.Ttl, age)) * time.Second,
			})
		}
	}
	return out
}

// recordData is a record's data as /ip dns cache all shows it: the
// address of an A or AAAA record, the name a CNAME, NS or PTR points to
// (no trailing dot), and for other types the record's text form after its
// header. [verify] RouterOS's form of the types other than A, AAAA and
// CNAME.
func recordData(r dns.RR) string {
	switch r := r.(type) {
	case *dns.A:
		return r.A.String()
	case *dns.AAAA:
		return r.AAAA.String()
	case *dns.CNAME:
		return strings.TrimSuffix(r.Target, ".")
	case *dns.NS:
		return strings.TrimSuffix(r.Ns, ".")
	case *dns.PTR:
		return strings.TrimSuffix(r.Ptr, ".")
	}
	return strings.TrimSpace(strings.TrimPrefix(r.String(), r.Header().String()))
}

// makeRoom evicts until size more bytes fit under the limit.
func (c *cache) makeRoom(size int, now time.Time) {
	if c.used+size <= c.limit {
		return
	}
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			c.drop(k)
		}
	}
	for c.used+size > c.limit && len(c.entries) > 0 {
		var oldest string
		var seq uint64
		for k, e := range c.entries {
			if oldest == "" || e.seq < seq {
				oldest, seq = k, e.seq
			}
		}
		c.drop(oldest)
	}
}

func (c *cache) drop(key string) {
	if e, ok := c.entries[key]; ok {
		c.used -= e.size
		delete(c.entries, key)
	}
}

// setLimit applies a new cache-size, evicting what no longer fits.
func (c *cache) setLimit(limit int, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit = limit
	c.makeRoom(0, now)
}

// size is the bytes in use.
func (c *cache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// flush empties the cache.
func (c *cache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.used = nil, 0
}
