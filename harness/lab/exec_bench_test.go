package lab

import (
	"context"
	"testing"
	"time"
)

// BenchmarkExec times one short command in a lab node both ways, in the
// same lab and run: through the node's command server (session.go) and as
// a docker exec of its own, and reports their ratio. A probe, a capture's
// pause and every artifact of a run is such a command.
func BenchmarkExec(b *testing.B) {
	spec, opts := labOrSkip(b)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := Up(ctx, spec, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = l.Down(context.Background()) }()
	m, _ := l.member("client1")
	cmd := []string{"labagent", "--help"}
	if _, err := l.Run(ctx, "client1", cmd); err != nil {
		b.Fatal(err)
	}
	if m.session == nil {
		b.Fatal("client1 has no command server")
	}
	var served, plain time.Duration
	n := 0
	for b.Loop() {
		// In turn, so that a busy moment of the machine slows both.
		t := time.Now()
		if _, err := l.Run(ctx, "client1", cmd); err != nil {
			b.Fatal(err)
		}
		served += time.Since(t)
		t = time.Now()
		if _, err := l.runIn(ctx, m.containerID, "client1", cmd); err != nil {
			b.Fatal(err)
		}
		plain += time.Since(t)
		n++
	}
	b.ReportMetric(float64(served.Microseconds())/float64(n)/1000, "served-ms/op")
	b.ReportMetric(float64(plain.Microseconds())/float64(n)/1000, "docker-exec-ms/op")
	b.ReportMetric(float64(plain)/float64(served), "docker/served")
}
