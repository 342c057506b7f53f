package kernel

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Address lists that rules add to (add-src-to-address-list, port knocking)
// get a second set, ald_<list>, filled by the kernel with timeouts. The
// static set al_<list> is an interval set, and the kernel cannot add
// elements with timeouts to an interval set from the packet path, so a
// list's members are the union of the two sets. Entries the kernel added
// are carried over a reload of the table (withDynEntries) with the time
// they have left.

// dynamicLists names the lists that some rule adds to, enabled or not, and
// those that hold entries a rule added (st.LiveDynLists). On RouterOS an
// entry a rule added lives until its timeout whatever becomes of the rule
// (Address-lists page of the manual: the timeout is the "time after
// address will be removed from the address list"); a honeypot's entries
// vanished here when its rule was disabled or removed, and the drop of the
// list let the trapped host in again.
func dynamicLists(st *State) map[string]bool {
	return listsAddedTo(st.LiveDynLists, st.Filter, st.NAT, st.Mangle, st.Raw)
}

// dynamicLists6 is dynamicLists for the /ipv6 firewall: the lists its
// rules add to and those holding entries rules added (v6.LiveDynLists).
func dynamicLists6(v6 *IPv6) map[string]bool {
	return listsAddedTo(v6.LiveDynLists, v6.Filter, v6.NAT, v6.Raw)
}

// listsAddedTo names the lists of live and those that some rule of tables
// adds to, enabled or not.
func listsAddedTo(live map[string]bool, tables ...[]Rule) map[string]bool {
	out := map[string]bool{}
	for l := range live {
		out[l] = true
	}
	for _, rules := range tables {
		for _, r := range rules {
			switch r.Props["action"] {
			case "add-src-to-address-list", "add-dst-to-address-list":
				if l := r.Props["address-list"]; l != "" {
					out[l] = true
				}
			}
		}
	}
	return out
}

// renderDynLists writes the dynamic sets, of addresses of typ (ipv4_addr,
// ipv6_addr).
func renderDynLists(b *strings.Builder, lists map[string]bool, typ string) error {
	for _, n := range sortedKeys(lists) {
		id, err := ident("ald_", n)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\t# RouterOS address list %s: entries added by rules\n\tset %s {\n\t\ttype %s\n\t\tflags dynamic, timeout\n\t}\n", quoteText(n, 200), id, typ)
	}
	return nil
}

// dynListVariants matches a list with a dynamic part: a positive match is
// two rules a packet can match at most one of; a negative one is a single
// rule that excludes both sets.
//
//	src-address-list=L  -> ip saddr @al_L ... ; ip saddr != @al_L ip saddr @ald_L ...
//	src-address-list=!L -> ip saddr != @al_L ip saddr != @ald_L
func dynListVariants(fam, field, v string) ([][]string, error) {
	neg, name := negated(v)
	st, err := ident("al_", name)
	if err != nil {
		return nil, err
	}
	dy, err := ident("ald_", name)
	if err != nil {
		return nil, err
	}
	f := fam + " " + field + " "
	if neg {
		return [][]string{{f + "!= @" + st, f + "!= @" + dy}}, nil
	}
	return [][]string{{f + "@" + st}, {f + "!= @" + st, f + "@" + dy}}, nil
}

// crossVariants combines two sets of alternative expression lists: a rule
// that needs one of a and one of b becomes one line per pair. nil stands for
// "no alternatives".
func crossVariants(a, b [][]string) [][]string {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	var out [][]string
	for _, x := range a {
		for _, y := range b {
			out = append(out, append(append([]string{}, x...), y...))
		}
	}
	return out
}

// DynEntry is an address the kernel added to an address list
// (add-src-to-address-list); Timeout is 0 for an entry without one.
type DynEntry struct {
	List    string
	Address string
	Timeout time.Duration // as added
	Expires time.Duration // left
}

// nftSets is the part of `nft -j list table` that dynamic sets need.
type nftSets struct {
	Nftables []struct {
		Set *struct {
			Name string            `json:"name"`
			Elem []json.RawMessage `json:"elem"`
		} `json:"set"`
	} `json:"nftables"`
}

// parseDynEntries reads the entries of the ald_ sets from nft's JSON.
func parseDynEntries(data []byte) ([]DynEntry, error) {
	var l nftSets
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("parse nft's JSON listing: %w", err)
	}
	var out []DynEntry
	for _, e := range l.Nftables {
		if e.Set == nil || !strings.HasPrefix(e.Set.Name, "ald_") {
			continue
		}
		list, ok := unident("ald_", e.Set.Name)
		if !ok {
			continue
		}
		for _, raw := range e.Set.Elem {
			var plain string
			if json.Unmarshal(raw, &plain) == nil {
				out = append(out, DynEntry{List: list, Address: plain})
				continue
			}
			var x struct {
				Elem struct {
					Val     string `json:"val"`
					Timeout int64  `json:"timeout"`
					Expires int64  `json:"expires"`
				} `json:"elem"`
			}
			if json.Unmarshal(raw, &x) == nil && x.Elem.Val != "" {
				out = append(out, DynEntry{List: list, Address: x.Elem.Val,
					Timeout: time.Duration(x.Elem.Timeout) * time.Second, Expires: time.Duration(x.Elem.Expires) * time.Second})
			}
		}
	}
	return out, nil
}

