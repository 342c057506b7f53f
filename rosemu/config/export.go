package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// exportOpts are export's flags that shape the text.
type exportOpts struct {
	// terse repeats the path on every line.
	terse bool
	// verbose writes the properties at their defaults too.
	verbose bool
	// hideSensitive leaves secrets out: RouterOS 7 does unless
	// show-sensitive is given, 6.x when hide-sensitive is (Configuration
	// Management page, forum44 D2).
	hideSensitive bool
}

// secretNames are the properties export leaves out when it hides
// sensitive values, beside those marked sensitive: keys, passwords and
// shared secrets ([verify] the full list on a router).
var secretNames = map[string]bool{"private-key": true, "preshared-key": true, "password": true, "secret": true, "ipsec-secret": true,
	"wpa-pre-shared-key": true, "wpa2-pre-shared-key": true, "authentication-key": true, "tcp-md5-key": true, "passphrase": true}

// export writes the compact export of the menus under path ("" for all),
// as RouterOS v7 prints it: header, menu lines, add/set lines with only
// non-default properties, wrapped at 80 columns.
func (t *tx) export(path string, o exportOpts) string {
	terse := o.terse
	var b strings.Builder
	fmt.Fprintf(&b, "# %s by RouterOS %s\n# software id = \n#\n", formatRouterDate(t.localNow(), t.r.opts.Version), t.r.opts.Version)
	var list []*menu
	for _, m := range menus {
		if m.readOnly || m.noExport || !(path == "" || m.path == path || strings.HasPrefix(m.path, path+" ")) {
			continue
		}
		// A menu the router's version lacks has nothing to export; a
		// verbose export wrote its settings at their defaults all the
		// same (6.x's /interface bridge mlag, 7's /ip ipsec user
		// settings), which the version then refuses on import.
		if !m.forVersion(t.r.opts.Version) {
			continue
		}
		list = append(list, m)
	}
	write := func(m *menu, only func(*item) bool) {
		lines := t.exportMenu(m, o, only)
		if len(lines) == 0 {
			return
		}
		if !terse {
			b.WriteString("/" + m.path + "\n")
		}
		for _, l := range lines {
			if terse {
				b.WriteString(terseLine(m.path, l.cmd, l.tokens))
				continue
			}
			b.WriteString(wrap(l.cmd, l.tokens))
		}
	}
	// An interface that sits on an interface of a menu written further
	// down (a MAC VLAN, a VRRP or a PPPoE client on a VLAN, a bond of
	// VLANs: sitsOn) waits for it
	// and is written in a block of its own menu right after that menu's,
	// as RouterOS splits /interface vrrp into two blocks around
	// /interface vlan: else the export does not import, the interface it
	// names not being there yet (realcheck31 D2: a 7.16 hAP ax2's
	// "/interface macvlan add interface=VLAN100", which rosemu wrote
	// before /interface vlan).
	made := map[string]int{} // interface name -> the position of its menu in list
	for i, m := range list {
		if !makesInterfaces(m) {
			continue
		}
		for _, it := range t.m.tables[m.tableName()] {
			if !it.dynamic && !it.builtin {
				made[it.props["name"]] = i
			}
		}
	}
	written := map[string]bool{}
	waiting := map[*item]bool{}
	var waitMenus []*menu
	for i, m := range list {
		var only func(*item) bool
		if makesInterfaces(m) {
			waitingName := map[string]bool{}
			for _, it := range t.m.tables[m.tableName()] {
				// Its interface is made by another menu and not yet
				// written (a later menu's, or an earlier one's that
				// waits itself), or by one of its own menu's items
				// that waits. One of its own menu comes before it.
				waits := false
				for _, p := range sitsOn(it) {
					if j, ok := made[p]; ok && (j != i && !written[p] || waitingName[p]) {
						waits = true
					}
				}
				if waits && !it.dynamic && !it.builtin {
					waiting[it] = true
					waitingName[it.props["name"]] = true
					if !slices.Contains(waitMenus, m) {
						waitMenus = append(waitMenus, m)
					}
				}
			}
			only = func(it *item) bool { return !waiting[it] }
		}
		write(m, only)
		if !makesInterfaces(m) {
			continue
		}
		for _, it := range t.m.tables[m.tableName()] {
			if !waiting[it] {
				written[it.props["name"]] = true
			}
		}
		// Write what now has its interface, and then what sits on that.
		for more := true; more; {
			more = false
			for _, w := range waitMenus {
				var ready []*item
				for _, it := range t.m.tables[w.tableName()] {
					if waiting[it] && !slices.ContainsFunc(sitsOn(it), func(p string) bool { _, ok := made[p]; return ok && !written[p] }) {
						ready = append(ready, it)
					}
				}
				if len(ready) == 0 {
					continue
				}
				for _, it := range ready {
					delete(waiting, it)
					written[it.props["name"]] = true
				}
				write(w, func(it *item) bool { return slices.Contains(ready, it) })
				more = true
			}
		}
	}
	// Interfaces that wait on each other (no order imports, on RouterOS
	// either) are still written.
	for _, w := range waitMenus {
		write(w, func(it *item) bool { return waiting[it] })
	}
	return b.String()
}

