package kernel

import (
	"fmt"
	"strconv"
	"strings"
)

// refusedActions are RouterOS actions rosemu does not model; a rule that
// uses one is refused rather than rendered without its action.
var refusedActions = map[string]string{
	"fasttrack-route": "fasttrack-route is not modelled",
}

// approximatedActions are RouterOS actions rosemu renders as an
// approximation: tarpit as drop (the connection is refused service either
// way, without tarpit's SYN-ACK that holds it open), and the actions that
// only change what rosemu does not model (the packet priority for queues,
// the DF flag, IPv4 options, copies to a sniffer) as a rule that only
// counts. The configuration layer reports each such rule.
var approximatedActions = map[string]string{
	"tarpit":             "drop",
	"set-priority":       "",
	"clear-df":           "",
	"strip-ipv4-options": "",
	"sniff-tzsp":         "",
	"sniff-pc":           "",
	"route":              "",
}

// extraAction renders the actions of mangle and raw and the address-list
// actions of every table. handled is false for actions it does not know.
func (r *ruleCtx) extraAction(act string) (stmt, note string, handled bool, err error) {
	if why, ok := refusedActions[act]; ok {
		return "", "", true, fmt.Errorf("render action=%s: not supported by rosemu (%s)", act, why)
	}
	if stmt, ok := approximatedActions[act]; ok {
		for _, k := range []string{"new-priority", "sniff-target", "sniff-target-port", "sniff-id", "route-dst"} {
			r.used[k] = true
		}
		// passthrough=no ends the mangle chain after the rule, as for the
		// marks.
		if r.table == "mangle" && r.take("passthrough") == "no" && stmt == "" {
			stmt = "accept"
		}
		return stmt, "action=" + act + " is approximated", true, nil
	}
	switch act {
	case "add-src-to-address-list", "add-dst-to-address-list":
		s, err := r.addToList(act == "add-src-to-address-list")
		return s, "", true, err
	}
	if r.table == "raw" {
		switch act {
		case "notrack":
			// [verify] RouterOS ends the raw chain at notrack, as at accept.
			return "notrack accept", "", true, nil
		}
		return "", "", false, nil
	}
	if r.table != "mangle" {
		return "", "", false, nil
	}
	var s string
	switch act {
	case "mark-connection":
		v := r.take("new-connection-mark")
		if v == "" {
			return "", "", true, fmt.Errorf("render action=mark-connection: new-connection-mark is missing")
		}
		n, err := r.marks.connMark(v)
		if err != nil {
			return "", "", true, err
		}
		// The helper bits stay (marks.go): a marked FTP control
		// connection keeps what connection-type matches its data by.
		s = fmt.Sprintf("ct mark set ct mark & 0x%08x | 0x%x", uint32(helperMarkMask), n)
	case "mark-packet":
		v := r.take("new-packet-mark")
		if v == "" {
			return "", "", true, fmt.Errorf("render action=mark-packet: new-packet-mark is missing")
		}
		n, err := r.marks.packetMark(v)
		if err != nil {
			return "", "", true, err
		}
		// The routing mark and the bridge port bits stay.
		s = fmt.Sprintf("meta mark set meta mark & 0x%08x | 0x%x", ^uint32(packetMarkMask), n)
	case "mark-routing":
		// The routing decision follows prerouting (arriving packets) and
		// output (the output chain is a route chain, so the kernel routes
		// the packet again after a mark change). In forward, input and
		// postrouting the decision is taken: RouterOS accepts the rule
		// there (the Mangle page names no chain for the action) and the
		// mark changes nothing but what later routing-mark= matchers see,
		// as here, where these hooks are filter chains that never reroute.
		v := r.take("new-routing-mark")
		if v == "" {
			return "", "", true, fmt.Errorf("render action=mark-routing: new-routing-mark is missing")
		}
		n, err := r.marks.routingMark(v)
		if err != nil {
			return "", "", true, err
		}
		s = fmt.Sprintf("meta mark set meta mark & 0x%08x | 0x%x", ^uint32(routingMarkMask), n)
	case "change-mss":
		if r.proto != 6 || r.protoNeg {
			return "", "", true, fmt.Errorf("render action=change-mss: needs protocol=tcp on the same rule")
		}
		v := r.take("new-mss")
		switch {
		case v == "clamp-to-pmtu":
			// The path MTU is known once the packet is routed.
			if r.hook == "prerouting" || r.hook == "input" {
				return "", "", true, fmt.Errorf("render new-mss=clamp-to-pmtu in chain %s: the route is not known yet; use chain=forward, output or postrouting", r.chain)
			}
			s = "tcp option maxseg size set rt mtu"
		case v == "":
			return "", "", true, fmt.Errorf("render action=change-mss: new-mss is missing")
		default:
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 65535 {
				return "", "", true, fmt.Errorf("render new-mss=%s: want 0-65535 or clamp-to-pmtu", v)
			}
			s = fmt.Sprintf("tcp option maxseg size set %d", n)
		}
	case "change-ttl":
		v := r.take("new-ttl")
		kind, n, _ := strings.Cut(v, ":")
		x, err := strconv.Atoi(n)
		if err != nil || x < 0 || x > 255 {
			return "", "", true, fmt.Errorf("render new-ttl=%q: want set|increment|decrement:0-255", v)
		}
		switch kind {
		case "set":
			s = fmt.Sprintf("ip ttl set %d", x)
		case "increment", "decrement":
			// The value comes last: the dispatch jumps out of the rule,
			// and nft goes on with the next rule after it returns.
			return r.ttlStep(kind == "increment", x), "", true, nil
		default:
			return "", "", true, fmt.Errorf("render new-ttl=%q: want set|increment|decrement:0-255", v)
		}
	case "change-dscp":
		v := r.take("new-dscp")
		x, err := strconv.Atoi(v)
		if err != nil || x < 0 || x > 63 {
			return "", "", true, fmt.Errorf("render new-dscp=%q: only a number 0-63 is supported by rosemu", v)
		}
		s = fmt.Sprintf("ip dscp set %d", x)
	default:
		return "", "", false, nil
	}
	// passthrough=no ends the chain after the change, as accept would.
	if r.take("passthrough") == "no" {
		s += " accept"
	}
	return s, "", true, nil
}

