package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// row returns an item as the API prints it: ".id" first, the properties in
// RouterOS order (defaults where RouterOS shows them), the read-only
// properties, then disabled and comment; booleans are true/false.
func (t *tx) row(m *menu, it *item) Row {
	var r Row
	if !m.single {
		r = append(r, Prop{".id", it.ID()})
	}
	for _, p := range m.props {
		if p.name == "comment" || p.name == "disabled" || !p.forVersion(t.r.opts.Version) || p.sensitive || t.secretHidden(p) {
			continue
		}
		v, ok := it.props[p.name]
		if live := t.liveValue(m, it, p.name, v); live != v {
			v, ok = live, true
		}
		if !ok {
			if !p.show {
				continue
			}
			v = t.defaultOf(p)
		}
		if p.isBool && (v == "yes" || v == "no") {
			v = boolAPI(v == "yes")
		}
		r = append(r, Prop{p.name, v})
	}
	if m.path == "ip route" {
		for _, k := range []string{"pref-src"} {
			if v, ok := it.props[k]; ok && !m.hasProp(k) {
				r = append(r, Prop{k, v})
			}
		}
	}
	if m.readonly != nil {
		r = append(r, m.readonly(t, it)...)
	}
	if m.hasProp("disabled") {
		r = append(r, Prop{"disabled", boolAPI(it.disabled())})
	}
	if c, ok := it.props["comment"]; ok {
		r = append(r, Prop{"comment", c})
	}
	return r
}

// rowsPrinted answers a print of rows a run-time menu reads from the kernel
// or a service (connections, the DNS cache, script jobs): count-only, the
// API's rows and as-value's array of the rows sel picks, all values as
// strings. ok is false for the console's own table, which each menu
// prints in its shape.
func (t *tx) rowsPrinted(req *request, rows []Row, sel []int) (res result, ok bool) {
	picked, res, ok := t.rowsCounted(req, rows, sel)
	if ok {
		return res, true
	}
	if req.flags["as-value"] {
		var vals []script.Value
		for _, row := range picked {
			arr := &script.Array{Keys: map[string]script.Value{}}
			for _, p := range row {
				arr.Keys[p.Name] = script.Str(p.Value)
			}
			vals = append(vals, script.Value{Kind: script.KindArray, Arr: arr})
		}
		return result{val: script.ArrayOf(vals...)}, true
	}
	return result{}, false
}

// rowsCounted is the part of a run-time menu's print that does not depend
// on the values' types: count-only and the API's rows (text on the wire).
// Otherwise ok is false and picked holds the rows sel picks, for the
// menu's as-value (strings in rowsPrinted, the globals' own types in
// envPrint) and its console form.
func (t *tx) rowsCounted(req *request, rows []Row, sel []int) (picked []Row, res result, ok bool) {
	if from, has := argValue(req.args, "from"); has {
		// from= on a run-time menu names its rows by id ([find]).
		ids := strings.FieldsFunc(from, func(r rune) bool { return r == ';' || r == ',' })
		var kept []int
		for _, i := range sel {
			if id, _ := rows[i].Get(".id"); slices.Contains(ids, id) {
				kept = append(kept, i)
			}
		}
		sel = kept
	}
	if req.flags["count-only"] {
		n := strconv.Itoa(len(sel))
		return nil, result{val: script.Num(int64(len(sel))), ret: n, text: n + "\n"}, true
	}
	picked = make([]Row, 0, len(sel))
	for _, i := range sel {
		picked = append(picked, rows[i])
	}
	if t.api {
		return nil, result{rows: picked}, true
	}
	return picked, result{}, false
}

// printHidesSecrets: from RouterOS 7.21 print leaves out the sensitive
// settings that export hides (passwords, keys, shared secrets) unless
// show-sensitive is given; before, print showed them (7.21 changelog:
// "console - added show-sensitive option for print command, hide
// sensitive settings in print output by default"). [verify] whether
// 7.21 writes a mask in their place rather than leaving them out.
func (t *tx) printHidesSecrets(req *request) bool {
	return versionAtLeast(t.r.opts.Version, 7, 21) && !req.flags["show-sensitive"]
}

