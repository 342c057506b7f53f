package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// What an up PPP server session adds besides its address and route to the
// client, as the PPP AAA page of the manual describes
// (https://help.mikrotik.com/docs/display/ROS/PPP+AAA):
//
//   - the profile's rate-limit, "rx-rate[/tx-rate] [rx-burst-rate[/tx-burst-rate]
//     [rx-burst-threshold[/tx-burst-threshold] [rx-burst-time[/tx-burst-time]
//     [priority] [rx-rate-min[/tx-rate-min]]]]] from the point of view of the
//     router", is a dynamic simple queue of the session named and targeting
//     its interface (<pppoe-USER>), so rx limits what the client sends (the
//     queue's upload) and tx what it receives (download);
//   - the secret's routes, "dst-address gateway metric", several separated
//     by commas, are dynamic routes while the session is up.
//
// Both are derived from /ppp active each time the state is built, so they
// come with the session and go with it.

// pPPPRateLimit checks a profile's rate-limit: up to six fields, the rates
// and burst rates and thresholds as rate pairs, the burst times as time
// pairs, a priority 1..8 and the minimum rates as a rate pair.
func pPPPRateLimit(t *tx, name, v string) (string, error) {
	f := strings.Fields(v)
	if len(f) > 6 {
		return "", errInvalid(name)
	}
	for i, x := range f {
		var err error
		switch i {
		case 3:
			for _, d := range strings.Split(x, "/") {
				if _, ok := script.ParseTime(d); !ok {
					err = errInvalid(name)
				}
			}
		case 4:
			_, err = pInt(1, 8)(t, name, x)
		default:
			_, err = pRatePair(t, name, x)
		}
		if err != nil {
			return "", err
		}
	}
	return v, nil
}

// pppRateQueue reads a session's rate-limit into the queue the kernel
// enforces: the rates as max-limit (rx upload, tx download), the burst
// rates with their thresholds (the rates when unset) and times (1s when
// unset), as the PPP AAA page's rate-limit describes. ok is false when it
// limits nothing (no rate, or 0/0).
func pppRateQueue(v string) (up, down uint64, ub, db kernel.Burst, ok bool) {
	f := strings.Fields(v)
	if len(f) == 0 {
		return 0, 0, ub, db, false
	}
	field := func(i int) (string, string) {
		if i >= len(f) {
			return "", ""
		}
		return pairOf(f[i])
	}
	rx, tx := field(0)
	up, _ = parseRate(rx)
	down, _ = parseRate(tx)
	if up == 0 && down == 0 {
		return 0, 0, ub, db, false
	}
	if len(f) > 1 {
		bu, bd := field(1)
		tu, td := field(2)
		if tu == "" {
			tu, td = rx, tx
		}
		su, sd := field(3)
		if su == "" {
			su, sd = "1s", "1s"
		}
		ub, db = burstOf(bu, tu, su), burstOf(bd, td, sd)
	}
	return up, down, ub, db, true
}

// pppQueueItems are the dynamic /queue simple items of the up sessions
// with a rate-limit. [verify] RouterOS's place of them among the
// configured queues (the profile's insert-queue-before): rosemu puts them
// first, as a DHCP lease's.
func pppQueueItems(m *model) []*item {
	var out []*item
	for _, a := range upPPPSessions(m) {
		v := a.props["~rate-limit"]
		_, _, ub, db, ok := pppRateQueue(v)
		if !ok {
			continue
		}
		f := strings.Fields(v)
		props := map[string]string{"name": a.props["~interface"], "target": a.props["~interface"], "max-limit": f[0]}
		if p := pppParentQueue(m, a.props["~parent-queue"]); p != "" {
			props["parent"] = p
		}
		if len(f) > 1 {
			props["burst-limit"] = f[1]
			props["burst-threshold"] = strconv.FormatUint(ub.Threshold, 10) + "/" + strconv.FormatUint(db.Threshold, 10)
			props["burst-time"] = script.FormatTime(ub.Time) + "/" + script.FormatTime(db.Time)
		}
		out = append(out, &item{id: pppSrvQueueID + a.id&0xffffff, dynamic: true, props: props})
	}
	return out
}

// pppServerIface reports whether name is a PPP server session's
// interface: an up session's (<pppoe-alice>, <l2tp-bob>), the one a
// user with an enabled secret gets when the session comes up
// (<pppoe-USER>, <l2tp-USER>, <sstp-USER>: the name pppLogin gives it), or
// an enabled server binding's (/interface pppoe-server add name=pppoe-alice
// user=alice), which the user's session takes instead. A simple
// queue that targets it (a WISP's per-customer queue, written while the
// customer may be offline) shapes the session while it is up, as the
// session's own rate-limit queue does; while the session is down the
// interface has no link and the queue's rules take no packet (RouterOS
// shows such a queue's target as an interface that is not running
// [verify] how it prints it).
func pppServerIface(m *model, name string) bool {
	if slices.Contains(pppServerIfaceNames(m), name) {
		return true
	}
	for _, tbl := range []string{pppoeBindTable, l2tpBindTable, sstpBindTable} {
		for _, b := range m.tables[tbl] {
			if b.props["name"] == name && !b.disabled() {
				return true
			}
		}
	}
	// Whether RouterOS takes a queue target naming a session interface
	// that is not up yet is [verify]; a queue exported while the session
	// was up names it so.
	if !strings.HasPrefix(name, "<") || !strings.HasSuffix(name, ">") {
		return false
	}
	inner := name[1 : len(name)-1]
	for _, k := range []pppKind{pppoeKind, l2tpKind, sstpKind} {
		if user, ok := strings.CutPrefix(inner, k.service+"-"); ok {
			for _, s := range m.tables[pppSecretMenu.tableName()] {
				if s.props["name"] == user && !s.disabled() {
					return true
				}
			}
		}
	}
	return false
}