// addToList renders add-src-to-address-list / add-dst-to-address-list. The
// kernel adds to the list's dynamic set (ald_<list>), which every matcher of
// that list consults beside the static one; a timeout makes the entry
// expire, and an existing entry gets the new timeout.
func (r *ruleCtx) addToList(src bool) (string, error) {
	list := r.take("address-list")
	if list == "" {
		return "", fmt.Errorf("render action=add-%s-to-address-list: address-list is missing", map[bool]string{true: "src", false: "dst"}[src])
	}
	set, err := ident("ald_", list)
	if err != nil {
		return "", err
	}
	fam := "ip"
	if r.v6 {
		fam = "ip6"
	}
	field := fam + " daddr"
	if src {
		field = fam + " saddr"
	}
	elem := field
	switch to := r.take("address-list-timeout"); to {
	case "", "none-dynamic", "none-static", "00:00:00", "0s":
	default:
		secs, ok := durationSeconds(to)
		if !ok {
			return "", fmt.Errorf("render address-list-timeout=%s: want none-dynamic, none-static or a duration", to)
		}
		if secs > 0 {
			elem += fmt.Sprintf(" timeout %ds", secs)
		}
	}
	r.addrLists = append(r.addrLists, list)
	// "An address that is already a static entry in the list stays
	// static" (CLI reference of /ip/firewall/mangle, address-list-
	// timeout): the update is skipped for an address the list's
	// configured entries hold, which got a dynamic twin before, listed
	// beside the static entry and still matching for its timeout after
	// the static one was removed (forum59 D7). The test follows the
	// counter and the log, so the rule still counts and logs the packet,
	// and, the action going on to the next rule either way, a test that
	// fails acts as the action's passthrough. An entry that only covers
	// the address (a prefix) counts as holding it [verify] on a CHR.
	static, err := ident("al_", list)
	if err != nil {
		return "", err
	}
	return field + " != @" + static + " update @" + set + " { " + elem + " }", nil
}

// ttlStep renders new-ttl=increment:N or decrement:N. nft has no
// arithmetic on a header field, and a map into "ip ttl set" is refused by
// nft 1.0.6 ("ip ttl set ip ttl map" fails to parse; the raw payload form
// loads without the IPv4 checksum fix). So the TTL dispatches through a
// verdict map to one small chain per resulting value (ttlset_K: "ip ttl
// set K", whose checksum nft does fix), shared by every such rule. The
// result saturates at 0 and 255, as Linux's TTL target (--ttl-inc,
// --ttl-dec, which RouterOS builds on) does [verify on a CHR]. With
// passthrough=no the chains accept (ttlsetacc_K), ending the mangle chain
// as the other actions' accept does; a packet whose TTL does not change
// still ends it there.
func (r *ruleCtx) ttlStep(inc bool, n int) string {
	stop := r.take("passthrough") == "no"
	prefix := "ttlset_"
	if stop {
		prefix = "ttlsetacc_"
	}
	var entries []string
	for v := 0; v <= 255; v++ {
		nv := v - n
		if inc {
			nv = v + n
		}
		nv = min(max(nv, 0), 255)
		if nv == v && !stop {
			continue
		}
		entries = append(entries, fmt.Sprintf("%d : jump %s%d", v, prefix, nv))
		body := fmt.Sprintf("ip ttl set %d", nv)
		if stop {
			body += " accept"
		}
		r.sets = append(r.sets, fmt.Sprintf("\tchain %s%d {\n\t\t%s\n\t}\n", prefix, nv, body))
	}
	if len(entries) == 0 {
		return "" // increment:0 or decrement:0 changes nothing
	}
	return "ip ttl vmap { " + strings.Join(entries, ", ") + " }"
}