// secretHidden: the property p is left out of the print under way.
func (t *tx) secretHidden(p *prop) bool {
	return t.hideSecrets && secretNames[p.name]
}

func (t *tx) print(m *menu, req *request) (result, error) {
	t.hideSecrets = t.printHidesSecrets(req)
	defer func() { t.hideSecrets = false }()
	var items []*item
	if m.single {
		items = t.m.tables[m.tableName()]
	} else {
		var err error
		if items, err = t.filter(m, req); err != nil {
			return result{}, err
		}
		if items, err = t.printFrom(m, req, items); err != nil {
			return result{}, err
		}
	}
	if req.flags["count-only"] {
		n := strconv.Itoa(len(items))
		return result{val: script.Num(int64(len(items))), ret: n, text: n + "\n"}, nil
	}
	var rows []Row
	for _, it := range items {
		rows = append(rows, t.row(m, it))
	}
	if t.api {
		return result{rows: rows}, nil
	}
	if req.flags["as-value"] {
		var vals []script.Value
		for _, r := range rows {
			arr := &script.Array{Keys: map[string]script.Value{}}
			// Values are typed as get types them: an item's .id is an
			// id, booleans, times and counters are what they are, so a
			// script reading ($i->"disabled") or ($i->"timeout") gets
			// what get gives. [verify] every property's type.
			for _, p := range r {
				if p.Name == ".id" {
					arr.Keys[p.Name] = script.ID(p.Value)
					continue
				}
				arr.Keys[p.Name] = typed(m, p.Name, p.Value)
			}
			vals = append(vals, script.Value{Kind: script.KindArray, Arr: arr})
		}
		return result{val: script.ArrayOf(vals...)}, nil
	}
	var b strings.Builder
	view := t.view(m)
	// The first column numbers the items as the console does, or shows
	// their ids with show-ids (*1), which scripts and set take too.
	num := func(it *item) string {
		if req.flags["show-ids"] {
			return it.ID()
		}
		for i, x := range view {
			if x.id == it.id {
				return strconv.Itoa(i)
			}
		}
		return "-1"
	}
	switch {
	case m.single:
		// RouterOS right-aligns the names to the longest and shows
		// booleans as yes/no on the console (the API says true/false).
		width := 0
		for _, p := range rows[0] {
			width = max(width, len(p.Name))
		}
		for _, p := range rows[0] {
			v := p.Value
			switch v {
			case "true":
				v = "yes"
			case "false":
				v = "no"
			}
			fmt.Fprintf(&b, "%*s: %s\n", width, p.Name, v)
		}
	case req.flags["value-list"]:
		printValueList(&b, rows)
	case m == logMenu && !req.flags["detail"]:
		t.printLog(&b, items)
	case m.v6Detail && t.v6():
		t.printDetail(&b, m, items, num, true)
	case m.columns != nil && !req.flags["detail"]:
		t.printTable(&b, m, items, num)
	default:
		t.printDetail(&b, m, items, num, req.flags["detail"])
	}
	if done, err := t.printToFile(req, b.String()); done || err != nil {
		return result{}, err
	}
	return result{text: b.String()}, nil
}

// printFrom keeps the items print's from= names (ids as [find] gives
// them, numbers or names, as set takes them), in list order; without
// from= it keeps them all.
func (t *tx) printFrom(m *menu, req *request, items []*item) ([]*item, error) {
	from, ok := argValue(req.args, "from")
	if !ok {
		return items, nil
	}
	// An array of ids reaches a command as "*1;*2".
	picked, err := t.resolve(m, strings.ReplaceAll(from, ";", ","))
	if err != nil {
		return nil, err
	}
	var out []*item
	for _, it := range items {
		if slices.ContainsFunc(picked, func(p *item) bool { return p.id == it.id }) {
			out = append(out, it)
		}
	}
	return out, nil
}

