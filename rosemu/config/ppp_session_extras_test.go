package config

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

const pppExtrasConfig = `/ppp profile add name=plan-2M local-address=10.77.0.1 rate-limit="2M/4M 3M/6M 1M/2M 8s/8s"
/ppp profile add name=flat local-address=10.77.0.1
/ppp secret add name=alice password=a1 profile=plan-2M remote-address=10.77.0.50 routes="10.99.0.0/24 10.77.0.50 1,10.98.0.0/16"
/ppp secret add name=bob password=b2 profile=flat remote-address=10.77.0.60
/interface pppoe-server server add interface=ether2 service-name=isp default-profile=flat disabled=no
`

// srvSessionUp logs user in on the router's only PPPoE server and brings the
// session up.
func srvSessionUp(t *testing.T, r *Router, user, pass string) string {
	t.Helper()
	srv := r.PPPoEServers()
	g, err := r.PPPoELogin(srv[0].ID, user, knows(pass), "02:00:00:00:00:0a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.PPPoESessionUp(g.ID, 1480); err != nil {
		t.Fatal(err)
	}
	return g.ID
}

// TestPPPRateLimitQueue: a profile's rate-limit is a dynamic simple queue
// of the session's interface while it is up (rx = upload, tx = download,
// the bursts after them), shown by /queue simple print; a session of a
// profile without one has none (the control), and the queue goes with
// the session.
func TestPPPRateLimitQueue(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k, PPPoEServer: &recordingPPPoEServer{}})
	run(t, r, pppExtrasConfig)
	if len(r.State().Queues) != 0 {
		t.Fatalf("queues before any session: %+v", r.State().Queues)
	}
	srvSessionUp(t, r, "bob", "b2")
	if q := r.State().Queues; len(q) != 0 {
		t.Errorf("a session without rate-limit made queues %+v", q)
	}
	id := srvSessionUp(t, r, "alice", "a1")
	want := kernel.SimpleQueue{Name: "<pppoe-alice>", Interfaces: []string{"<pppoe-alice>"}, Upload: 2e6, Download: 4e6,
		UploadBurst:   kernel.Burst{Limit: 3e6, Threshold: 1e6, Time: 8 * time.Second},
		DownloadBurst: kernel.Burst{Limit: 6e6, Threshold: 2e6, Time: 8 * time.Second}}
	if q := r.State().Queues; len(q) != 1 || q[0].Name != want.Name || !slices.Equal(q[0].Interfaces, want.Interfaces) ||
		q[0].Upload != want.Upload || q[0].Download != want.Download || q[0].UploadBurst != want.UploadBurst || q[0].DownloadBurst != want.DownloadBurst {
		t.Fatalf("queues = %+v, want %+v", q, want)
	}
	out := run(t, r, "/queue simple print")
	if !strings.Contains(out, "<pppoe-alice>") || !strings.Contains(out, "2M/4M") {
		t.Errorf("/queue simple print:\n%s", out)
	}
	if got := run(t, r, `:put [/queue simple get [find name="<pppoe-alice>"] dynamic]`); got != "true\n" {
		t.Errorf("dynamic = %q", got)
	}
	if _, ok := r.PPPoESessionDown(id, ""); !ok {
		t.Fatal("session down")
	}
	if q := r.State().Queues; len(q) != 0 {
		t.Errorf("queues after the session ended: %+v", q)
	}
	if out := run(t, r, "/queue simple print"); strings.Contains(out, "pppoe-alice") {
		t.Errorf("/queue simple print after the session:\n%s", out)
	}
}

// TestPPPRateLimitDefaults: one rate is both directions; a burst rate
// without threshold and time takes the rate and 1s (PPP AAA page).
func TestPPPRateLimitDefaults(t *testing.T) {
	up, down, ub, db, ok := pppRateQueue("1M 2M")
	if !ok || up != 1e6 || down != 1e6 || ub != (kernel.Burst{Limit: 2e6, Threshold: 1e6, Time: time.Second}) || db != ub {
		t.Errorf("1M 2M: %d %d %+v %+v %v", up, down, ub, db, ok)
	}
	if _, _, _, _, ok := pppRateQueue("0/0"); ok {
		t.Error("0/0 limits nothing, want no queue")
	}
}

