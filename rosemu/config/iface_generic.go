package config

import (
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The generic /interface menu's set, enable and disable act on an
// interface of any type by its name or id: failover scripts and netwatch
// hooks write "/interface disable pppoe-out1", setup scripts "/interface
// set ether1 comment=WAN" or "/interface set [find name=v10]
// disabled=yes". Each target is handed to the menu that holds it
// (/interface vlan, /interface wireguard, ...), which checks and stores the
// change as its own set would: a disabled VLAN is down in the emulator as
// when /interface vlan disable made it so. set takes the properties every
// interface has (Interface page of the manual: name, comment, disabled,
// mtu, l2mtu); the owning menu refuses one its type lacks. [verify] the
// exact list /interface set takes in 6.x and 7.x.
var ifaceGenericParams = map[string]bool{"numbers": true, "name": true, "comment": true, "disabled": true, "mtu": true, "l2mtu": true}

func init() {
	m := menuByPath("interface")
	m.commands = map[string]menuCommand{
		"set":     {syntax: &script.Syntax{Params: ifaceGenericParams, Unnamed: 1}, run: ifaceGeneric("set")},
		"enable":  {syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}, run: ifaceGeneric("enable")},
		"disable": {syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}, run: ifaceGeneric("disable")},
		// print stats is the traffic counters' table (trafficProps),
		// which stats scripts print to a file and pass 7 left refused.
		"print": {syntax: statsPrintSyntax(), run: statsPrint("name", "rx-byte", "tx-byte", "rx-packet", "tx-packet", "rx-drop", "tx-drop", "rx-error", "tx-error")},
		"reset-counters": {syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}, run: func(t *tx, req *request) (result, error) {
			items, err := t.items(req.menu, req)
			if err != nil {
				return result{}, err
			}
			t.resetIfCounters(items)
			return result{}, nil
		}},
		"monitor-traffic": monitorCommand(trafficMonitor, append([]string{"name"}, trafficRates...)...),
		"reset-counters-all": {syntax: &script.Syntax{}, run: func(t *tx, req *request) (result, error) {
			t.resetIfCounters(t.interfaceView())
			return result{}, nil
		}},
	}
}

// ifaceOwner returns the menu holding the interface that ref (a name or an
// id) names, and the item; nil when no interface menu has it.
func (t *tx) ifaceOwner(ref string) (*menu, *item) {
	seen := map[string]bool{}
	for _, tbl := range append(append([]string(nil), ifaceTables...), storedIfTables...) {
		if seen[tbl] || !strings.HasPrefix(tbl, "interface ") {
			continue
		}
		seen[tbl] = true
		m := menuByPath(tbl)
		if m == nil || m.nameProp != "name" {
			continue
		}
		for _, it := range t.m.tables[tbl] {
			if id, ok := parseID(ref); ok && it.id == id || it.props["name"] == ref {
				return m, it
			}
		}
	}
	return nil, nil
}

func ifaceGeneric(verb string) func(t *tx, req *request) (result, error) {
	return func(t *tx, req *request) (result, error) {
		if !req.hasRef {
			return result{}, &Error{Msg: "missing value for argument numbers", Category: 1, arg: "numbers"}
		}
		// Console numbers count the rows of /interface print.
		var refs []string
		for _, r := range strings.Split(req.ref, ",") {
			if _, ok := parseID(r); !ok && !t.api {
				if _, err := strconv.Atoi(r); err != nil {
					refs = append(refs, r)
					continue
				}
				if its, err := t.resolve(req.menu, r); err == nil && len(its) == 1 {
					r = its[0].ID()
				}
			}
			refs = append(refs, r)
		}
		for _, r := range refs {
			m, it := t.ifaceOwner(r)
			if m == nil {
				return result{}, t.noSuchItem()
			}
			sub := *req
			sub.menu, sub.path, sub.ref, sub.hasRef = m, m.path, it.ID(), true
			var err error
			switch verb {
			case "set":
				_, err = t.set(m, &sub)
			default:
				_, err = t.enable(m, &sub, verb == "disable")
			}
			if err != nil {
				return result{}, err
			}
			if m.notEnforced != "" {
				// validate reports the change as the owning menu's
				// would be (a stored WireGuard interface carries no
				// packets, disabled or not).
				t.r.sys.scriptGap = m.notEnforced
			}
		}
		return result{}, nil
	}
}
