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
