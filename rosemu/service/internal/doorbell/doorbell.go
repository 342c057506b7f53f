// Package doorbell is the wake-up signal the service managers share: the
// configuration engine rings it under its own lock whenever the menu a
// manager follows may have changed, and the manager's loop re-reads the
// menu when it hears it.
package doorbell

import "sync"

// Bell coalesces rings into one pending wake-up, so Ring never blocks the
// engine however slow the manager is, and a burst of commits costs the
// manager one pass. The zero value is ready to use, so a manager declared
// as a struct literal can be rung before its Run starts.
type Bell struct {
	once sync.Once
	c    chan struct{}
}

func (b *Bell) ch() chan struct{} {
	b.once.Do(func() { b.c = make(chan struct{}, 1) })
	return b.c
}

// Ring leaves one wake-up pending; it never blocks.
func (b *Bell) Ring() {
	select {
	case b.ch() <- struct{}{}:
	default:
	}
}

// C is received from once per pending wake-up.
func (b *Bell) C() <-chan struct{} { return b.ch() }

// Latest is the configuration the engine last gave a manager, with the
// bell that says it changed. The zero value is ready to use.
type Latest[T any] struct {
	Bell
	mu  sync.Mutex
	v   T
	set bool
}

// Set stores v and rings; the engine calls it under its own lock.
func (l *Latest[T]) Set(v T) {
	l.mu.Lock()
	l.v, l.set = v, true
	l.mu.Unlock()
	l.Ring()
}

// Seed stores v, read from the engine when the manager's loop starts,
// unless the engine has already called Set: the read was made without the
// manager's lock (the engine calls Set holding its own, so the other order
// deadlocks), and a commit between the read and now is newer than it.
func (l *Latest[T]) Seed(v T) {
	l.mu.Lock()
	if !l.set {
		l.v, l.set = v, true
	}
	l.mu.Unlock()
	l.Ring()
}

// Get returns what was stored last.
func (l *Latest[T]) Get() T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.v
}