// pppKernelQueues are the sessions' queues for the kernel: an interface
// target, so what the client sends is upload and what it receives is
// download, under the profile's parent-queue when that is applied.
func pppKernelQueues(m *model) []kernel.SimpleQueue {
	var out []kernel.SimpleQueue
	for _, a := range upPPPSessions(m) {
		up, down, ub, db, ok := pppRateQueue(a.props["~rate-limit"])
		if !ok {
			continue
		}
		ifc := a.props["~interface"]
		out = append(out, kernel.SimpleQueue{Name: ifc, Interfaces: []string{ifc}, Upload: up, Download: down, UploadBurst: ub, DownloadBurst: db,
			Parent: pppParentQueue(m, a.props["~parent-queue"])})
	}
	return out
}

// pppParentQueue is the parent a session's rate-limit queue hangs under:
// the profile's parent-queue when it names an enabled simple queue rosemu
// applies, so that a plan's customers share the plan's total (PPP AAA
// page, parent-queue: "name of parent simple queue"); "" otherwise, and
// the queue stays on its own, as it did before f71 (D5) for every
// parent-queue. [verify] what RouterOS does with a name that is no queue.
func pppParentQueue(m *model, name string) string {
	if name == "" || name == "none" {
		return ""
	}
	if simpleQueueApplied(m, name) {
		return name
	}
	return ""
}

// simpleQueueApplied reports whether an enabled simple queue named name
// is among those the kernel enforces. It is set in init: the simple
// queues' menu shows the sessions' queues (pppQueueItems), so a direct
// call would make the menu's initialization depend on itself.
var simpleQueueApplied func(m *model, name string) bool

func init() {
	simpleQueueApplied = func(m *model, name string) bool {
		return slices.ContainsFunc(configuredQueues(m), func(q kernel.SimpleQueue) bool { return q.Name == name })
	}
}

// pppRoute is one route of a secret's routes.
type pppRoute struct {
	dst      netip.Prefix
	gateway  netip.Addr // invalid: none given
	distance int
}

// parsePPPRoutes reads a secret's routes: entries separated by commas,
// each "dst-address [gateway [metric]]". [verify] what RouterOS does with
// an entry without a gateway; rosemu routes it to the session's
// interface.
func parsePPPRoutes(v string) ([]pppRoute, bool) {
	var out []pppRoute
	for _, e := range strings.Split(v, ",") {
		f := strings.Fields(e)
		if len(f) == 0 {
			continue
		}
		if len(f) > 3 {
			return nil, false
		}
		p, err := netip.ParsePrefix(f[0])
		if err != nil {
			a, aerr := netip.ParseAddr(f[0])
			if aerr != nil {
				return nil, false
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if !p.Addr().Is4() {
			return nil, false
		}
		r := pppRoute{dst: p.Masked(), distance: 1}
		if len(f) > 1 {
			g, err := netip.ParseAddr(f[1])
			if err != nil || !g.Is4() {
				return nil, false
			}
			r.gateway = g
		}
		if len(f) > 2 {
			d, err := strconv.Atoi(f[2])
			if err != nil || d < 0 || d > 255 {
				return nil, false
			}
			r.distance = d
		}
		out = append(out, r)
	}
	return out, true
}

// pPPPRoutes checks a secret's routes.
func pPPPRoutes(_ *tx, name, v string) (string, error) {
	if _, ok := parsePPPRoutes(v); !ok {
		return "", errInvalid(name)
	}
	return v, nil
}

// pppSecretRoutes are the dynamic routes of the up sessions' secrets: to
// the gateway given, which is the client's address in the usual form, or
// to the session's interface without one.
func pppSecretRoutes(m *model) []*item {
	var out []*item
	for _, a := range upPPPSessions(m) {
		rs, _ := parsePPPRoutes(a.props["~routes"])
		for i, r := range rs {
			gw := a.props["~interface"]
			if r.gateway.IsValid() {
				gw = r.gateway.String()
			}
			out = append(out, &item{id: pppSrvSRouteID + (a.id&0xfff)<<8 + uint64(i&0xff), dynamic: true, props: map[string]string{
				"dst-address": r.dst.String(), "gateway": gw, "distance": strconv.Itoa(r.distance),
			}})
		}
	}
	return out
}
