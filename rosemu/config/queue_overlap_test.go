package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestSimpleQueueTreeOverlapReported (forum36 D6): a simple queue and a
// queue tree under an interface can take the same packet; RouterOS passes
// it through both, rosemu's kernel puts it in the tree's class only, so
// the simple queue's limit is lost for it. validate marks the tree's line
// and the report lists the simple queues' max-limit as not enforced. The
// controls: the same simple queue with a tree under global (both in the
// one global HTB on RouterOS, a parent chain rosemu models), a tree under
// an interface alone, and a disabled simple queue, report nothing.
func TestSimpleQueueTreeOverlapReported(t *testing.T) {
	overlap := func(r *Router) string {
		for _, n := range r.NotEnforced() {
			if strings.Contains(n.Reason, "can take the same packet") {
				return n.String()
			}
		}
		return ""
	}
	src := `/queue simple
add max-limit=1M/1M name=server target=192.168.88.10/32
/queue tree
add max-limit=6M name=download packet-mark=no-mark parent=ether2
`
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), src, time.Second)
	got := findings(v)
	if len(got) != 2 || !strings.HasPrefix(got[0], "2:1 accepted") ||
		!strings.HasPrefix(got[1], "4:1 stored-not-enforced a simple queue and a queue tree under an interface (download) can take the same packet") {
		t.Errorf("findings:\n%s\nwant the tree's line marked", strings.Join(got, "\n"))
	}
	r = New(Options{Ports: ports})
	run(t, r, src)
	if rep := overlap(r); !strings.Contains(rep, "/queue simple max-limit: 1 (") {
		t.Errorf("report %q; want the simple queue's max-limit named", rep)
	}
	// The tree added first, the simple queue after: its line is marked.
	r = New(Options{Ports: ports})
	v = r.Validate(context.Background(), "/queue tree\nadd max-limit=6M name=download packet-mark=no-mark parent=ether2\n/queue simple\nadd max-limit=1M/1M name=server target=192.168.88.10/32\n", time.Second)
	if got := findings(v); len(got) != 2 || !strings.HasPrefix(got[0], "2:1 accepted") || !strings.Contains(got[1], "4:1 stored-not-enforced a simple queue and a queue tree") {
		t.Errorf("findings:\n%s\nwant the simple queue's line marked", strings.Join(got, "\n"))
	}

	for name, ctl := range map[string]string{
		"tree under global": `/queue simple
add max-limit=1M/1M name=server target=192.168.88.10/32
/queue tree
add max-limit=6M name=download packet-mark=no-mark parent=global`,
		"tree alone": `/queue tree
add max-limit=6M name=download packet-mark=no-mark parent=ether2`,
		"simple queue disabled": `/queue simple
add max-limit=1M/1M name=server target=192.168.88.10/32 disabled=yes
/queue tree
add max-limit=6M name=download packet-mark=no-mark parent=ether2`,
	} {
		r := New(Options{Ports: ports})
		run(t, r, ctl)
		if rep := overlap(r); rep != "" {
			t.Errorf("%s: reported %q; want nothing", name, rep)
		}
	}
}
