package check

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Hand-written and scripted configurations edit what they added: "/ip
// firewall filter set [ find comment=\"drop guests\" ] disabled=yes", "set
// 3 disabled=no", "remove [ find where comment=old ]". An export never
// writes these (it prints each item once, as it is), so check's reading,
// which walks the add lines, read the added item as if the edit were not
// there: a rule the script disabled still dropped, a removed one still
// took its port (chk54). applyEdits reads such lines as RouterOS applies
// them, line by line, before anything else: a set, enable or disable
// changes the earlier add lines it names, a remove takes them out, and
// the edit line itself goes, so the diagnosis and the lab's configuration
// see the items as the router would hold them. A line check cannot follow
// (a find with operators it does not read, a number beyond the list) is
// left as it is, and a note says so. Lines that name no added item (the
// built-in ones: /interface ethernet set [ find default-name=ether1 ],
// /ip service set www) are no edit of the export's own and are left as
// they are, as before.
//
// Numbers are those of the menu's print, which RouterOS gives in the
// order the items were added, the removed ones keeping theirs until the
// next print (Console page of the manual: item numbers are assigned by
// print and stay until the next one); dynamic items the print shows
// first shift them (dynamicFirst).

// numberedMenus are the menus whose items are all the configuration's
// own (no built-in item comes first in their print, and the router adds
// no dynamic item of its own there in a plain configuration), where a
// number names the n-th added item. Left out: menus whose print numbers
// dynamic items too, so that a number there need not be an added item's:
// /ipv6 address (every interface's link-local address), /ip address (a
// DHCP or PPP client's), /ip route and /ipv6 route (connected routes),
// the address lists (entries rules and DNS names add), /ip dhcp-server
// lease (dynamic leases), /interface list member and /interface bridge
// vlan (dynamic members and entries). The firewall's filter and NAT
// have such items under some configurations (dynamicFirst).
var numberedMenus = map[string]bool{
	"ip firewall filter": true, "ip firewall nat": true, "ip firewall mangle": true, "ip firewall raw": true,
	"ipv6 firewall filter": true, "ipv6 firewall mangle": true, "ipv6 firewall raw": true, "ipv6 firewall nat": true,
	"routing rule": true, "ip route rule": true,
	"ip dns static": true, "ip pool": true, "ip dhcp-server": true, "ip dhcp-server network": true,
	"interface bridge port": true, "interface vlan": true,
}

// dynamicFirst reports whether a firewall table's print, given the items
// added so far, starts with dynamic rules RouterOS makes, which take the
// first numbers: the filter's "special dummy rule to show fasttrack
// counters" once a fasttrack rule exists (print outputs quoted on the
// forum and in guides: "0 D ;;; special dummy rule to show fasttrack
// counters"), and a hotspot's rules in the filter and NAT (its dynamic
// hs-unauth, pre-hotspot and hotspot chains' jumps), and UPnP's in the
// NAT (upnp: a dst-nat per port a LAN client maps, made at run time, so
// that a script run on the router meets them whatever the export's order;
// UPnP page of the manual: the router adds the dynamic NAT rules itself)
// [verify] that a disabled fasttrack rule brings the dummy too, and where
// a hotspot's and UPnP's rules stand in the print.
func dynamicFirst(menu string, added map[string][]*export.Command, upnp bool) bool {
	switch menu {
	case "ip firewall filter", "ipv6 firewall filter":
		if slices.ContainsFunc(added[menu], func(c *export.Command) bool { return c.Value("action") == "fasttrack-connection" }) {
			return true
		}
	case "ip firewall nat":
		if upnp {
			return true
		}
	}
	return (menu == "ip firewall filter" || menu == "ip firewall nat") && slices.ContainsFunc(added["ip hotspot"], enabled)
}

// upnpOn reports whether the configuration turns UPnP on (/ip upnp set
// enabled=yes), anywhere in it.
func upnpOn(f *export.File) bool {
	return slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		return c.MenuPath() == "ip upnp" && c.Verb == "set" && c.Value("enabled") == "yes"
	})
}

