// Package guard keeps the router up when one request trips over a bug of
// the emulator: each request boundary of the daemon (an API sentence, an
// SSH command, a script run, a scheduler tick, a DNS query, an FQDN
// callback) runs under Do, which turns a panic into a RouterOS-style error
// for that request and writes the stack to the log.
package guard

import (
	"fmt"
	"log/slog"
	"runtime/debug"
)

// Panic is the error a recovered panic becomes.
type Panic struct {
	Where string // the request boundary: "API sentence", "SSH command", ...
	Value any    // what was passed to panic
	Stack string
}

// Error is worded as RouterOS words failures; the details are in the log.
func (p *Panic) Error() string {
	return fmt.Sprintf("failure: internal error of the emulator in %s: %v", p.Where, p.Value)
}

// Do runs f and returns its error, or a *Panic when f panics; the panic
// and its stack go to log (nil: the default logger).
func Do(log *slog.Logger, where string, f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = Recovered(log, where, v)
		}
	}()
	return f()
}

// Recovered logs a value recover returned, with the stack of the panic,
// and returns it as a *Panic. It must be called from the deferred function
// that called recover, so that the stack is still the panic's.
func Recovered(log *slog.Logger, where string, v any) *Panic {
	p := &Panic{Where: where, Value: v, Stack: string(debug.Stack())}
	if log == nil {
		log = slog.Default()
	}
	log.Error("recovered from a panic; the router stays up", "where", where, "panic", fmt.Sprint(v), "stack", p.Stack)
	return p
}
