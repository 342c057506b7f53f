package kernel

import (
	"fmt"
	"sort"
)

// RouterOS keeps three independent named marks: the packet mark, the
// routing mark (both on the packet) and the connection mark (on the
// conntrack entry). Linux has one 32-bit packet mark (meta mark, the fwmark
// ip rules select on) and one 32-bit ct mark. rosemu splits the packet mark:
//
//	bits 0-7   routing mark: the kernel id of the routing table, 0 = main
//	bits 8-23  packet mark:  index of the name among all packet marks, 0 = none
//	bits 24-31 the bridge ports of in-bridge-port and out-bridge-port
//	           (bridgeport.go)
//
// and splits the ct mark:
//
//	bits 0-23  connection mark: 1.. by name, 0 = no-mark
//	bits 24-31 the service port whose helper the connection was given
//	           (helperMarks), which a related connection inherits from its
//	           master: the kernel copies the master's ct mark to the
//	           connection it expected, so connection-type can match it
//	           (helpers.go)
//
// Numbers are assigned by sorting the names the configuration uses, so the
// rendering depends only on the state.
const (
	routingMarkMask = 0xff
	packetMarkMask  = 0x00ffff00
	packetMarkShift = 8
	connMarkMask    = 0x00ffffff
	helperMarkMask  = 0xff000000
	helperMarkShift = 24
)

// marks maps mark names to the numbers rosemu gives them.
type marks struct {
	packet  map[string]uint32 // name -> index (unshifted)
	conn    map[string]uint32
	routing map[string]uint32 // table name -> table id
}

// collectMarks numbers every packet and connection mark that a rule sets or
// matches, and takes the routing marks from the routing tables.
func collectMarks(st *State) *marks {
	m := &marks{packet: map[string]uint32{}, conn: map[string]uint32{}, routing: map[string]uint32{"main": 0}}
	pk, cn := map[string]bool{}, map[string]bool{}
	for _, rules := range [][]Rule{st.Filter, st.NAT, st.Mangle, st.Raw} {
		for _, r := range rules {
			for _, k := range []string{"packet-mark", "new-packet-mark"} {
				if _, v := negated(r.Props[k]); v != "" && v != "no-mark" {
					pk[v] = true
				}
			}
			for _, k := range []string{"connection-mark", "new-connection-mark"} {
				if _, v := negated(r.Props[k]); v != "" && v != "no-mark" {
					cn[v] = true
				}
			}
		}
	}
	for i, n := range sortedKeys(pk) {
		m.packet[n] = uint32(i + 1)
	}
	for i, n := range sortedKeys(cn) {
		m.conn[n] = uint32(i + 1)
	}
	for _, t := range st.RoutingTables {
		m.routing[t.Name] = uint32(t.ID)
	}
	return m
}

// packetMark returns the shifted packet-mark bits of name.
func (m *marks) packetMark(name string) (uint32, error) {
	if name == "no-mark" {
		return 0, nil
	}
	n, ok := m.packet[name]
	if !ok {
		return 0, fmt.Errorf("packet mark %q is not numbered", name)
	}
	if n >= 1<<16 {
		return 0, fmt.Errorf("packet mark %q: more than %d packet marks", name, 1<<16-1)
	}
	return n << packetMarkShift, nil
}

func (m *marks) connMark(name string) (uint32, error) {
	if name == "no-mark" {
		return 0, nil
	}
	n, ok := m.conn[name]
	if !ok {
		return 0, fmt.Errorf("connection mark %q is not numbered", name)
	}
	if n > connMarkMask {
		return 0, fmt.Errorf("connection mark %q: more than %d connection marks", name, connMarkMask)
	}
	return n, nil
}

// routingMark returns the table id that is the routing mark of table name.
func (m *marks) routingMark(name string) (uint32, error) {
	n, ok := m.routing[name]
	if !ok {
		return 0, fmt.Errorf("routing mark %q names no routing table (add it to /routing table with fib)", name)
	}
	return n, nil
}

// describe lists the numbering for the reader of the ruleset.
func (m *marks) describe() []string {
	var out []string
	add := func(kind string, names map[string]uint32, shift uint) {
		ks := make([]string, 0, len(names))
		for k := range names {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			if names[k] == 0 {
				continue
			}
			out = append(out, fmt.Sprintf("%s %s = 0x%x", kind, k, names[k]<<shift))
		}
	}
	add("packet-mark", m.packet, packetMarkShift)
	add("routing-mark", m.routing, 0)
	add("connection-mark", m.conn, 0)
	return out
}