// sitsOn names the interfaces an interface item needs before it can be
// added: the one it sits on (interface=) and a bond's slaves (a bond of
// VLANs: an ISP core's "slaves=HK-HGC-IPTx-backup-vlan2517,
// SG-HGC-IPTx-vlan2520", realcheck32 D1).
func sitsOn(it *item) []string {
	var out []string
	if p := it.props["interface"]; p != "" {
		out = append(out, p)
	}
	if s := it.props["slaves"]; s != "" {
		out = append(out, strings.Split(s, ",")...)
	}
	return out
}

// makesInterfaces reports whether m's items are interfaces, which another
// interface may sit on (interface=): /interface vlan, macvlan, vrrp, ...
func makesInterfaces(m *menu) bool {
	return strings.HasPrefix(m.path, "interface ") && m.nameProp == "name" &&
		(slices.Contains(ifaceTables, m.tableName()) || slices.Contains(storedIfTables, m.tableName()))
}

type exportLine struct {
	cmd    string
	tokens []string
}

func (t *tx) exportMenu(m *menu, o exportOpts, only func(*item) bool) []exportLine {
	var out []exportLine
	items := t.m.tables[m.tableName()]
	if m.renamable {
		items = renameOrder(items)
	}
	for _, it := range items {
		if only != nil && !only(it) {
			continue
		}
		if it.dynamic || it.builtin {
			if l, ok := t.exportDefault(m, it); ok {
				out = append(out, l)
			}
			continue
		}
		var toks []string
		props := it.props
		if len(m.exportV6) > 0 && t.v6() {
			props = map[string]string{}
			for k, v := range m.exportV6 {
				props[k] = v
			}
			for k, v := range it.props {
				props[k] = v
			}
		}
		for _, p := range m.props {
			if _, set := props[p.name]; p.writeDefault && !set && p.forVersion(t.r.opts.Version) && p.writesDefaultIn(t.r.opts.Version) {
				props = maps.Clone(props)
				props[p.name] = t.defaultOf(p)
			}
		}
		var unset map[string]bool
		if o.verbose {
			// verbose writes every property that has a default at
			// that default, where the item leaves it unset. An unset
			// one that takes no empty value was written k="", which
			// add then refused (invalid value for argument
			// routing-table, realcheck30 D7): RouterOS writes it
			// "!routing-table" (a 6.49.2 verbose export: "!idle-timeout",
			// "!routing-table"), as rosemu does where add takes the
			// mark, and leaves it out where add does not.
			props = maps.Clone(props)
			unset = map[string]bool{}
			marks := addUnsettable(m)
			seen := map[string]bool{}
			for _, p := range m.props {
				if !p.forVersion(t.r.opts.Version) || seen[p.name] {
					continue // of two same-named properties the first parses
				}
				seen[p.name] = true
				// A cost RouterOS computes (a 7.13+ bridge port's
				// path-cost) is left out unset: rosemu does not know its
				// value, and writing the stored default made a router
				// that loaded the export hold it as given (realcheck35
				// D6).
				if _, set := props[p.name]; !set && p.keepGiven {
					continue
				}
				// An item's comment is left out unset; /ip smb's comment
				// is a setting with a default, which verbose writes.
				if _, set := props[p.name]; !set && (p.name != "comment" || p.def != "") && (p.def != "" || p.show) {
					if p.def == "" && p.parse != nil {
						if _, err := p.parse(t, p.name, ""); err != nil {
							if marks[p.name] {
								unset[p.name] = true
								props[p.name] = ""
							}
							continue
						}
					}
					props[p.name] = t.defaultOf(p)
				}
			}
			if m.hasProp("disabled") && props["disabled"] == "" {
				props["disabled"] = "no"
			}
		}
		for _, k := range sortedProps(props) {
			if o.hideSensitive && (secretNames[k] || m.prop(k) != nil && m.prop(k).sensitive) {
				continue
			}
			// A renamed port exports its new name: set [ find
			// default-name=ether1 ] name=wan.
			renamed := m.renamable && it.props["name"] != it.props["default-name"]
			if m.noAdd && (k == "default-name" || k == "name" && !renamed) {
				continue
			}
			if m.exportSkip != nil && m.exportSkip(it, k, it.props[k]) {
				continue
			}
			if v, ok := m.omitV6[k]; ok && t.v6() && props[k] == v && !o.verbose {
				continue
			}
			if m.itemDef != nil && !o.verbose {
				if d, ok := m.itemDef(it, k); ok && d == it.props[k] {
					continue
				}
			}
			// A property add left unset ("add !keepalive", "add
			// !internal-path-cost") is written as RouterOS 7 writes it.
			if p := m.prop(k); props[k] == "" && p != nil && !p.emptyValue && (p.def != "" || p.unsetMark || unset[k]) && !m.single && !m.noAdd && it.props[k] == props[k] {
				toks = append(toks, "!"+k)
				continue
			}
			v := props[k]
			if m.exportValue != nil {
				v = m.exportValue(k, v)
			}
			if p := m.prop(k); p != nil && p.flag && v == "yes" {
				toks = append(toks, k)
				continue
			}
			toks = append(toks, k+"="+quote(v))
		}
		switch {
		case m.single || m.noAdd:
			if len(toks) == 0 {
				continue
			}
			cmd := "set"
			if m.exportRef != nil {
				cmd += " " + m.exportRef(it)
			}
			out = append(out, exportLine{cmd, dotShorthand(toks)})
		default:
			out = append(out, exportLine{"add", dotShorthand(toks)})
		}
	}
	return out
}

