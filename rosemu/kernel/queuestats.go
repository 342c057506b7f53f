package kernel

import (
	"fmt"
	"time"

	"github.com/vishvananda/netlink"
)

// Queue statistics. RouterOS shows a queue's counters (print stats, and
// the read-only bytes, packets, dropped, rate, packet-rate, queued-bytes,
// queued-packets of /queue simple, each an upload/download pair, and of
// /queue tree): what went through its HTB class. rosemu reads them from
// the kernel's HTB classes it built for the queue (queues.go,
// queuetree.go), summed over the interfaces that carry the class: an
// inner class counts what its children sent (HTB charges every level),
// a leaf's drops and backlog are its queue's. A reset keeps the counts
// at that moment as a base, and a rebuild of the queues (a change of the
// queues or interfaces) starts the kernel's counters again.
//
// The rate is the bytes between two readings over the time between
// them (RouterOS's rate is its own estimate over about a second
// [verify]). A sampler goroutine reads the counters every second while
// there are queues and keeps its last two readings; QueueStats takes the
// rate between its own reading and the sampler's, so it never waits for a
// second reading: the configuration reads the counters inside a
// transaction that holds the whole router, and a wait there held every
// other command with it. The kernel's own rate estimator (tc's
// "estimator" of a class) would do as well, but the netlink library
// rosemu builds the classes with cannot ask for one.

// QueueStat is one queue's (one direction's) counters.
type QueueStat struct {
	Bytes, Packets, Dropped    uint64
	QueuedBytes, QueuedPackets uint64
	Rate, PacketRate           uint64 // bits/s, packets/s
}

// QueueStats are the counters of the simple queues (by name, upload then
// download) and of the tree entries (by name).
type QueueStats struct {
	Simple map[string][2]QueueStat
	Tree   map[string]QueueStat
}

// queueSample is a reading of the counters, by queueStatKey, of the
// queues built in rebuild gen.
type queueSample struct {
	at    time.Time
	gen   uint64
	stats map[string]QueueStat
}

// queueSampleEvery is the sampler's interval; a rate is taken against a
// reading at least queueRateGap old (a shorter interval measures too few
// packets).
const (
	queueSampleEvery = time.Second
	queueRateGap     = 250 * time.Millisecond
)

// Add returns the sum of two counters (a simple queue's total-* values
// are its upload's and download's).
func (s QueueStat) Add(o QueueStat) QueueStat {
	return QueueStat{
		Bytes: s.Bytes + o.Bytes, Packets: s.Packets + o.Packets, Dropped: s.Dropped + o.Dropped,
		QueuedBytes: s.QueuedBytes + o.QueuedBytes, QueuedPackets: s.QueuedPackets + o.QueuedPackets,
		Rate: s.Rate + o.Rate, PacketRate: s.PacketRate + o.PacketRate,
	}
}

func simpleStatKey(name string, download bool) string {
	if download {
		return "s\x00" + name + "\x00d"
	}
	return "s\x00" + name + "\x00u"
}

func treeStatKey(name string) string { return "t\x00" + name }

// readQueueCounters reads the HTB classes of the last Apply's queues;
// the readings for a command (not the sampler's) are counted.
func (d *Dataplane) readQueueCounters(sampler bool) (*queueSample, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !sampler {
		d.queueReadings++
	}
	out := map[string]QueueStat{}
	smp := &queueSample{at: time.Now(), gen: d.queueGen, stats: out}
	st := d.last
	if st == nil || (len(st.Queues) == 0 && len(st.TreeQueues) == 0) {
		return smp, nil
	}
	keys := map[uint16]string{}
	for _, c := range simpleLayout(st) {
		if c.own {
			continue // an inner queue's own leaf: the queue's class counts it
		}
		keys[c.minor] = simpleStatKey(st.Queues[c.q].Name, c.download)
	}
	for _, c := range treeLayout(st) {
		keys[c.minor] = treeStatKey(c.q.Name)
	}
	for _, n := range st.shapedLinks() {
		l, err := d.nl.LinkByName(LinkName(n))
		if err != nil {
			continue // a session's link that is gone: nothing to count
		}
		classes, err := d.nl.ClassList(l, netlink.MakeHandle(queueMajor, 0))
		if err != nil {
			return nil, fmt.Errorf("read queue counters on interface %s: %w", n, err)
		}
		for _, c := range classes {
			maj, minor := netlink.MajorMinor(c.Attrs().Handle)
			k, ok := keys[minor]
			if maj != queueMajor || !ok || c.Attrs().Statistics == nil {
				continue
			}
			s := out[k]
			if b := c.Attrs().Statistics.Basic; b != nil {
				s.Bytes += b.Bytes
				s.Packets += uint64(b.Packets)
			}
			if q := c.Attrs().Statistics.Queue; q != nil {
				s.Dropped += uint64(q.Drops)
				s.QueuedBytes += uint64(q.Backlog)
				s.QueuedPackets += uint64(q.Qlen)
			}
			out[k] = s
		}
	}
	return smp, nil
}