// unident reverses ident.
func unident(prefix, id string) (string, bool) {
	if !strings.HasPrefix(id, prefix) {
		return "", false
	}
	s := id[len(prefix):]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '_' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), true
}

// liveDynEntries are the entries rules added in the loaded table, read
// once per Apply: they name the lists that keep their sets (dynListNames)
// and go back into the new table (keepCounters). nil before the first
// Apply or without such sets. The caller holds d.mu.
func (d *Dataplane) liveDynEntries() []DynEntry {
	return d.loadedDynEntries(d.applied, "ip")
}

// loadedDynEntries are the entries of the ald_ sets of the loaded table of
// family fam whose text is applied; nil when it has none or cannot be read.
func (d *Dataplane) loadedDynEntries(applied, fam string) []DynEntry {
	if !strings.Contains(applied, "set ald_") {
		return nil
	}
	entries, err := d.dynEntries(fam)
	if err != nil {
		return nil
	}
	return entries
}

// dynListNames names the lists the entries are in; nil for none.
func dynListNames(entries []DynEntry) map[string]bool {
	var out map[string]bool
	for _, e := range entries {
		if out == nil {
			out = map[string]bool{}
		}
		out[e.List] = true
	}
	return out
}

// DynamicListEntries lists the addresses rules added to address lists:
// those of the IPv4 firewall's lists, then those of the IPv6 one's.
func (d *Dataplane) DynamicListEntries() ([]DynEntry, error) {
	out, err := d.dynEntries("ip")
	if err != nil || d.applied6 == "" || !strings.Contains(d.applied6, "set ald_") {
		return out, err
	}
	v6, err := d.dynEntries("ip6")
	return append(out, v6...), err
}

// dynEntries lists the entries of the ald_ sets of rosemu's table of
// family fam (ip, ip6).
func (d *Dataplane) dynEntries(fam string) ([]DynEntry, error) {
	out, err := run(d.ns, "", d.nft, "-j", "list", "table", fam, TableName)
	if err != nil {
		return nil, fmt.Errorf("list table %s %s: %w", fam, TableName, err)
	}
	return parseDynEntries([]byte(out))
}

// liveDynEntries6 is liveDynEntries for the loaded ip6 table: its entries
// go back into the new one.
func (d *Dataplane) liveDynEntries6() []DynEntry {
	return d.loadedDynEntries(d.applied6, "ip6")
}

// RemoveDynamicEntry deletes an address a rule added to list; one that
// has expired meanwhile is not an error.
func (d *Dataplane) RemoveDynamicEntry(list, addr string) error {
	set, err := ident("ald_", list)
	if err != nil {
		return err
	}
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return fmt.Errorf("remove %q from address list %s: not an address", addr, list)
	}
	fam := "ip"
	if !a.Is4() {
		fam = "ip6"
	}
	if _, err := run(d.ns, "", d.nft, "delete", "element", fam, TableName, set, "{ "+a.String()+" }"); err != nil && !strings.Contains(err.Error(), "No such file") {
		return fmt.Errorf("remove %s from address list %s: %w", addr, list, err)
	}
	return nil
}

// withDynEntries carries the addresses rules added over a reload of the
// table: each ald_ set of text that had entries gets them back with the
// time they had left.
func withDynEntries(text string, entries []DynEntry) string {
	// The text's own family: an ip6 table takes the IPv6 entries.
	typ, v6 := "ipv4_addr", strings.Contains(text, "table ip6 ")
	if v6 {
		typ = "ipv6_addr"
	}
	byList := map[string][]string{}
	for _, e := range entries {
		a, err := netip.ParseAddr(e.Address)
		if err != nil || a.Is4() == v6 {
			continue
		}
		el := a.String()
		if e.Timeout > 0 {
			left := max(e.Expires, time.Second)
			el += fmt.Sprintf(" timeout %ds expires %ds", int64(e.Timeout/time.Second), int64(left/time.Second))
		}
		byList[e.List] = append(byList[e.List], el)
	}
	for list, els := range byList {
		id, err := ident("ald_", list)
		if err != nil {
			continue
		}
		head := "\tset " + id + " {\n\t\ttype " + typ + "\n\t\tflags dynamic, timeout\n"
		if !strings.Contains(text, head) {
			continue // not rendered (cannot happen: dynamicLists keeps it)
		}
		text = strings.Replace(text, head, head+"\t\telements = { "+strings.Join(els, ", ")+" }\n", 1)
	}
	return text
}
