package config

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestInterfaceQueueCake (forum36 G1): a CAKE type's cake-bandwidth set as
// an interface queue reaches the kernel as that interface's rate, and the
// report leaves out the interface queue and cake-bandwidth while it keeps
// CAKE's kind and its other settings; the controls: an interface queue of
// a pfifo type, and of a CAKE type without cake-bandwidth, stay stored and
// reported.
func TestInterfaceQueueCake(t *testing.T) {
	src := `/queue type
add cake-bandwidth=3M cake-diffserv=besteffort kind=cake name=cake-down
add cake-bandwidth=2M kind=cake name=cake-up
add kind=cake name=cake-nobw
add kind=pfifo name=pf pfifo-limit=20
/queue interface
set ether2 queue=cake-down
set ether1 queue=cake-up
set ether3 queue=pf
set ether4 queue=cake-nobw
`
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3", "ether4"}, Version: "7.16"})
	got := findings(r.Validate(context.Background(), src, time.Second))
	if !slices.Contains(got, "7:1 accepted") || !slices.Contains(got, "8:1 accepted") ||
		!slices.Contains(got, "9:1 stored-not-enforced queue: "+queueReason) || !slices.Contains(got, "10:1 stored-not-enforced queue: "+queueReason) {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
	r = New(Options{Ports: []string{"ether1", "ether2", "ether3", "ether4"}, Version: "7.16"})
	run(t, r, src)
	if iq := r.State().InterfaceQueues; len(iq) != 2 || iq["ether2"] != 3e6 || iq["ether1"] != 2e6 {
		t.Errorf("kernel interface queues %v; want ether2 3M, ether1 2M", iq)
	}
	var report []string
	for _, n := range r.NotEnforced() {
		if strings.HasPrefix(n.Path, "/queue") {
			report = append(report, n.Path+" "+n.Property)
		}
	}
	if slices.Contains(report, "/queue type cake-bandwidth") || !slices.Contains(report, "/queue type kind") ||
		!slices.Contains(report, "/queue type cake-diffserv") || !slices.Contains(report, "/queue interface queue") {
		t.Errorf("report %q; want kind, cake-diffserv and the two stored interface queues, not cake-bandwidth", report)
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/queue interface" && n.Count != 2 {
			t.Errorf("%s; want the pfifo and the CAKE type without bandwidth (2)", n)
		}
	}
	// A CAKE type that a simple queue uses too: its bandwidth is not
	// applied there (the queue's max-limit is), so it is reported.
	run(t, r, "/queue simple\nadd max-limit=5M/5M name=s queue=cake-up/cake-up target=192.168.88.10/32")
	for _, n := range r.NotEnforced() {
		if n.Path == "/queue type" && n.Property == "cake-bandwidth" {
			// Its own reason, not the kind's "shaped by its rates
			// alone, with a FIFO" (forum57 N1).
			if !strings.Contains(n.Reason, "only where the type serves as an interface queue") {
				t.Errorf("cake-bandwidth's reason: %q", n.Reason)
			}
			return
		}
	}
	t.Errorf("cake-bandwidth of a type a simple queue uses is not reported")
}

// TestInterfaceQueueCakeUnshaped: a CAKE type set as the queue of an
// interface rosemu does not shape (a GRE tunnel) reaches no kernel queue,
// so the line is stored and the bandwidth reported, not accepted.
func TestInterfaceQueueCakeUnshaped(t *testing.T) {
	src := `/interface gre
add name=gre1 remote-address=198.51.100.9
/queue type
add cake-bandwidth=2M kind=cake name=cake-up
/queue interface
set gre1 queue=cake-up
`
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16"})
	got := findings(r.Validate(context.Background(), src, time.Second))
	if slices.Contains(got, "6:1 accepted") {
		t.Errorf("the GRE interface's CAKE queue reads accepted:\n%s", strings.Join(got, "\n"))
	}
	r = New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16"})
	run(t, r, src)
	if iq := r.State().InterfaceQueues; len(iq) != 0 {
		t.Errorf("kernel interface queues %v; want none", iq)
	}
	var bw, iface bool
	for _, n := range r.NotEnforced() {
		bw = bw || n.Path == "/queue type" && n.Property == "cake-bandwidth"
		iface = iface || n.Path == "/queue interface" && n.Property == "queue"
	}
	if !bw || !iface {
		t.Errorf("not enforced %v; want /queue type cake-bandwidth and /queue interface queue", r.NotEnforced())
	}
}
