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