// QueueStats returns the queues' counters since their last reset, with
// their rates: one reading, and the rate against the sampler's newest
// reading that is at least queueRateGap older (0 just after the queues
// were built, before the sampler has one).
func (d *Dataplane) QueueStats() (QueueStats, error) {
	cur, err := d.readQueueCounters(false)
	if err != nil {
		return QueueStats{}, err
	}
	now := cur.stats
	d.mu.Lock()
	var prev *queueSample
	for i := len(d.queueSamples) - 1; i >= 0; i-- {
		if p := d.queueSamples[i]; p != nil && p.gen == cur.gen && cur.at.Sub(p.at) >= queueRateGap {
			prev = p
			break
		}
	}
	base := d.queueBase
	st := d.last
	d.mu.Unlock()
	var dt float64
	if prev == nil {
		prev = &queueSample{}
	} else {
		dt = cur.at.Sub(prev.at).Seconds()
	}
	out := QueueStats{Simple: map[string][2]QueueStat{}, Tree: map[string]QueueStat{}}
	stat := func(k string) QueueStat {
		s := now[k]
		if p, ok := prev.stats[k]; ok && dt > 0 && s.Bytes >= p.Bytes && s.Packets >= p.Packets {
			s.Rate = uint64(float64(s.Bytes-p.Bytes) * 8 / dt)
			s.PacketRate = uint64(float64(s.Packets-p.Packets) / dt)
		}
		if b, ok := base[k]; ok && s.Bytes >= b.Bytes && s.Packets >= b.Packets && s.Dropped >= b.Dropped {
			s.Bytes, s.Packets, s.Dropped = s.Bytes-b.Bytes, s.Packets-b.Packets, s.Dropped-b.Dropped
		}
		return s
	}
	if st == nil {
		return out, nil
	}
	for _, q := range st.Queues {
		out.Simple[q.Name] = [2]QueueStat{stat(simpleStatKey(q.Name, false)), stat(simpleStatKey(q.Name, true))}
	}
	for _, q := range st.TreeQueues {
		out.Tree[q.Name] = stat(treeStatKey(q.Name))
	}
	return out, nil
}

// ResetQueueCounters zeroes the counters of the simple queues and tree
// entries named (reset-counters; reset-counters-all names them all).
func (d *Dataplane) ResetQueueCounters(simple, tree []string) error {
	cur, err := d.readQueueCounters(false)
	if err != nil {
		return fmt.Errorf("reset queue counters: %w", err)
	}
	now := cur.stats
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.queueBase == nil {
		d.queueBase = map[string]QueueStat{}
	}
	for _, n := range simple {
		for _, dl := range []bool{false, true} {
			d.queueBase[simpleStatKey(n, dl)] = now[simpleStatKey(n, dl)]
		}
	}
	for _, n := range tree {
		d.queueBase[treeStatKey(n)] = now[treeStatKey(n)]
	}
	return nil
}

// syncQueueSampler starts the sampler when there are queues and stops it
// when there are none. The caller holds d.mu.
func (d *Dataplane) syncQueueSampler(on bool) {
	if !on {
		if d.queueSampler != nil {
			close(d.queueSampler)
			d.queueSampler = nil
		}
		return
	}
	if d.queueSampler != nil {
		// A rebuild dropped the readings: without a reading at once a
		// print would show rate 0 until the next tick and the one after.
		select {
		case d.queueKick <- struct{}{}:
		default:
		}
		return
	}
	stop := make(chan struct{})
	d.queueSampler = stop
	d.queueKick = make(chan struct{}, 1)
	d.queueSamplerWG.Add(1)
	go d.runQueueSampler(stop, d.queueKick)
}

// stopQueueSampler ends the sampler and waits for it (Close).
func (d *Dataplane) stopQueueSampler() {
	d.mu.Lock()
	d.syncQueueSampler(false)
	d.mu.Unlock()
	d.queueSamplerWG.Wait()
}

// runQueueSampler is the sampler's loop: a reading at once, then every
// queueSampleEvery and whenever a rebuild kicks it, kept as the newest of
// the two when it is of the queues built now.
func (d *Dataplane) runQueueSampler(stop, kick chan struct{}) {
	defer d.queueSamplerWG.Done()
	t := time.NewTicker(queueSampleEvery)
	defer t.Stop()
	for {
		if smp, err := d.readQueueCounters(true); err == nil {
			// An error (an interface going away under a rebuild) leaves
			// the readings as they were: the next tick tries again.
			d.mu.Lock()
			if smp.gen == d.queueGen && d.queueSampler == stop {
				d.queueSamples = [2]*queueSample{d.queueSamples[1], smp}
			}
			d.mu.Unlock()
		}
		select {
		case <-stop:
			return
		case <-t.C:
		case <-kick:
		}
	}
}