// dotShorthand writes a dotted property as RouterOS does when the token
// before it is of the same group: ".role=ebgp" after "local.address=...",
// ".ssid=MyWifi" after "configuration.mode=ap". The 212 real exports of
// realcheck27-34 write 655 such tokens and no full name after a token of
// its group; the first of a group, or one after a plain property ("configuration=x
// configuration.mode=ap"), keeps its full name (realcheck34 D4). The
// console reads ".name" as the group of the token before (docs/routeros.md).
func dotShorthand(toks []string) []string {
	prev := ""
	for i, tok := range toks {
		k, v, ok := strings.Cut(tok, "=")
		group, rest, dotted := strings.Cut(k, ".")
		if !ok || !dotted || group == "" || strings.HasPrefix(k, "!") {
			prev = ""
			continue
		}
		if group == prev {
			toks[i] = "." + rest + "=" + v
		}
		prev = group
	}
	return toks
}

// renameOrder puts a renamed port after the port whose default name it
// takes, so that the export imports on a fresh router, where every port
// still holds its default name: "set [ find default-name=ether4 ]
// name=ether5" is refused while ether5 has not yet been renamed away
// (realcheck29 D3: a 7.18.1 CHR that shifted its port names). Other
// items keep their order; a swap (a cycle) has no order that imports,
// on RouterOS either.
func renameOrder(items []*item) []*item {
	byDefault := map[string]*item{}
	for _, it := range items {
		if d := it.props["default-name"]; d != "" {
			byDefault[d] = it
		}
	}
	out := make([]*item, 0, len(items))
	seen := map[*item]bool{}
	var visit func(it *item)
	visit = func(it *item) {
		if seen[it] {
			return
		}
		seen[it] = true
		if b := byDefault[it.props["name"]]; b != nil && b != it && b.props["name"] != b.props["default-name"] {
			visit(b)
		}
		out = append(out, it)
	}
	for _, it := range items {
		visit(it)
	}
	return out
}

// plain reports whether c may appear in an unquoted value. "~", "<",
// ">", "#" and "&" may: RouterOS writes log-prefix=~~~SMB,
// name=sfp28-1<-PCSS, from=<>, log-prefix=#VPN and an "&" in a secret
// bare (realcheck35 D2); "[" and "]" may not (default-mount-point-
// template="[slot]").
func plain(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-_.:,/!*@+%~<>#&", c) >= 0
}

// quote writes a value as export does: bare when it is plain, else in
// double quotes with RouterOS escapes (docs/routeros.md).
func quote(v string) string {
	if v != "" {
		ok := true
		for i := 0; i < len(v); i++ {
			ok = ok && plain(v[i])
		}
		if ok {
			return v
		}
	}
	return `"` + strings.Join(escAtoms(v), "") + `"`
}