// TestPPPSecretRoutes: the secret's routes are routes of the kernel while
// the session is up, with the metric as distance and the session's
// interface where no gateway is given; they go with the session, and a
// bad value is refused.
func TestPPPSecretRoutes(t *testing.T) {
	r := New(Options{Ports: ports, Kernel: &fakeKernel{}, PPPoEServer: &recordingPPPoEServer{}})
	run(t, r, pppExtrasConfig)
	has := func(dst, gw string, d int) bool {
		return slices.ContainsFunc(r.State().Routes, func(kr kernel.Route) bool {
			return kr.Dst == netip.MustParsePrefix(dst) && kr.Gateway == gw && kr.Distance == d
		})
	}
	if has("10.99.0.0/24", "10.77.0.50", 1) {
		t.Fatal("route before the session")
	}
	id := srvSessionUp(t, r, "alice", "a1")
	if !has("10.99.0.0/24", "10.77.0.50", 1) || !has("10.98.0.0/16", "<pppoe-alice>", 1) {
		t.Errorf("routes = %+v", r.State().Routes)
	}
	if got := run(t, r, `:put [/ip route get [find dst-address=10.99.0.0/24] dynamic]`); got != "true\n" {
		t.Errorf("dynamic = %q", got)
	}
	r.PPPoESessionDown(id, "")
	if has("10.99.0.0/24", "10.77.0.50", 1) {
		t.Error("route stayed after the session ended")
	}
	for _, bad := range []string{`"10.99.0.0/24 nogw 1"`, `"10.99.0.0/24 10.77.0.50 1 extra"`, `"banana"`} {
		if _, err := r.Run(context.Background(), "/ppp secret set alice routes="+bad); err == nil {
			t.Errorf("routes=%s accepted", bad)
		}
	}
}

