package kernel

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ti-mo/conntrack"
	"github.com/ti-mo/netfilter"
)

// connection-rate. RouterOS: "Connection Rate calculates speed of
// connection based on change of connection-bytes. Connection Rate is
// recalculated every second and does not have any averages"
// (wiki.mikrotik.com, Manual:Connection_Rate). So a rule matches every
// packet of a connection whose rate over the last whole second lies in
// its range, and a connection's first second reads 0.
//
// The kernel has no such measurement (nft's limit is a token bucket, a
// policer), so rosemu measures: while some rule has connection-rate, a
// sampler dumps the router namespace's conntrack table once a second
// (one ctnetlink dump; nf_conntrack_acct is on, routerSysctls), takes
// each TCP and UDP connection's byte count in both directions, and
// computes its rate in bits/s over the time since the previous dump. Each
// rule has a set of ct ids (connRate renders it and the lookup): the
// measured connections that match, or where rate 0 matches the range
// (inverse) the measured ones that do not, so that a connection not
// measured yet (its first second) reads 0. The sampler brings every set to
// what the rates say in one nft transaction a second, adding and deleting
// only what changed; a connection that is gone from the table leaves the
// sets at the next dump (within a second), so no element timeout is
// needed, and none is used: a timeout would expire a live connection's
// element unless it were rewritten every second. The sampler runs only
// while the loaded ruleset has such a set, and stops with the router.
//
// Approximations: the second is the sampler's, not the connection's (a
// connection is first measured one to two seconds after it starts), and
// the rule sees the rate of the last sampled second until the next sample,
// as on RouterOS, plus the moment the nft transaction takes. Two live
// connections with the same ct id (a 32-bit hash) both read 0. The sets
// are keyed by ct id because nft (1.0.6) cannot parse a set of the
// original tuple (ct original proto-src in a concatenation).

// rateInterval is how often the rates are recalculated: every second.
const rateInterval = time.Second

// rateChunk is how many elements one nft statement carries.
const rateChunk = 2000

// ctKey tells a connection from a later one that got the same ct id.
type ctKey struct {
	proto    uint8
	src, dst netip.AddrPort
}

// ctSample is a connection's byte count (both directions) at a dump.
type ctSample struct {
	key   ctKey
	bytes uint64
}

// rateSet is one rule's set of ct ids.
type rateSet struct {
	spec connRateSpec
	// members are the ct ids the kernel's set holds; known is false when
	// that is not known (a failed transaction): the next update empties
	// the set first.
	members map[uint32]bool
	known   bool
}

// rateSampler measures the connections' rates and keeps the sets. Its
// fields are guarded by Dataplane.mu.
type rateSampler struct {
	sets map[string]*rateSet // by set name
	// prev is the last dump, by ct id; rates are the connections measured
	// at it (bits/s); at is its time.
	prev  map[uint32]ctSample
	rates map[uint32]uint64
	at    time.Time
	// dumpErr is the last dump's failure, setErr the last update's of the
	// sets, each "" after a success of its own: a reload that updates the
	// sets does not hide that the dumps fail.
	dumpErr, setErr string
	// published is the time of the dump whose rates the sets hold (zero
	// before the first); failedAt is when the sampler last began to fail.
	published, failedAt time.Time
	// faults are the changes between working and failing that the
	// sampler has not yet told onConnRate of.
	faults []ConnRateFault
	stop   chan struct{}
}

// ConnRateFault is a change of the connection-rate sampler between
// working and failing. Err is the failure ("" when the sampler works
// again); Since is when it began to fail; Measured is the time of the
// dump whose rates the rules still see (zero when no connection was ever
// measured): a connection that started after it reads 0.
type ConnRateFault struct {
	Err      string
	Since    time.Time
	Measured time.Time
}

// err is the sampler's failure, "" when it works.
func (s *rateSampler) err() string {
	if s.dumpErr != "" {
		return s.dumpErr
	}
	return s.setErr
}

// note records a change between working and failing (was is err() before
// the change) for onConnRate; a failure that only changes its words is
// no change, so that a sampler failing every second is told of once.
func (s *rateSampler) note(was string, at time.Time) {
	now := s.err()
	switch {
	case was == "" && now != "":
		s.failedAt = at
		s.faults = append(s.faults, ConnRateFault{Err: now, Since: at, Measured: s.published})
	case was != "" && now == "":
		s.faults = append(s.faults, ConnRateFault{Since: s.failedAt, Measured: s.published})
	}
}

