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
// a leaf's drops and backlog are its queue's. The rate is the bytes
// between two readings over the time between them: the previous reading
// when it is recent, else a second one a moment later (RouterOS's rate is
// its own estimate over about a second [verify]). A reset keeps the counts
// at that moment as a base, and a rebuild of the queues (a change of the
// queues or interfaces) starts the kernel's counters again.

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

// queueSample is a reading of the counters, by queueStatKey.
type queueSample struct {
	at    time.Time
	stats map[string]QueueStat
}

// queueRateWindow is how old a previous reading may be for the rate; a
// reading with none as recent waits queueRateGap for a second one.
const (
	queueRateWindow = 10 * time.Second
	queueRateGap    = 300 * time.Millisecond
)

func simpleStatKey(name string, download bool) string {
	if download {
		return "s\x00" + name + "\x00d"
	}
	return "s\x00" + name + "\x00u"
}

func treeStatKey(name string) string { return "t\x00" + name }

// readQueueCounters reads the HTB classes of the last Apply's queues.
func (d *Dataplane) readQueueCounters() (map[string]QueueStat, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]QueueStat{}
	st := d.last
	if st == nil || (len(st.Queues) == 0 && len(st.TreeQueues) == 0) {
		return out, nil
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
	return out, nil
}

// QueueStats returns the queues' counters since their last reset, with
// their rates.
func (d *Dataplane) QueueStats() (QueueStats, error) {
	now, err := d.readQueueCounters()
	if err != nil {
		return QueueStats{}, err
	}
	at := time.Now()
	d.mu.Lock()
	prev := d.queueSample
	d.mu.Unlock()
	if prev == nil || at.Sub(prev.at) > queueRateWindow || at.Sub(prev.at) < queueRateGap/2 {
		// No recent reading to take the rate from: a second one.
		prev = &queueSample{at: at, stats: now}
		time.Sleep(queueRateGap)
		if now, err = d.readQueueCounters(); err != nil {
			return QueueStats{}, err
		}
		at = time.Now()
	}
	dt := at.Sub(prev.at).Seconds()
	d.mu.Lock()
	d.queueSample = &queueSample{at: at, stats: now}
	base := d.queueBase
	st := d.last
	d.mu.Unlock()
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
	now, err := d.readQueueCounters()
	if err != nil {
		return fmt.Errorf("reset queue counters: %w", err)
	}
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
