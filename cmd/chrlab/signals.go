package main

import (
	"os"
	"os/signal"
	"syscall"
)

// interrupts end a run early, each with its cleanup: Ctrl-C, SIGTERM
// (docker stop, CI cancelling a job) and SIGHUP (the terminal was closed).
var interrupts = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// survivePipes keeps chrlab alive when its output pipe closes
// (`chrlab lab ... | head`). Go's runtime, unless SIGPIPE is ignored or
// notified, ends the process with SIGPIPE on a write to a broken pipe on
// fd 1 or 2: in the middle of a lab, without tearing it down. Ignored, the
// write fails with EPIPE instead, the output is lost (nobody reads it) and
// the run ends as usual, removing what it made. It is ignored rather than
// notified, because a notified SIGPIPE also arrives for sockets (an SSH
// session to a restarting router), which must not end the run.
func survivePipes() { signal.Ignore(syscall.SIGPIPE) }