// OnConnRate calls fn each time the connection-rate sampler begins to fail
// or works again, from the sampler's goroutine, outside the Dataplane's
// lock; fn must return quickly. rosemu writes it to the router's log, so
// that a run's report says the rules were not enforced (a failure was
// kept in ConnRateError only, which nothing read).
func (d *Dataplane) OnConnRate(fn func(ConnRateFault)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.onConnRate = fn
}

// connRateSets reads the connection-rate sets of a rendered ruleset: the
// name of each and the rule's value (connRate's comment line).
func connRateSets(text string) map[string]connRateSpec {
	out := map[string]connRateSpec{}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, connRateHead)
		if !ok || i+1 >= len(lines) {
			continue
		}
		v, _, _ := strings.Cut(rest, " ")
		name, ok := strings.CutPrefix(lines[i+1], "\tset ")
		if !ok {
			continue
		}
		name, _ = strings.CutSuffix(name, " {")
		if c, err := parseConnRate(v); err == nil {
			out[name] = c
		}
	}
	return out
}

// rateSetsLoaded tells the sampler that text is now the loaded ruleset:
// kept names the connection-rate sets the load left as they were (their
// members stay); every other set of text is new, so empty. It starts the
// sampler when text has such a set and stops it when it has none, and
// brings the new sets to the rates measured so far at once, so that a
// reload does not leave them empty for a second. The caller holds d.mu.
func (d *Dataplane) rateSetsLoaded(text string, kept map[string]bool) {
	specs := connRateSets(text)
	s := d.rates
	if len(specs) == 0 {
		if s != nil {
			close(s.stop)
			d.rates = nil
		}
		return
	}
	if s == nil {
		s = &rateSampler{sets: map[string]*rateSet{}, stop: make(chan struct{})}
		d.rates = s
		every := d.rateEvery
		if every == 0 {
			every = rateInterval
		}
		d.ratesWG.Add(1)
		go d.runRates(s, every)
	}
	sets := map[string]*rateSet{}
	for name, c := range specs {
		if old, ok := s.sets[name]; ok && kept[name] {
			old.spec = c
			sets[name] = old
			continue
		}
		sets[name] = &rateSet{spec: c, members: map[uint32]bool{}, known: true}
	}
	s.sets = sets
	d.publishRates()
}

// stopRates ends the sampler and waits for it (Close).
func (d *Dataplane) stopRates() {
	d.mu.Lock()
	if d.rates != nil {
		close(d.rates.stop)
		d.rates = nil
	}
	d.mu.Unlock()
	d.ratesWG.Wait()
}

// runRates is the sampler's loop: a dump every second, outside d.mu (it
// may take a while on a full table), then the rates and the sets under
// it, as Apply changes the sets under it too.
func (d *Dataplane) runRates(s *rateSampler, every time.Duration) {
	defer d.ratesWG.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	var ct *conntrack.Conn
	defer func() {
		if ct != nil {
			ct.Close()
		}
	}()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		var samples map[uint32]ctSample
		var err error
		if ct == nil {
			ct, err = d.dialConntrack()
		}
		at := time.Now()
		if err == nil {
			samples, err = dumpSamples(ct)
		}
		d.mu.Lock()
		select {
		case <-s.stop:
			d.mu.Unlock()
			return
		default:
		}
		was := s.err()
		if err != nil {
			s.dumpErr = err.Error()
			if ct != nil {
				ct.Close()
				ct = nil
			}
			s.note(was, at)
		} else {
			s.dumpErr = ""
			s.measure(samples, at)
			d.publishRates()
		}
		faults, hook := s.faults, d.onConnRate
		s.faults = nil
		d.mu.Unlock()
		if hook != nil {
			for _, f := range faults {
				hook(f)
			}
		}
	}
}

