package kernel

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"strings"
)

// Counter is what one firewall rule has counted.
type Counter struct {
	Packets uint64
	Bytes   uint64
}

// nftList is the part of `nft -j list table` that counters need.
type nftList struct {
	Nftables []struct {
		Rule *struct {
			Comment string            `json:"comment"`
			Expr    []json.RawMessage `json:"expr"`
		} `json:"rule"`
	} `json:"nftables"`
}

// ruleID is the RouterOS id that starts every rule comment ("*1A x").
func ruleID(comment string) string {
	id, _, _ := strings.Cut(comment, " ")
	if !strings.HasPrefix(id, "*") {
		return ""
	}
	return id
}

// parseCounters sums the counters of the rendered rules per RouterOS id: a
// rule rendered as several nft rules (port=, dynamic address lists) counts
// once per packet, in whichever line matched.
func parseCounters(data []byte) (map[string]Counter, error) {
	var l nftList
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("parse nft's JSON listing: %w", err)
	}
	out := map[string]Counter{}
	for _, e := range l.Nftables {
		if e.Rule == nil {
			continue
		}
		id := ruleID(e.Rule.Comment)
		if id == "" {
			continue
		}
		for _, raw := range e.Rule.Expr {
			var x struct {
				Counter *Counter `json:"counter"`
			}
			if json.Unmarshal(raw, &x) != nil || x.Counter == nil {
				continue
			}
			c := out[id]
			c.Packets += x.Counter.Packets
			c.Bytes += x.Counter.Bytes
			out[id] = c
		}
	}
	return out, nil
}

// UnmarshalJSON reads nft's {"packets": N, "bytes": M}.
func (c *Counter) UnmarshalJSON(b []byte) error {
	var v struct {
		Packets uint64 `json:"packets"`
		Bytes   uint64 `json:"bytes"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	c.Packets, c.Bytes = v.Packets, v.Bytes
	return nil
}

// rawCounters reads the kernel's counters of the live tables: the IPv4
// one, and the IPv6 one when the configuration has made it (Render6).
// Rule ids are the model's, unique across both.
func (d *Dataplane) rawCounters() (map[string]Counter, error) {
	out, err := run(d.ns, "", d.nft, "-j", "list", "table", "ip", TableName)
	if err != nil {
		return nil, fmt.Errorf("list table ip %s: %w", TableName, err)
	}
	counts, err := parseCounters([]byte(out))
	if err != nil {
		return nil, err
	}
	counts6, err := d.rawCounters6()
	if err != nil {
		return nil, err
	}
	maps.Copy(counts, counts6)
	countsBr, err := d.rawCountersBr()
	if err != nil {
		return nil, err
	}
	maps.Copy(counts, countsBr)
	return counts, nil
}

// rawCountersBr reads the counters of the bridge table's filter rules
// (bridgefw.go); none while there is no such table.
func (d *Dataplane) rawCountersBr() (map[string]Counter, error) {
	if d.appliedBr == "" {
		return map[string]Counter{}, nil
	}
	out, err := run(d.ns, "", d.nft, "-j", "list", "table", "bridge", BridgeTableName)
	if err != nil {
		return nil, fmt.Errorf("list table bridge %s: %w", BridgeTableName, err)
	}
	return parseCounters([]byte(out))
}

// rawCounters6 reads the counters of the IPv6 table; none before the
// configuration made it.
func (d *Dataplane) rawCounters6() (map[string]Counter, error) {
	if d.applied6 == "" {
		return map[string]Counter{}, nil
	}
	out, err := run(d.ns, "", d.nft, "-j", "list", "table", "ip6", TableName)
	if err != nil {
		return nil, fmt.Errorf("list table ip6 %s: %w", TableName, err)
	}
	return parseCounters([]byte(out))
}

// keepCounters6 is keepCounters for the IPv6 table's text: its rules
// start at what they have counted so far.
func (d *Dataplane) keepCounters6(text6 string) string {
	raw, err := d.rawCounters6()
	if err != nil || len(raw) == 0 {
		return text6
	}
	return withCounters(text6, d.shown(raw))
}

// dropBase forgets the reset baselines of the rules rendered in text,
// whose counters a reload has just started at the shown values.
func (d *Dataplane) dropBase(text string) {
	for _, m := range commentID.FindAllStringSubmatch(text, -1) {
		delete(d.counterBase, m[1])
	}
}

// shown subtracts the reset baseline; the caller holds d.mu.
func (d *Dataplane) shown(raw map[string]Counter) map[string]Counter {
	for id, b := range d.counterBase {
		c := raw[id]
		if c.Packets >= b.Packets && c.Bytes >= b.Bytes {
			raw[id] = Counter{c.Packets - b.Packets, c.Bytes - b.Bytes}
		}
	}
	return raw
}

// RuleCounters returns the packets and bytes every firewall rule counted
// since it was added or since its counters were last reset, by rule id.
func (d *Dataplane) RuleCounters() (map[string]Counter, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	raw, err := d.rawCounters()
	if err != nil {
		return nil, fmt.Errorf("read rule counters: %w", err)
	}
	return d.shown(raw), nil
}

// ResetCounters zeroes the counters of the rules with the given ids, or of
// every rule when ids is nil (reset-counters-all).
func (d *Dataplane) ResetCounters(ids []string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	raw, err := d.rawCounters()
	if err != nil {
		return fmt.Errorf("reset rule counters: %w", err)
	}
	if d.counterBase == nil {
		d.counterBase = map[string]Counter{}
	}
	if ids == nil {
		for id := range raw {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		d.counterBase[id] = raw[id]
	}
	return nil
}

// keepCounters returns text with the addresses rules added to address
// lists (dyn, see withDynEntries) and each rule's first counter statement
// starting at what the rule has counted so far, so that replacing the table
// does not zero RouterOS's counters; the caller holds d.mu and, once the
// text is loaded, clears d.counterBase (the new counters start at the
// shown values). Without a live table (the first Apply) the text is
// returned as it is.
func (d *Dataplane) keepCounters(text string, dyn []DynEntry) string {
	if d.applied == "" {
		return text
	}
	text = withDynEntries(text, dyn)
	raw, err := d.rawCounters()
	if err != nil {
		return text
	}
	return withCounters(text, d.shown(raw))
}

var counterWord = regexp.MustCompile(`(^|\s)counter(\s)`)
var commentID = regexp.MustCompile(` comment "(\*[0-9A-F]+)[ "]`)

// withCounters gives the first rendered line of every rule id in counts its
// starting counts: "counter" becomes "counter packets P bytes B".
func withCounters(text string, counts map[string]Counter) string {
	if len(counts) == 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	done := map[string]bool{}
	for i, l := range lines {
		m := commentID.FindStringSubmatch(l)
		if m == nil || done[m[1]] {
			continue
		}
		done[m[1]] = true
		c, ok := counts[m[1]]
		if !ok || (c.Packets == 0 && c.Bytes == 0) {
			continue
		}
		loc := counterWord.FindStringSubmatchIndex(l)
		if loc == nil {
			continue
		}
		// loc[4:6] is the whitespace after the word.
		lines[i] = l[:loc[4]] + fmt.Sprintf(" packets %d bytes %d", c.Packets, c.Bytes) + l[loc[4]:]
	}
	return strings.Join(lines, "\n")
}
