package kernel

import (
	"fmt"
	"time"

	"github.com/vishvananda/netlink"
)

// Queue bursts. RouterOS lets a simple queue (each direction) or a queue
// tree entry exceed its max-limit for a while: every burst-time/16 the
// router takes the queue's average data rate over the last burst-time (16
// sub-periods of burst-time/16 each: the bytes of those 16 sub-periods,
// in bits, divided by burst-time). While that average is below
// burst-threshold, burst is allowed and the queue's max-limit is replaced
// by burst-limit; once the average reaches burst-threshold, burst is
// denied and max-limit holds again, until the average falls below the
// threshold. Burst-time is the averaging window, not how long a burst
// lasts: sending at burst-limit from idle, the burst lasts about
// burst-time * burst-threshold / burst-limit. A burst-limit of 0 (or not
// above max-limit) means no burst. Source: the "Queues" page of the
// manual (help.mikrotik.com, section Bursts) and the older wiki page
// "Manual:Queues - Burst", whose worked example (max-limit=2M,
// burst-limit=4M, burst-threshold=1500k, burst-time=8s) denies burst at
// the 3 s sample, when the average reaches the threshold.
//
// rosemu runs one controller goroutine per burst (a simple queue's
// direction, or a tree entry), started by syncQueues with the classes
// it builds and stopped when it builds them again or the Dataplane
// closes. Every burst-time/16 it reads the byte counter of the queue's
// HTB class on every interface that carries it (the kernel's class
// statistics), keeps the last 16 sub-periods, and changes the class's
// ceiling (and rate, where the rate is the max-limit) between burst-limit
// and max-limit. A PCQ queue's sub-stream classes follow their parent's
// ceiling the same way. Limits of the model: the class is one per
// interface, so the average is the sum over the interfaces the queue's
// traffic leaves by, as RouterOS's one queue would count it; a rebuild of
// the classes (a change to the queues or the interfaces) starts the
// window again from zero, as the counters do; the decision lags the
// traffic by at most one sub-period, as RouterOS's does.

// Burst is a queue's burst settings in one direction.
type Burst struct {
	// Limit and Threshold are burst-limit and burst-threshold in bits
	// per second.
	Limit, Threshold uint64
	// Time is burst-time, the window the average is taken over.
	Time time.Duration
}

// burstSubPeriods is how many samples make the window: RouterOS takes the
// average every 1/16 of burst-time.
const burstSubPeriods = 16

// Applies reports whether the burst does anything for a queue of
// max-limit maxLimit: a burst-limit above max-limit (a queue without
// max-limit is unlimited already, so has nothing to burst above), a
// burst-threshold (with 0 the average is never below it) and a
// burst-time (the window).
func (b Burst) Applies(maxLimit uint64) bool {
	return maxLimit > 0 && b.Limit > maxLimit && b.Threshold > 0 && b.Time > 0
}

// burstWindow is the last 16 sub-periods' byte counts of one queue.
type burstWindow struct {
	threshold uint64        // bits/s
	time      time.Duration // burst-time
	samples   [burstSubPeriods]uint64
	next      int
}

// add records the bytes of the sub-period just ended and reports whether
// burst is allowed for the next one: the average over the window is below
// burst-threshold.
func (w *burstWindow) add(bytes uint64) bool {
	w.samples[w.next] = bytes
	w.next = (w.next + 1) % burstSubPeriods
	return w.allowed()
}

// allowed reports whether the window's average is below burst-threshold;
// an empty window (a queue that sent nothing) allows burst.
func (w *burstWindow) allowed() bool {
	return w.average() < float64(w.threshold)
}

// average is the window's data rate in bits/s.
func (w *burstWindow) average() float64 {
	var sum uint64
	for _, s := range w.samples {
		sum += s
	}
	return float64(sum) * 8 / w.time.Seconds()
}

// burstSpec is one HTB class a burst changes: its place, and its rate
// and ceiling with burst denied (normal) and allowed (burst).
type burstSpec struct {
	parent, minor uint16
	normal, burst [2]uint64 // rate, ceil in bits/s
	prio, quantum uint32
}