// dumpSamples reads every IPv4 TCP and UDP connection's byte count.
func dumpSamples(ct *conntrack.Conn) (map[uint32]ctSample, error) {
	flows, err := ct.DumpFilter(conntrack.NewFilter().Family(netfilter.ProtoIPv4), nil)
	if err != nil {
		return nil, fmt.Errorf("dump the conntrack table for connection-rate: %w", err)
	}
	out := make(map[uint32]ctSample, len(flows))
	var shared []uint32
	for _, f := range flows {
		o := f.TupleOrig
		if p := o.Proto.Protocol; p != 6 && p != 17 {
			continue
		}
		if _, ok := out[f.ID]; ok {
			shared = append(shared, f.ID)
		}
		out[f.ID] = ctSample{
			key: ctKey{proto: o.Proto.Protocol,
				src: netip.AddrPortFrom(o.IP.SourceAddress, o.Proto.SourcePort),
				dst: netip.AddrPortFrom(o.IP.DestinationAddress, o.Proto.DestinationPort)},
			bytes: f.CountersOrig.Bytes + f.CountersReply.Bytes,
		}
	}
	// A ct id is a 32-bit hash: among 30000 connections two share one
	// about once in ten tables. The rule cannot tell them apart, so
	// neither is measured: both read 0.
	for _, id := range shared {
		delete(out, id)
	}
	return out, nil
}

// measure takes a dump made at at: a connection that was in the previous
// dump gets its rate over the time between the two; a new one (or one
// whose count went back: another connection with the id) is not measured
// yet and reads 0.
func (s *rateSampler) measure(now map[uint32]ctSample, at time.Time) {
	rates := make(map[uint32]uint64, len(now))
	if dt := at.Sub(s.at).Seconds(); s.prev != nil && dt > 0 {
		for id, c := range now {
			p, ok := s.prev[id]
			if !ok || p.key != c.key || c.bytes < p.bytes {
				continue
			}
			// RouterOS's rates end at 4294967295 bit/s, so a faster
			// connection (a lab's veth carries 10 Gbit/s) reads the top
			// of the scale, and A-4294967295 means "A or faster"
			// [verify] what RouterOS reads above it.
			rates[id] = min(uint64(float64(c.bytes-p.bytes)*8/dt), maxConnRate)
		}
	}
	s.prev, s.rates, s.at = now, rates, at
}

// publishRates brings every set to the last rates in one nft transaction:
// the ids that join, the ids that leave (those whose connection is gone
// among them). A set whose members are not known is emptied first. On
// failure every set is unknown, so the next second rewrites them whole.
// The caller holds d.mu.
func (d *Dataplane) publishRates() {
	s := d.rates
	if s == nil {
		return
	}
	was := s.err()
	var b strings.Builder
	names := make([]string, 0, len(s.sets))
	for name := range s.sets {
		names = append(names, name)
	}
	sort.Strings(names)
	want := map[string]map[uint32]bool{}
	for _, name := range names {
		rs := s.sets[name]
		in := map[uint32]bool{}
		for id, rate := range s.rates {
			if rs.spec.matches(rate) != rs.spec.inverse() {
				in[id] = true
			}
		}
		want[name] = in
		var add, del []uint32
		if !rs.known {
			fmt.Fprintf(&b, "flush set ip %s %s\n", TableName, name)
			for id := range in {
				add = append(add, id)
			}
		} else {
			for id := range in {
				if !rs.members[id] {
					add = append(add, id)
				}
			}
			for id := range rs.members {
				if !in[id] {
					del = append(del, id)
				}
			}
		}
		elements(&b, "add", name, add)
		elements(&b, "delete", name, del)
	}
	if b.Len() > 0 {
		if _, err := run(d.ns, b.String(), d.nft, "-f", "-"); err != nil {
			s.setErr = fmt.Sprintf("update the connection-rate sets: %v", err)
			for _, rs := range s.sets {
				rs.known = false
			}
			s.note(was, time.Now())
			return
		}
	}
	for name, rs := range s.sets {
		rs.members, rs.known = want[name], true
	}
	s.setErr, s.published = "", s.at
	s.note(was, time.Now())
}

// elements writes "verb element" statements of ids into set name, in
// chunks.
func elements(b *strings.Builder, verb, name string, ids []uint32) {
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for len(ids) > 0 {
		n := min(len(ids), rateChunk)
		fmt.Fprintf(b, "%s element ip %s %s { ", verb, TableName, name)
		for i, id := range ids[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatUint(uint64(id), 10))
		}
		b.WriteString(" }\n")
		ids = ids[n:]
	}
}

// ConnRateError is the sampler's last failure to measure the connections
// or to update the connection-rate sets, "" when it works or is not
// running.
func (d *Dataplane) ConnRateError() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rates == nil {
		return ""
	}
	return d.rates.err()
}