// escAtoms splits the escaped form of v into pieces that must not be
// broken across lines.
func escAtoms(v string) []string {
	var out []string
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		// "?" too: RouterOS escapes it in every quoted value, since a
		// "?" typed at its console asks for help (realcheck35 D3).
		case c == '"' || c == '\\' || c == '$' || c == '?':
			out = append(out, `\`+string(c))
		case c == '\n':
			out = append(out, `\n`)
		case c == '\r':
			out = append(out, `\r`)
		case c == '\t':
			out = append(out, `\t`)
		case c < 0x20 || c >= 0x7f:
			out = append(out, fmt.Sprintf(`\%02X`, c))
		default:
			out = append(out, string(c))
		}
	}
	return out
}

// The export's margins, measured on RouterOS's own exports (8532 wrapped
// and unwrapped commands of 131 real exports, 6.29 to 7.23): a token stays
// on the line while the line with it is at most fitWidth characters, and
// so is a break right after "name=" (the backslash makes the 78th column);
// a line broken with " \" ends at the 79th; a quoted value breaks where
// the line would pass quotedWidth characters, the backslash after it.
// rosemu broke one column later (80-character lines), matching 7690 of
// those commands where these margins match 8194 (realcheck32 D6).
const (
	fitWidth    = 77
	quotedWidth = 78
)

// wrap lays out one command like RouterOS: tokens go on the line while they
// fit; otherwise the line breaks with " \" and continues indented by four
// spaces, right after "name=" when only the value is too long, and inside
// a quoted value when even that does not fit, and before each newline of
// a quoted value. A value too long for a line of its own is quoted to be
// broken so (a user group's policy list: "add
// name=bacasaja policy=\"read,winbox,romon,...,!reboot,!\" of a 6.48.6
// export).
func wrap(cmd string, tokens []string) string {
	var b strings.Builder
	line := cmd
	for _, tok := range tokens {
		name, val, _ := strings.Cut(tok, "=")
		var atoms []string
		if strings.HasPrefix(val, `"`) {
			atoms = escAtoms(unquoteExport(val))
		} else {
			atoms = escAtoms(val)
		}
		// A quoted value with newlines (a script, a routing filter
		// rule, a comment) is broken before each "\n", where it would
		// fit too (realcheck32 D7).
		lines := strings.HasPrefix(val, `"`) && slices.Contains(atoms, `\n`)
		if !lines && len(line)+1+len(tok) <= fitWidth {
			line += " " + tok
			continue
		}
		switch {
		case !lines && 4+len(val) <= fitWidth && len(line)+1+len(name)+1 <= fitWidth:
			b.WriteString(line + " " + name + "=\\\n")
			line = "    " + val
		case !lines && 4+len(tok) <= fitWidth:
			b.WriteString(line + " \\\n")
			line = "    " + tok
		case val != "":
			line += " " + name + `="`
			for _, a := range atoms {
				if len(line)+len(a) > quotedWidth || a == `\n` && line != "    " {
					b.WriteString(line + "\\\n")
					line = "    "
					if a == " " {
						a = `\_`
					}
				}
				line += a
			}
			line += `"`
		default:
			b.WriteString(line + " \\\n")
			line = "    " + tok
		}
	}
	b.WriteString(line + "\n")
	return b.String()
}

// terseLine writes one command of a terse export: the whole command on one
// line, but for quoted values with newlines, which RouterOS breaks before
// each "\n" there too (a 7.23.1 terse export: "/tool netwatch add
// disabled=no down-script="/interface wireguard peer disable 0\r\ then
// "    \n:delay 5\r\ and so on, realcheck32 D7).
func terseLine(path, cmd string, tokens []string) string {
	out := make([]string, len(tokens))
	for i, tok := range tokens {
		out[i] = tok
		name, val, _ := strings.Cut(tok, "=")
		if !strings.HasPrefix(val, `"`) {
			continue
		}
		atoms := escAtoms(unquoteExport(val))
		if !slices.Contains(atoms, `\n`) {
			continue
		}
		var v strings.Builder
		for _, a := range atoms {
			if a == `\n` {
				v.WriteString("\\\n    ")
			}
			v.WriteString(a)
		}
		out[i] = name + `="` + v.String() + `"`
	}
	return "/" + path + " " + cmd + " " + strings.Join(out, " ") + "\n"
}

// unquoteExport reverses quote for a value known to be quoted.
func unquoteExport(q string) string {
	s := q[1 : len(q)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '"', '\\', '$', '?':
			b.WriteByte(s[i])
		default:
			var x byte
			fmt.Sscanf(s[i:i+2], "%02X", &x)
			b.WriteByte(x)
			i++
		}
	}
	return b.String()
}