// printValueList writes print value-list: one line per property, its
// name right-aligned to the longest and then each item's value, each in
// a column as wide as its longest value ("name: public", the shape of
// console transcripts of "/snmp community print value-list") [verify]
// the spacing on a router.
func printValueList(b *strings.Builder, rows []Row) {
	var names []string
	width := 0
	for _, r := range rows {
		for _, p := range r {
			if p.Name != ".id" && !slices.Contains(names, p.Name) {
				names = append(names, p.Name)
				width = max(width, len(p.Name))
			}
		}
	}
	cols := make([]int, len(rows))
	for i, r := range rows {
		for _, p := range r {
			cols[i] = max(cols[i], len(p.Value))
		}
	}
	for _, n := range names {
		line := fmt.Sprintf("%*s:", width, n)
		for i, r := range rows {
			// Booleans as the console shows them (yes/no), as a
			// settings menu's print does.
			v, _ := r.Get(n)
			switch v {
			case "true":
				v = "yes"
			case "false":
				v = "no"
			}
			line += " " + fmt.Sprintf("%-*s", cols[i], v)
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}

// printToFile writes what print shows to the file print's file= names,
// with ".txt" added as RouterOS adds it ("/file print file=key" makes
// key.txt, which a 7.13 setup script then fills with "/file set key.txt
// contents=..."; File page of the manual,
// https://help.mikrotik.com/docs/display/ROS/File). It reports whether
// there was a file= to write.
func (t *tx) printToFile(req *request, text string) (bool, error) {
	name, ok := argValue(req.args, "file")
	if !ok {
		return false, nil
	}
	name = strings.TrimPrefix(name, "/")
	if name == "" {
		return true, errInvalid("file")
	}
	if !strings.HasSuffix(name, ".txt") {
		name += ".txt"
	}
	w, err := t.fileStore("file")
	if err != nil {
		return true, err
	}
	if err := w.WriteFile(name, []byte(text)); err != nil {
		return true, errFailure("file", err.Error())
	}
	return true, nil
}

// itemInvalid reports whether RouterOS flags an item invalid (I, and
// invalid in get, find and the API): an address or a DHCP client on a
// bridge port, an address whose interface is gone.
func (t *tx) itemInvalid(m *menu, it *item) bool {
	switch m.path {
	case "ip address":
		return t.addressInvalid(it)
	case dhcpClientTable:
		return dhcpClientInvalid(t.m, it)
	}
	return false
}

// flagsOf returns the console flag letters of an item. A route is A
// (active) only while the data plane uses it, as its active property says:
// a route held down by check-gateway, one whose gateway nothing resolves
// or one of a table without fib is not.
func (t *tx) flagsOf(m *menu, it *item) string {
	f := ""
	if it.disabled() {
		f += "X"
	}
	if m.path == "ip route" && t.v6() {
		return t.routeFlagsV6(it, f)
	}
	// An address on a bridge port (or otherwise unusable) is invalid:
	// RouterOS flags it I between X and D ("Flags: X - disabled, I -
	// invalid, D - dynamic", wiki Manual:IP/Address,
	// https://wiki.mikrotik.com/wiki/Manual:IP/Address), the one sign
	// in a print that the address is not used (forum45 D4).
	if t.itemInvalid(m, it) {
		f += "I"
	}
	if it.dynamic && m.path != "routing bgp session" {
		f += "D"
	}
	if m.path == "routing bgp session" && it.props["state"] == "established" {
		// RouterOS 7 flags an established session E and writes no D
		// (forum39 D12).
		f += "E"
	}
	if it.builtin && (m.path == "interface list" || m.path == "routing ospf instance" && t.v6()) {
		f += "*"
	}
	if m.path == vrrpTable {
		f += vrrpFlags(t, it)
	}
	if m.path == "ip arp" {
		// P a published entry, C one that holds a MAC the router
		// sends to (a learnt one once resolved: ARP page of the
		// manual). [verify] whether RouterOS flags a static entry C.
		if it.props["published"] == "yes" {
			f += "P"
		}
		if it.props["~complete"] == "yes" {
			f += "C"
		}
	}
	if m.path == "routing bgp peer" {
		// RouterOS 6 flags a peer whose session is up E.
		if s := bgpPeerV6Session(t, it); s != nil && s.props["state"] == "established" {
			f += "E"
		}
	}
	if m.path == "ip route" {
		if t.routeActive(it) {
			f += "A"
		}
		if isDHCPItem(it) {
			f += "d"
		} else if fl := dynRouteFlag(it); fl != "" {
			f += fl
		} else if it.dynamic && t.v6() {
			f += "C" // 6.x: "C - connect" (ADC rows)
		} else if it.dynamic {
			// 7.x writes a connected route "c", as its header says
			// ("Ac 10.155.130.0/25 ether1", the route page of the
			// manual, https://help.mikrotik.com/docs/spaces/ROS/pages/59965493/routing+route;
			// forum39 D10).
			f += "c"
		} else {
			f += "s"
		}
	}
	return f
}

// routeFlagsV6 are a route's flags as RouterOS 6 writes them: A
// (active) before D (dynamic), then the source, static S in capitals
// ("8 ADo 192.168.0.0/24 10.1.101.10 110", "Flags: X - disabled, A -
// active, D - dynamic, C - connect, S - static, r - rip, b - bgp, o -
// ospf", wiki Manual:OSPF Forwarding Address,
// https://wiki.mikrotik.com/index.php?title=Manual:OSPF_Forwarding_Address&oldid=26193;
// forum39 D10). A DHCP client's route is a dynamic static one (ADS)
// [verify].
func (t *tx) routeFlagsV6(it *item, f string) string {
	if t.routeActive(it) {
		f += "A"
	}
	if it.dynamic {
		f += "D"
	}
	switch fl := dynRouteFlag(it); {
	case fl != "":
		f += fl
	case it.dynamic && !isDHCPItem(it):
		f += "C"
	default:
		f += "S"
	}
	return f
}

// routeHeaderV6 is RouterOS 6's flag legend of /ip route print (same
// source as routeFlagsV6).
const routeHeaderV6 = "Flags: X - disabled, A - active, D - dynamic, C - connect, S - static, r - rip, b - bgp, o - ospf, m - mme, B - blackhole, U - unreachable, P - prohibit"

// flagHeader is the print's legend in the router's version's form:
// RouterOS 7 writes the flags' names in upper case and separates their
// groups with ";" ("Flags: X - DISABLED, I - INVALID; D - DYNAMIC"), 6 in
// lower case, all separated by "," ("Flags: X - disabled, I - invalid, D
// - dynamic", the v6 wiki's prints and users' 6.x outputs). A 6.x print
// took 7's form in the menus without a 6.x legend of their own (ver46 N2:
// /ip firewall filter and /system scheduler on 6.49).
func (t *tx) flagHeader(m *menu) string {
	if !t.v6() {
		return flagHeaderV7(m)
	}
	if h, ok := flagHeaderV6(m); ok {
		return h
	}
	flags := strings.Split(strings.ReplaceAll(strings.TrimPrefix(flagHeaderV7(m), "Flags: "), "; ", ", "), ", ")
	for i, f := range flags {
		if letter, name, ok := strings.Cut(f, " - "); ok {
			flags[i] = letter + " - " + strings.ToLower(name)
		}
	}
	return "Flags: " + strings.Join(flags, ", ")
}

// flagHeaderV6 is a RouterOS 6 legend of its own, where one is known.
func flagHeaderV6(m *menu) (string, bool) {
	switch m.path {
	case "ip route":
		// RouterOS 6's /ip route has its own legend (routeFlagsV6).
		return routeHeaderV6, true
	case "ip arp":
		// As a 6.x router prints it (a forum user's "/ip arp print").
		return "Flags: X - disabled, I - invalid, H - DHCP, D - dynamic, P - published, C - complete", true
	case dhcpClientTable, "ip address":
		// As a 6.x router prints it ("Flags: X - disabled, I - invalid,
		// D - dynamic" in forum posts, forum44 D7; the wiki's
		// Manual:IP/Address, forum45 D4).
		return "Flags: X - disabled, I - invalid, D - dynamic", true
	case "routing ospf instance":
		// The built-in instance is flagged * (v6Detail).
		return "Flags: X - disabled, * - default", true
	}
	return "", false
}

// flagHeaderV7 is RouterOS 7's legend of m's print.
func flagHeaderV7(m *menu) string {
	switch m.path {
	case "ip arp":
		// The 6.x flags in 7's upper-case form [verify].
		return "Flags: X - DISABLED, I - INVALID; H - DHCP; D - DYNAMIC; P - PUBLISHED; C - COMPLETE"
	case dhcpClientTable, "ip address":
		// 7.x the same flags as 6 in the upper-case form of its address
		// legend [verify] (forum44 D7, forum45 D4).
		return "Flags: X - DISABLED, I - INVALID; D - DYNAMIC"
	case "ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw":
		return "Flags: X - disabled, I - invalid; D - dynamic"
	case "ip route":
		return "Flags: D - DYNAMIC; X - DISABLED, A - ACTIVE; c - CONNECT, s - STATIC, d - DHCP, o - OSPF, b - BGP"
	case "interface list":
		return "Flags: * - BUILTIN, D - DYNAMIC"
	case "routing bgp session":
		// As a 7.x device prints it (forum39 D12). [verify] the other
		// flags of the session menu.
		return "Flags: E - established"
	case "routing bgp peer":
		// RouterOS 6's, as its "/routing bgp peer print" writes it.
		return "Flags: X - disabled, E - established"
	case "interface", "interface ethernet":
		return "Flags: R - RUNNING"
	case vrrpTable:
		return "Flags: X - DISABLED, I - INVALID; R - RUNNING; M - MASTER, B - BACKUP"
	}
	return "Flags: X - DISABLED, D - DYNAMIC"
}

func (t *tx) printDetail(b *strings.Builder, m *menu, items []*item, num func(*item) string, detail bool) {
	b.WriteString(t.flagHeader(m) + " \n")
	// 6.x's all-properties print (v6Detail) is the same for every item.
	all := m.v6Detail && t.v6()
	for _, it := range items {
		// Three flags (an OSPF route's DAo) fill the column: a space
		// keeps them apart from the first property.
		fl := t.flagsOf(m, it)
		fmt.Fprintf(b, "%2s %-3s", num(it), fl)
		if len(fl) >= 3 {
			b.WriteString(" ")
		}
		if c, ok := it.props["comment"]; ok {
			b.WriteString(";;; " + c + "\n      ")
		}
		var parts []string
		for _, p := range m.props {
			if p.name == "comment" || p.name == "disabled" || !p.forVersion(t.r.opts.Version) || p.sensitive || t.secretHidden(p) {
				continue
			}
			v, ok := it.props[p.name]
			if !ok && !(detail && (p.show || all && p.def != "")) {
				continue
			}
			if all && slices.ContainsFunc(parts, func(s string) bool { return strings.HasPrefix(s, p.name+"=") }) {
				continue // a property the menu lists for both versions
			}
			if all && (ok && v == "" || !ok && p.def == "") {
				continue // unset: the users' 6.x prints show none [verify]
			}
			if !ok {
				v = t.defaultOf(p)
			}
			parts = append(parts, p.name+"="+quote(v))
		}
		if detail && len(m.detailReadonly) > 0 && m.readonly != nil {
			for _, r := range m.readonly(t, it) {
				if !slices.Contains(m.detailReadonly, r.Name) {
					continue
				}
				// Dates unquoted, as RouterOS writes them
				// (creation-time=jun/14/2022 07:53:49); other values
				// as the item's own (a host name with a blank).
				v := r.Value
				if r.Name != "creation-time" {
					v = quote(v)
				}
				parts = append(parts, r.Name+"="+v)
			}
		}
		b.WriteString(strings.Join(parts, " ") + " \n\n")
	}
}

func (t *tx) printTable(b *strings.Builder, m *menu, items []*item, num func(*item) string) {
	b.WriteString(t.flagHeader(m) + "\n")
	// A column of a property the router's version does not have is
	// not printed: 6.x's OSPF instance has no version (forum39 D10).
	var cols []string
	for _, c := range m.columns {
		if p := m.prop(c); p == nil || p.forVersion(t.r.opts.Version) && !t.secretHidden(p) {
			cols = append(cols, c)
		}
	}
	// RouterOS 6's /ip route print has a PREF-SRC column after
	// DST-ADDRESS ("#  DST-ADDRESS  PREF-SRC  GATEWAY  DISTANCE", the v6
	// wiki's Manual:IP/Route), 7's none (ver46 N2).
	if m.path == "ip route" && t.v6() {
		if i := slices.Index(cols, "dst-address"); i >= 0 {
			cols = slices.Insert(cols, i+1, "pref-src")
		}
	}
	var heads []string
	for _, c := range cols {
		heads = append(heads, strings.ToUpper(c))
	}
	// RouterOS 6 writes no "Columns:" line, only the heading row
	// ("#  DST-ADDRESS ... GATEWAY DISTANCE"): 6.x's /ip route (forum39
	// D10) and /ip address (wiki Manual:IP/Address; forum45 D4), and so
	// every menu of 6 (ver46 N2: 6.49's scheduler print had one; the
	// v6 wiki's prints show none) [verify] on a 6.49 CHR.
	if !t.v6() {
		b.WriteString("Columns: " + strings.Join(heads, ", ") + "\n")
	}
	cells := [][]string{append([]string{"#"}, heads...)}
	comments := []string{""}
	for _, it := range items {
		row := []string{strings.TrimSpace(fmt.Sprintf("%s %s", num(it), t.flagsOf(m, it)))}
		r := t.row(m, it)
		for _, c := range cols {
			v, _ := r.Get(c)
			row = append(row, v)
		}
		cells = append(cells, row)
		comments = append(comments, it.props["comment"])
	}
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for i, c := range row {
			widths[i] = max(widths[i], len(c))
		}
	}
	for k, row := range cells {
		if comments[k] != "" {
			b.WriteString(";;; " + comments[k] + "\n")
		}
		var line strings.Builder
		for i, c := range row {
			fmt.Fprintf(&line, "%-*s  ", widths[i], c)
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// writeCells lays out a run-time menu's console table (the DNS cache,
// connections): the first row is the heading, the first column the
// console number, right-aligned so that 10 lines up under 9; the other
// columns are left-aligned two spaces apart, each as wide as its widest
// cell, and trailing spaces are trimmed. The configuration menus' table
// (print) left-aligns the number with its flags and interleaves comments,
// so it keeps its own loop.
func writeCells(b *strings.Builder, cells [][]string) {
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for i, c := range row {
			widths[i] = max(widths[i], len(c))
		}
	}
	for _, row := range cells {
		var line strings.Builder
		fmt.Fprintf(&line, "%*s ", widths[0], row[0])
		for i, c := range row[1:] {
			fmt.Fprintf(&line, "%-*s  ", widths[i+1], c)
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}
