package config

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSimpleQueueTotalBurst: the total (both directions) queue's burst and
// bucket properties of a 7.x verbose export load and are stored, reported
// as not enforced with the other total-* settings, and exported again; the
// control, a property no simple queue has, is still refused.
func TestSimpleQueueTotalBurst(t *testing.T) {
	src := `/queue simple
add max-limit=20M/65M name=pppoe target=192.168.88.0/27 total-burst-limit=75M total-burst-threshold=5M total-burst-time=30s total-max-limit=75M
add max-limit=1M/1M name=bucket target=192.168.88.10/32 total-bucket-size=0.5
add max-limit=1M/1M name=bad target=192.168.88.11/32 total-burst-speed=1M
`
	r := New(Options{Ports: ports})
	got := findings(r.Validate(context.Background(), src, time.Second))
	if len(got) != 3 || !strings.HasPrefix(got[0], "2:1 stored-not-enforced total-burst-limit") ||
		!strings.HasPrefix(got[1], "3:1 stored-not-enforced total-bucket-size") ||
		!strings.Contains(got[2], "refused") || !strings.Contains(got[2], "total-burst-speed") {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
	r = New(Options{Ports: ports})
	run(t, r, strings.Join(strings.Split(src, "\n")[:3], "\n"))
	exp := r.Export()
	for _, want := range []string{"total-burst-limit=75M", "total-burst-threshold=5M", "total-burst-time=30s", "total-bucket-size=0.5"} {
		if !strings.Contains(exp, want) {
			t.Errorf("no %s in the export:\n%s", want, exp)
		}
	}
	var report []string
	for _, n := range r.NotEnforced() {
		if n.Path == "/queue simple" {
			report = append(report, n.Property)
		}
	}
	for _, want := range []string{"total-burst-limit", "total-burst-threshold", "total-burst-time", "total-bucket-size"} {
		if !slices.Contains(report, want) {
			t.Errorf("report %q lacks %s", report, want)
		}
	}
}

// TestQueueTypePairOneDirection: a tree entry and an interface queue take
// one queue type; a pair (a simple queue's upload/download) is refused,
// while the simple queue keeps taking one (the control).
func TestQueueTypePairOneDirection(t *testing.T) {
	src := `/queue type
add name=p1 kind=pcq pcq-rate=2M pcq-classifier=dst-address
add name=p2 kind=pcq pcq-rate=1M pcq-classifier=src-address
/queue tree
add name=t-pq parent=global queue=p1/p2 packet-mark=x
/queue interface
set ether1 queue=p1/default
/queue simple
add name=s target=192.168.88.10/32 max-limit=1M/1M queue=p2/p1
`
	r := New(Options{Ports: ports})
	got := findings(r.Validate(context.Background(), src, time.Second))
	want := []string{"2:1 accepted", "3:1 accepted",
		"5:29 refused input does not match any value of queue",
		"7:12 refused input does not match any value of queue",
		"9:1 accepted"}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