// TestPPPSessionQueueTarget: a configured simple queue whose target is a
// PPP server session's interface (a server binding's name, written while
// the customer is offline, or the dynamic <pppoe-USER> of an up session)
// is applied with that interface as its target, as a profile's rate-limit
// queue is; so is <pppoe-USER> written before USER dials, when USER has a
// secret. A queue naming no interface and no user's session stays stored
// (the controls). Before f71 both were stored and reported as not applied, so
// the per-customer queue of a WISP's export limited nothing.
func TestPPPSessionQueueTarget(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k, PPPoEServer: &recordingPPPoEServer{}})
	run(t, r, pppExtrasConfig+`/interface pppoe-server add name=pppoe-bob service=isp user=bob
/queue simple add name=bob-3M target=pppoe-bob max-limit=3M/3M
/queue simple add name=nobody target=pppoe-carol max-limit=1M/1M
/queue simple add name=alice-pre target=<pppoe-alice> max-limit=1M/1M
/queue simple add name=carol-pre target=<pppoe-carol> max-limit=1M/1M
`)
	queue := func(name string) (kernel.SimpleQueue, bool) {
		for _, q := range r.State().Queues {
			if q.Name == name {
				return q, true
			}
		}
		return kernel.SimpleQueue{}, false
	}
	notApplied := func() string {
		var out []string
		for _, n := range r.NotEnforced() {
			if n.Path == "/queue simple" {
				out = append(out, n.Property+": "+n.Reason)
			}
		}
		return strings.Join(out, "; ")
	}
	if q, ok := queue("bob-3M"); !ok || !slices.Equal(q.Interfaces, []string{"pppoe-bob"}) || q.Upload != 3e6 || q.Download != 3e6 {
		t.Errorf("the binding's queue before bob dials: %+v, %v; queues %+v", q, ok, r.State().Queues)
	}
	if got := notApplied(); strings.Contains(got, "pppoe-alice") || strings.Contains(got, "pppoe-bob") {
		t.Errorf("before anyone dials, not applied: %s", got)
	}
	if q, ok := queue("alice-pre"); !ok || !slices.Equal(q.Interfaces, []string{"<pppoe-alice>"}) {
		t.Errorf("the queue written before alice dials: %+v, %v", q, ok)
	}
	srvSessionUp(t, r, "bob", "b2")
	if q, ok := queue("bob-3M"); !ok || !slices.Equal(q.Interfaces, []string{"pppoe-bob"}) {
		t.Errorf("the binding's queue with bob up: %+v, %v", q, ok)
	}
	srvSessionUp(t, r, "alice", "a1")
	run(t, r, `/queue simple add name=alice-1M target=<pppoe-alice> max-limit=1M/1M`)
	if q, ok := queue("alice-1M"); !ok || !slices.Equal(q.Interfaces, []string{"<pppoe-alice>"}) || q.Download != 1e6 {
		t.Errorf("the queue on alice's session interface: %+v, %v; queues %+v", q, ok, r.State().Queues)
	}
	if q, ok := queue("alice-pre"); !ok || !slices.Equal(q.Interfaces, []string{"<pppoe-alice>"}) {
		t.Errorf("the queue written before alice dialled: %+v, %v", q, ok)
	}
	for _, n := range []string{"nobody", "carol-pre"} {
		if _, ok := queue(n); ok {
			t.Errorf("queue %s, naming no interface and no user's session, was applied", n)
		}
	}
	if got := notApplied(); !strings.Contains(got, "target=pppoe-carol") || !strings.Contains(got, "target=<pppoe-carol>") ||
		strings.Contains(got, "pppoe-bob") || strings.Contains(got, "pppoe-alice") {
		t.Errorf("not applied: %s", got)
	}
}

// TestPPPAAAReason: /ppp aaa (RADIUS for PPP, accounting) is reported
// stored in words of its own: no RADIUS request and no accounting record
// is sent, the local secrets decide. It carried the PPP servers' reason
// ("this server is stored and makes no tunnel") before f71 (N1).
func TestPPPAAAReason(t *testing.T) {
	r := New(Options{Ports: ports})
	v := r.Validate(context.Background(), "/ppp aaa set use-radius=yes accounting=yes interim-update=5m\n", time.Second)
	got := strings.Join(findings(v), "\n")
	if !strings.Contains(got, "1:1 stored-not-enforced") || !strings.Contains(got, "RADIUS") || strings.Contains(got, "makes no tunnel") {
		t.Errorf("findings:\n%s", got)
	}
}

// TestPPPRateLimitParentQueue: a profile's parent-queue hangs the
// session's rate-limit queue under that simple queue (PPP AAA page:
// "parent-queue: name of parent simple queue"), so a plan's customers
// share the plan's total; a parent-queue that names no applied queue
// leaves the session's queue on its own and is reported (the control).
// Before f71 (D5) parent-queue was stored only.
func TestPPPRateLimitParentQueue(t *testing.T) {
	src := `/queue simple add name=plan target=10.77.0.0/24 max-limit=1M/1M
/ppp profile add name=in-plan local-address=10.77.0.1 rate-limit=3M/3M parent-queue=plan
/ppp profile add name=astray local-address=10.77.0.1 rate-limit=3M/3M parent-queue=nothing
/ppp secret add name=alice password=a1 profile=in-plan remote-address=10.77.0.50
/ppp secret add name=bob password=b2 profile=astray remote-address=10.77.0.60
/interface pppoe-server server add interface=ether2 service-name=isp disabled=no
`
	v := New(Options{Ports: ports}).Validate(context.Background(), src, time.Second)
	got := strings.Join(findings(v), "\n")
	if strings.Contains(got, "2:1 stored") || !strings.Contains(got, "3:1 stored-not-enforced parent-queue") {
		t.Errorf("findings:\n%s", got)
	}
	r := New(Options{Ports: ports, Kernel: &fakeKernel{}, PPPoEServer: &recordingPPPoEServer{}})
	run(t, r, src)
	srvSessionUp(t, r, "alice", "a1")
	srvSessionUp(t, r, "bob", "b2")
	parent := map[string]string{}
	for _, q := range r.State().Queues {
		parent[q.Name] = q.Parent
	}
	if p, ok := parent["<pppoe-alice>"]; !ok || p != "plan" {
		t.Errorf("alice's queue: parent %q (%v), want plan; queues %v", p, ok, parent)
	}
	if p, ok := parent["<pppoe-bob>"]; !ok || p != "" {
		t.Errorf("bob's queue: parent %q (%v), want none", p, ok)
	}
	if out := run(t, r, `:put [/queue simple get [find name="<pppoe-alice>"] parent]`); out != "plan\n" {
		t.Errorf("/queue simple parent of alice's queue: %q", out)
	}
}

