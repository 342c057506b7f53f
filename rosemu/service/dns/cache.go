package dns

import (
	"sync"
	"time"

	"github.com/miekg/dns"
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
}

type cached struct {
	res     result
	stored  time.Time
	expires time.Time
	size    int
	seq     uint64
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
	c.entries[key] = &cached{res: res, stored: now, expires: now.Add(ttl), size: size, seq: c.seq}
	c.used += size
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