// burstCtl is one burst's controller.
type burstCtl struct {
	name  string // the queue and its direction, for errors
	key   string // what it stands for, to carry the window over a rebuild
	links []string
	// classes are the queue's class, whose counter it reads, then its
	// PCQ sub-streams' classes.
	classes []burstSpec
	win     burstWindow
	on      bool              // burst allowed: the classes are at burst-limit
	last    map[string]uint64 // each link's counter at the last sample
	stop    chan struct{}
}

// burstPlan lists the bursts of st, with the interfaces their classes
// live on; syncQueues built those classes.
func burstPlan(st *State) []*burstCtl {
	var out []*burstCtl
	pcqs := pcqLayout(st)
	links := st.shapedLinks()
	pcqSpecs := func(minor uint16, normal, burst [2]uint64, prio uint32) []burstSpec {
		pc, ok := pcqs[minor]
		if !ok {
			return nil
		}
		var specs []burstSpec
		nr, nc := pcqChildRates(pc, normal[0], normal[1])
		br, bc := pcqChildRates(pc, burst[0], burst[1])
		for i := 0; i < pc.n; i++ {
			specs = append(specs, burstSpec{parent: pc.parent, minor: pc.base + uint16(i),
				normal: [2]uint64{nr, nc}, burst: [2]uint64{br, bc}, prio: prio, quantum: pcqQuantum})
		}
		return specs
	}
	for _, sc := range simpleLayout(st) {
		if sc.burstCeil == 0 {
			continue
		}
		q := st.Queues[sc.q]
		way := "upload"
		if sc.download {
			way = "download"
		}
		normal := [2]uint64{sc.rate, sc.ceil}
		burst := [2]uint64{sc.burstRate, sc.burstCeil}
		c := &burstCtl{name: fmt.Sprintf("simple queue %s %s", q.Name, way), links: links,
			classes: []burstSpec{{parent: sc.parentMinor, minor: sc.minor, normal: normal, burst: burst, prio: 7, quantum: sc.quantum}}}
		// A leaf's PCQ sub-streams follow its ceiling; an inner queue's
		// own leaf may always reach its burst-limit (simpleLayout), its
		// class holding it.
		if sc.leaf {
			c.classes = append(c.classes, pcqSpecs(sc.minor, normal, burst, 7)...)
		}
		c.key = fmt.Sprintf("simple %s %s %v", q.Name, way, sc.burst)
		c.win = burstWindow{threshold: sc.burst.Threshold, time: sc.burst.Time}
		out = append(out, c)
	}
	for _, tc := range treeLayout(st) {
		b := tc.q.Burst
		if !b.Applies(tc.q.MaxLimit) {
			continue
		}
		normalRate, normalCeil := treeRates(tc, tc.ceil)
		burstCeil := b.Limit
		if tc.upCeil > 0 {
			burstCeil = min(burstCeil, tc.upCeil)
		}
		if burstCeil <= normalCeil {
			continue // a parent's max-limit holds it to max-limit anyway
		}
		burstRate, _ := treeRates(tc, burstCeil)
		normal, burst := [2]uint64{normalRate, normalCeil}, [2]uint64{burstRate, burstCeil}
		prio := treePrio(tc.q)
		var on []string
		for _, n := range links {
			if tc.root == "global" || tc.root == n {
				on = append(on, n)
			}
		}
		c := &burstCtl{name: "queue tree " + tc.q.Name, links: on,
			classes: []burstSpec{{parent: tc.parentMinor, minor: tc.minor, normal: normal, burst: burst, prio: prio, quantum: 1514}}}
		c.classes = append(c.classes, pcqSpecs(tc.minor, normal, burst, prio)...)
		c.key = fmt.Sprintf("tree %s %v", tc.q.Name, b)
		c.win = burstWindow{threshold: b.Threshold, time: b.Time}
		out = append(out, c)
	}
	return out
}