// findTerm is one key=value (or key!=value, neg) of a find expression.
type findTerm struct {
	key, value string
	neg        bool
}

var (
	numberTarget = regexp.MustCompile(`^[0-9]+(,[0-9]+)*$`)
	findTarget   = regexp.MustCompile(`^\[\s*find(\s+where)?(\s.*)?\]$`)
	findTermRE   = regexp.MustCompile(`^([a-z0-9-]+)(!?=)("(?:[^"\\]|\\.)*"|[^\s"=!~<>][^\s"=~<>]*)$`)
)

// parseFind reads a "[ find k=v ... ]" target into its terms; ok is false
// for anything else (another operator, a bare flag, "or", "not"). The
// terms may be joined by "and", and a term may be k!=v: check's own fix
// lines name rules so ("set [ find where action=masquerade and
// chain=srcnat and out-interface!=ether2 ]"), and an export with them
// pasted in was read as if they were not there, the findings and the
// fix given again (chk57 D2).
func parseFind(target string) (terms []findTerm, ok bool) {
	m := findTarget.FindStringSubmatch(strings.TrimSpace(target))
	if m == nil {
		return nil, false
	}
	toks := splitQuoted(strings.TrimSpace(m[2]))
	for i, tok := range toks {
		if tok == "and" {
			// Only between two terms: "find and x=1" or "x=1 and and
			// y=2" is no expression RouterOS takes.
			if i == 0 || i == len(toks)-1 || toks[i-1] == "and" {
				return nil, false
			}
			continue
		}
		t := findTermRE.FindStringSubmatch(tok)
		if t == nil {
			return nil, false
		}
		v := t[3]
		if strings.HasPrefix(v, `"`) {
			u, err := strconv.Unquote(v)
			if err != nil {
				return nil, false
			}
			v = u
		}
		terms = append(terms, findTerm{key: t[1], value: v, neg: t[2] == "!="})
	}
	return terms, true
}

