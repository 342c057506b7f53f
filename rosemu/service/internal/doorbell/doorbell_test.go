package doorbell

import "testing"

func TestRingsCoalesce(t *testing.T) {
	var b Bell // the zero value, as managers declared as literals have
	b.Ring()
	b.Ring()
	b.Ring()
	select {
	case <-b.C():
	default:
		t.Fatal("no wake-up pending after Ring")
	}
	select {
	case <-b.C():
		t.Fatal("three rings left more than one wake-up")
	default:
	}
}

func TestSilentUntilRung(t *testing.T) {
	var b Bell
	select {
	case <-b.C():
		t.Fatal("a wake-up before any Ring")
	default:
	}
}

// TestLatestSeed: what a manager read from the engine when it started is
// kept only when the engine has not called Set since; a Set before the
// seed is newer than the seed's read and wins. Both ring.
func TestLatestSeed(t *testing.T) {
	var l Latest[[]string]
	l.Seed([]string{"read at start"})
	<-l.C()
	if got := l.Get(); len(got) != 1 || got[0] != "read at start" {
		t.Errorf("seed alone: %q", got)
	}
	l.Set([]string{"commit"})
	<-l.C()
	if got := l.Get(); got[0] != "commit" {
		t.Errorf("set after seed: %q", got)
	}

	var m Latest[[]string]
	m.Set([]string{"commit during the read"})
	m.Seed([]string{"stale read"})
	<-m.C()
	if got := m.Get(); got[0] != "commit during the read" {
		t.Errorf("a seed overwrote a newer set: %q", got)
	}
}