// TestPPPSessionTimeout: a profile's session-timeout ("maximum time the
// connection can stay up", PPP AAA page) and idle-timeout reach the
// session the server carries, which ends it when the time is up; a profile
// without them gives none (the control). Before f71 (D6, D8) they were
// stored only, and a prepaid customer's session lasted for ever.
func TestPPPSessionTimeout(t *testing.T) {
	src := `/ppp profile add name=prepaid local-address=10.77.0.1 session-timeout=1h30m idle-timeout=10m
/ppp profile add name=flat local-address=10.77.0.1
/ppp secret add name=alice password=a1 profile=prepaid remote-address=10.77.0.50
/ppp secret add name=bob password=b2 profile=flat remote-address=10.77.0.60
/interface pppoe-server server add interface=ether2 service-name=isp default-profile=flat disabled=no
`
	v := New(Options{Ports: ports}).Validate(context.Background(), src, time.Second)
	if got := strings.Join(findings(v), "\n"); strings.Contains(got, "session-timeout") || strings.Contains(got, "idle-timeout") {
		t.Errorf("findings:\n%s", got)
	}
	r := New(Options{Ports: ports, Kernel: &fakeKernel{}, PPPoEServer: &recordingPPPoEServer{}})
	run(t, r, src)
	up := func(user, pass string) PPPSession {
		g, err := r.PPPoELogin(r.PPPoEServers()[0].ID, user, knows(pass), "02:00:00:00:00:0a")
		if err != nil {
			t.Fatal(err)
		}
		s, err := r.PPPoESessionUp(g.ID, 1480)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := up("alice", "a1"); s.SessionTimeout != 90*time.Minute || s.IdleTimeout != 10*time.Minute {
		t.Errorf("alice's session timeout %s, idle timeout %s; want 1h30m and 10m", s.SessionTimeout, s.IdleTimeout)
	}
	if s := up("bob", "b2"); s.SessionTimeout != 0 || s.IdleTimeout != 0 {
		t.Errorf("bob's session timeout %s, idle timeout %s; want none", s.SessionTimeout, s.IdleTimeout)
	}
}

// TestPPPProfileStoredAllNamed: a PPP profile line with several stored
// settings names each of them, as a routing line does: a WISP's profile
// with incoming-filter and a bridge said only "incoming-filter", so the
// bridge read as applied (f71 N5).
func TestPPPProfileStoredAllNamed(t *testing.T) {
	v := New(Options{Ports: ports}).Validate(context.Background(), "/ppp profile add name=p local-address=10.77.0.1 incoming-filter=ppp-in bridge=bridge1 session-timeout=1h\n", time.Second)
	got := strings.Join(findings(v), "\n")
	if !strings.Contains(got, "1:1 stored-not-enforced incoming-filter, bridge: rosemu's PPP sessions apply") || strings.Contains(got, "session-timeout:") {
		t.Errorf("findings:\n%s", got)
	}
}
