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
		got[2] != "4:54 refused expected end of command" {
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

// TestQueueKindV7Only (forum36 D4): kind=fq-codel and kind=cake came with
// RouterOS 7.1, so 6.49 refuses them at the value as it refuses a kind it
// does not know; the controls: 7.1 stores them (reported: the kernel has
// no such qdisc), and 6.49 keeps taking sfq.
func TestQueueKindV7Only(t *testing.T) {
	src := `/queue type
add kind=fq-codel name=fq
add kind=cake name=ck
add kind=bogus name=bg
add kind=sfq name=sf
`
	got := findings(New(Options{Ports: ports, Version: "6.49.18"}).Validate(context.Background(), src, time.Second))
	want := []string{"2:5 refused invalid value for argument kind", "3:5 refused invalid value for argument kind",
		"4:5 refused invalid value for argument kind",
		"5:1 stored-not-enforced kind: " + queueKindReason}
	if !slices.Equal(got, want) {
		t.Errorf("6.49.18 findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	got = findings(New(Options{Ports: ports, Version: "7.1"}).Validate(context.Background(), src, time.Second))
	want = []string{"2:1 stored-not-enforced kind: " + queueKindReason, "3:1 stored-not-enforced kind: " + queueKindReason,
		"4:5 refused invalid value for argument kind",
		"5:1 stored-not-enforced kind: " + queueKindReason}
	if !slices.Equal(got, want) {
		t.Errorf("7.1 findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