// splitQuoted splits s at blanks outside double quotes.
func splitQuoted(s string) []string {
	var out []string
	var b strings.Builder
	quoted, esc := false, false
	for _, r := range s {
		switch {
		case esc:
			esc = false
		case r == '\\' && quoted:
			esc = true
		case r == '"':
			quoted = !quoted
		case (r == ' ' || r == '\t') && !quoted:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
			continue
		}
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// itemHolds reports whether an added item has every term's value (or,
// for k!=v, another value; an absent property is none, so it differs
// [verify] RouterOS's != on an unset property); an absent disabled= is
// no, and an added item is never dynamic.
func itemHolds(c *export.Command, terms []findTerm) bool {
	for _, t := range terms {
		v, ok := c.Get(t.key)
		switch {
		case !ok && t.key == "disabled":
			v = "no"
		case !ok && t.key == "dynamic":
			v = "no"
		}
		if (v == t.value) == t.neg {
			return false
		}
	}
	return true
}

// applyEdits applies the export's edit lines to its add lines (see
// above) and notes what it did and what it could not follow.
func (p *Plan) applyEdits(f *export.File) {
	added := map[string][]*export.Command{} // per menu, every add so far, removed ones too
	removed := map[*export.Command]bool{}
	gone := map[*export.Command]bool{}
	var did, not, dummies, later []string
	upnp := upnpOn(f)
	seq := map[*export.Command]int{} // the order the adds were met in
	// pick is what target t names among menu's added items.
	pick := func(menu, t string) (items []*export.Command, st pickState) {
		switch t = strings.TrimSpace(t); {
		case numberTarget.MatchString(t) && !numberedMenus[menu]:
			// A menu with built-in items (/queue type, /ppp profile):
			// the print numbers them first, and an export sets them by
			// number (/queue type set 7 pcq-rate=300M), so numbers
			// here are not the added items'. Left as before.
			return nil, pickBuiltin
		case numberTarget.MatchString(t) && dynamicFirst(menu, added, upnp):
			return nil, pickDummy
		case numberTarget.MatchString(t):
			for _, n := range strings.Split(t, ",") {
				i, _ := strconv.Atoi(n)
				if i >= len(added[menu]) {
					return nil, pickUnread
				}
				items = append(items, added[menu][i])
			}
		case strings.HasPrefix(t, "["):
			terms, ok := parseFind(t)
			if !ok {
				return nil, pickUnread
			}
			for _, a := range added[menu] {
				if !removed[a] && itemHolds(a, terms) {
					items = append(items, a)
				}
			}
		default:
			// An item named by its name (set bridge1 arp=proxy-arp).
			for _, a := range added[menu] {
				if !removed[a] && a.Value("name") == t {
					items = append(items, a)
				}
			}
		}
		return items, pickRead
	}
	// The loop walks a copy: a move reorders f.Commands as it goes.
	for _, c := range slices.Clone(f.Commands) {
		if c.Menu == nil {
			continue
		}
		menu := c.MenuPath()
		if c.Verb == "add" {
			added[menu] = append(added[menu], c)
			seq[c] = len(seq) + 1
			continue
		}
		if c.Verb == "move" {
			what, dest := moveTargets(c)
			if what == "" || len(added[menu]) == 0 {
				continue
			}
			items, st := pick(menu, what)
			var to []*export.Command
			if st == pickRead && dest != "" {
				var dst pickState
				if to, dst = pick(menu, dest); dst != pickRead || len(to) != 1 {
					// RouterOS refuses a destination that finds two
					// items or none (docs/routeros.md, move).
					st = pickUnread
				}
			}
			switch st {
			case pickBuiltin:
				continue
			case pickDummy:
				dummies = append(dummies, fmt.Sprintf("line %d (%s)", c.Line, ruleQuote(c.Text())))
				continue
			case pickUnread:
				not = append(not, fmt.Sprintf("line %d (%s)", c.Line, ruleQuote(c.Text())))
				continue
			}
			block := slices.DeleteFunc(items, func(a *export.Command) bool { return removed[a] })
			if len(block) == 0 {
				continue // nothing of the export's own: as before
			}
			var dst *export.Command
			if len(to) == 1 {
				dst = to[0]
			}
			gone[c] = true
			did = append(did, moveItems(f, added, menu, block, dst, c.Line))
			continue
		}
		if c.Verb != "set" && c.Verb != "remove" && c.Verb != "enable" && c.Verb != "disable" || c.Target == "" || len(added[menu]) == 0 {
			continue
		}
		items, st := pick(menu, c.Target)
		if st == pickBuiltin {
			continue
		}
		understood, dummy := st == pickRead, st == pickDummy
		if dummy {
			dummies = append(dummies, fmt.Sprintf("line %d (%s)", c.Line, ruleQuote(c.Text())))
			continue
		}
		if !understood {
			not = append(not, fmt.Sprintf("line %d (%s)", c.Line, ruleQuote(c.Text())))
			continue
		}
		if len(items) == 0 {
			continue // a built-in item, or nothing: as before
		}
		if _, renames := c.Get("name"); renames && c.Verb == "set" {
			continue // later lines name it by its old name; RouterOS follows the item, the lab by the line
		}
		if c.Verb == "set" {
			if n := namedLater(c, items, seq); n != nil {
				if orderMatters(menu) {
					// Moving the rule would change what it means, and
					// applying the set in place would name what does
					// not exist yet there: the lab router runs the line
					// where it stands, as RouterOS does.
					later = append(later, fmt.Sprintf("line %d (%s, naming %s of line %d)", c.Line, ruleQuote(c.Text()), export.Quote(n.Value("name")), n.Line))
					continue
				}
				// RouterOS applies the set where it stands, once the item
				// it names exists: the edited item goes there, since the
				// order of this menu's items means nothing (f71 C1: a
				// secret's profile=p on the secret's line, before the
				// profile's add, was refused, and the lab had no secret).
				for _, it := range items {
					if !removed[it] {
						f.Commands = slices.DeleteFunc(f.Commands, func(x *export.Command) bool { return x == it })
						f.Commands = slices.Insert(f.Commands, slices.Index(f.Commands, c), it)
					}
				}
			}
		}
		var lines []string
		for _, it := range items {
			if removed[it] {
				continue // a number of a removed item: RouterOS says no such item
			}
			lines = append(lines, strconv.Itoa(it.Line))
			switch c.Verb {
			case "remove":
				removed[it] = true
			case "enable":
				it.Set("disabled", "no")
			case "disable":
				it.Set("disabled", "yes")
			default:
				for _, a := range c.Args {
					it.Set(a.Name, a.Value)
				}
				for _, u := range c.Unset {
					it.Del(u)
				}
			}
		}
		gone[c] = true
		what := map[string]string{"remove": "removes", "enable": "enables", "disable": "disables", "set": "sets " + argsText(c) + " on"}[c.Verb]
		did = append(did, fmt.Sprintf("line %d %s line(s) %s", c.Line, what, strings.Join(lines, ", ")))
	}
	if len(dummies) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d line(s) edit a firewall table by number, which check does not read (a number in a table whose print puts dynamic rules first: the fasttrack counters' rule, a hotspot's rules, UPnP's mappings): %s; the diagnosis reads the rules as added, and the lab router runs the line as RouterOS would", len(dummies), strings.Join(dummies, "; ")))
	}
	if len(later) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d line(s) set on a rule a value naming an item the export adds after the rule: %s; the diagnosis reads the rule as added, and the lab router runs the line where it stands, as RouterOS does (applied at the rule's own line it would name an item that does not exist yet, and the rule's place in its table is its meaning)", len(later), strings.Join(later, "; ")))
	}
	if len(gone) == 0 && len(not) == 0 {
		return
	}
	f.Commands = slices.DeleteFunc(f.Commands, func(c *export.Command) bool { return gone[c] || removed[c] })
	if len(did) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d line(s) edit items the export added earlier, which check reads as RouterOS applies them (the items as edited, the edit lines and the removed items left out of the diagnosis and of the lab's configuration): %s", len(did), strings.Join(did, "; ")))
	}
	if len(not) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d line(s) edit items the export added earlier in a way check does not read (a find with operators, or a number beyond the menu's items): %s; the diagnosis reads the items as added, and the lab router runs the line as RouterOS would", len(not), strings.Join(not, "; ")))
	}
}

// namedLater is the item added after the first of items (and so before
// the set line c) that one of c's values names (profile=p, in-interface=
// vlan9, a list of names), or nil.
func namedLater(c *export.Command, items []*export.Command, seq map[*export.Command]int) *export.Command {
	first := 0
	for _, it := range items {
		if first == 0 || seq[it] < first {
			first = seq[it]
		}
	}
	var found *export.Command
	for n, s := range seq {
		name := n.Value("name")
		if s <= first || name == "" || found != nil && seq[found] < s {
			continue
		}
		for _, a := range c.Args {
			if a.Name == "comment" || a.Name == "name" {
				continue
			}
			for _, v := range strings.Split(a.Value, ",") {
				if strings.TrimPrefix(v, "!") == name {
					found = n
				}
			}
		}
	}
	return found
}

// orderMatters reports whether the order of a menu's items is part of
// what they do: the first rule that matches decides (firewall tables,
// routing rules, static DNS entries, simple queues).
func orderMatters(menu string) bool {
	switch menu {
	case "routing rule", "ip route rule", "ip dns static", "queue simple":
		return true
	}
	return strings.Contains(menu, "firewall") || strings.HasPrefix(menu, "interface bridge filter") || strings.HasPrefix(menu, "interface bridge nat")
}

// argsText is an edit line's settings as written.
func argsText(c *export.Command) string {
	var s []string
	for _, a := range c.Args {
		s = append(s, a.Setting())
	}
	for _, u := range c.Unset {
		s = append(s, "!"+u)
	}
	return strings.Join(s, " ")
}

// pickState says how an edit line's target was read.
type pickState int

const (
	pickRead    pickState = iota // read: the items it names (none: not the export's own)
	pickBuiltin                  // a number in a menu whose print numbers built-in items first: left alone
	pickDummy                    // a number in a table whose print puts dynamic rules first
	pickUnread                   // a find or number check cannot follow
)

// moveTargets are the items a move line names and its destination ("" for
// none: the end of the menu), named (numbers=, destination=) or given in
// order ("move 4 3", "move [ find comment=x ] 0").
func moveTargets(c *export.Command) (what, dest string) {
	what, dest = c.Value("numbers"), c.Value("destination")
	t := strings.TrimSpace(c.Target)
	if what == "" {
		what, t = firstTarget(t)
	}
	if dest == "" {
		dest, _ = firstTarget(t)
	}
	return what, dest
}

// firstTarget splits s after its first item reference: a "[ ... ]" group
// (the words of splitQuoted up to the one that closes its brackets, so
// that a bracket inside a quoted value counts for nothing) or a word.
func firstTarget(s string) (first, rest string) {
	words := splitQuoted(strings.TrimSpace(s))
	if len(words) == 0 {
		return "", ""
	}
	n, depth := 1, 0
	if strings.HasPrefix(words[0], "[") {
		for i, w := range words {
			if !strings.HasPrefix(w, `"`) && !strings.Contains(w, `="`) {
				depth += strings.Count(w, "[") - strings.Count(w, "]")
			} else if strings.HasSuffix(w, "]") {
				depth -= len(w) - len(strings.TrimRight(w, "]"))
			}
			if n = i + 1; depth <= 0 {
				break
			}
		}
	}
	return strings.Join(words[:n], " "), strings.Join(words[n:], " ")
}

// moveItems moves block (items of menu, in any order) as RouterOS's move
// does (docs/routeros.md, "move numbers destination"): as one block, in
// the menu's order, before dst, or after the menu's last item when dst is
// nil; a dst inside the block leaves it where it is. It reorders both
// f.Commands, which the diagnosis walks and the lab's configuration is
// written from, and added[menu], whose order later numbers count [verify]
// that a number after a move counts the new order without a print. It
// returns the note's words for line.
func moveItems(f *export.File, added map[string][]*export.Command, menu string, block []*export.Command, dst *export.Command, line int) string {
	slices.SortFunc(block, func(a, b *export.Command) int { return slices.Index(f.Commands, a) - slices.Index(f.Commands, b) })
	var lines []string
	for _, it := range block {
		lines = append(lines, strconv.Itoa(it.Line))
	}
	if dst != nil && slices.Contains(block, dst) {
		return fmt.Sprintf("line %d moves line(s) %s before one of themselves: they stay", line, strings.Join(lines, ", "))
	}
	in := func(a *export.Command) bool { return slices.Contains(block, a) }
	// place puts the block into list before dst, or after the last item
	// of menu left in it (at the block's first place when none is).
	place := func(list []*export.Command, first int) []*export.Command {
		list = slices.DeleteFunc(slices.Clone(list), in)
		i := -1
		if dst != nil {
			i = slices.Index(list, dst)
		} else {
			for j, a := range list {
				if a.Verb == "add" && a.MenuPath() == menu {
					i = j + 1
				}
			}
		}
		if i < 0 {
			i = min(first, len(list))
		}
		return slices.Insert(list, i, block...)
	}
	f.Commands = place(f.Commands, slices.Index(f.Commands, block[0]))
	added[menu] = place(added[menu], slices.Index(added[menu], block[0]))
	if dst == nil {
		return fmt.Sprintf("line %d moves line(s) %s to the end of %s", line, strings.Join(lines, ", "), menu)
	}
	return fmt.Sprintf("line %d moves line(s) %s before line %d", line, strings.Join(lines, ", "), dst.Line)
}