// haltBursts stops the controllers before syncQueues takes their classes
// down, and returns them by key for startBursts. The caller holds d.mu.
func (d *Dataplane) haltBursts() map[string]*burstCtl {
	old := map[string]*burstCtl{}
	for _, c := range d.bursts {
		close(c.stop)
		old[c.key] = c
	}
	d.bursts = nil
	return old
}

// startBursts starts the controllers of the classes syncQueues built; a
// burst that was there before (in old) keeps its window, its queue's
// recent traffic, while the counters start again. The caller holds d.mu.
func (d *Dataplane) startBursts(st *State, old map[string]*burstCtl) {
	for _, c := range burstPlan(st) {
		if o, ok := old[c.key]; ok {
			c.win.samples, c.win.next = o.win.samples, o.win.next
		}
		c.last = map[string]uint64{}
		c.stop = make(chan struct{})
		// The classes were built at max-limit; an idle queue may burst
		// at once (its average is 0).
		c.set(d.nl, c.win.allowed())
		d.bursts = append(d.bursts, c)
		d.burstWG.Add(1)
		go d.runBurst(c)
	}
}

// stopBursts ends every controller and waits for them (Close).
func (d *Dataplane) stopBursts() {
	d.mu.Lock()
	for _, c := range d.bursts {
		close(c.stop)
	}
	d.bursts = nil
	d.mu.Unlock()
	d.burstWG.Wait()
}

// runBurst is a controller's loop. It works under d.mu, as Apply does, so
// that it never changes classes a rebuild is taking down: a rebuild
// closes stop under d.mu, and the loop looks at stop once it holds d.mu.
func (d *Dataplane) runBurst(c *burstCtl) {
	defer d.burstWG.Done()
	t := time.NewTicker(c.win.time / burstSubPeriods)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		d.mu.Lock()
		select {
		case <-c.stop:
			d.mu.Unlock()
			return
		default:
		}
		c.set(d.nl, c.win.add(c.sample(d.nl)))
		d.mu.Unlock()
	}
}

// sample is the bytes the queue's class sent since the last sample, on all
// its interfaces. An interface that is gone (a PPPoE session that ended)
// or whose class is gone counts nothing; a counter that went back (the
// class was built again) counts from zero.
func (c *burstCtl) sample(h *netlink.Handle) uint64 {
	var total uint64
	want := netlink.MakeHandle(queueMajor, c.classes[0].minor)
	for _, n := range c.links {
		l, err := h.LinkByName(LinkName(n))
		if err != nil {
			delete(c.last, n)
			continue
		}
		classes, err := h.ClassList(l, netlink.MakeHandle(queueMajor, 0))
		if err != nil {
			continue
		}
		for _, cl := range classes {
			a := cl.Attrs()
			if a.Handle != want || a.Statistics == nil || a.Statistics.Basic == nil {
				continue
			}
			now := a.Statistics.Basic.Bytes
			if prev, ok := c.last[n]; ok && now >= prev {
				total += now - prev
			} else {
				total += now
			}
			c.last[n] = now
		}
	}
	return total
}

// set puts the classes at burst-limit (on) or max-limit, when that is not
// where they are. An interface that is gone is passed over: its classes
// went with it.
func (c *burstCtl) set(h *netlink.Handle, on bool) {
	if on == c.on {
		return
	}
	c.on = on
	for _, n := range c.links {
		l, err := h.LinkByName(LinkName(n))
		if err != nil {
			continue
		}
		for _, s := range c.classes {
			r := s.normal
			if on {
				r = s.burst
			}
			cl := newHTBClass(netlink.ClassAttrs{LinkIndex: l.Attrs().Index, Parent: netlink.MakeHandle(queueMajor, s.parent),
				Handle: netlink.MakeHandle(queueMajor, s.minor)},
				netlink.HtbClassAttrs{Rate: r[0], Ceil: r[1], Prio: s.prio, Quantum: s.quantum})
			// An error is a class that is not there (its interface
			// lost it); the next rebuild makes it again.
			_ = h.ClassChange(cl)
		}
	}
}
