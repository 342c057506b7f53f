package kernel

import (
	"fmt"
	"strconv"
)

// The capacity of the connection table, emulated per lab (docs/routeros.md,
// "A full connection table").
//
// RouterOS derives max-entries from the router's RAM and offers no setting
// for it; Linux's nf_conntrack_max, the kernel's own limit, is writable only
// in the initial network namespace, and rosemu runs in a namespace of its
// own on a machine shared with other labs. So a lab that needs a small table
// gets rosemu's --conntrack-max instead: one nftables rule that drops the
// first packet of every new connection while the connections it has let in
// number more than the limit. That is what a full table does to a new flow
// (the kernel cannot allocate its entry and drops the packet), and entries
// already in the table go on matching. It lives in a table of its own,
// loaded once at start, because the firewall's table is replaced on every
// configuration change and the rule's count must survive that.
//
// Where the emulation differs from the kernel: a full kernel table first
// tries early_drop, evicting an entry that is not assured (a UDP flow without
// an answer and a second exchange, a TCP connection before its handshake
// completed) from a few hash buckets next to the new one; the rule evicts
// nothing. The count (nf_conncount) forgets a TCP connection once it reaches
// TIME_WAIT or CLOSE, while such an entry still occupies a kernel table. The
// conntrack-fill probe therefore fills the table with assured UDP flows,
// for which the kernel and the rule agree.

// CapacityTable is the nft table of the emulated capacity.
const CapacityTable = "rosemu_capacity"

// MaxConntrackCapacity bounds --conntrack-max: a lab that needs more
// entries than this does not need an emulated limit to stay small.
const MaxConntrackCapacity = 1_000_000

// CapacityRuleset returns the nft text of a connection table that holds max
// entries. The rule sits in one regular chain that both hooks jump to, so
// that forwarded, inbound and locally generated connections share one count,
// as they share one kernel table. The hooks run at priority -199, just after
// conntrack (-200) has made the packet's entry and before mangle (-150) and
// dstnat (-100) see it: a full kernel table drops the packet at that point
// too.
func CapacityRuleset(max int) (string, error) {
	if max < 1 || max > MaxConntrackCapacity {
		return "", fmt.Errorf("conntrack capacity %d is not within 1..%d", max, MaxConntrackCapacity)
	}
	n := strconv.Itoa(max)
	return "table ip " + CapacityTable + " {}\n" +
		"delete table ip " + CapacityTable + "\n" +
		"table ip " + CapacityTable + " {\n" +
		"\t# the emulated max-entries: new connections beyond " + n + " are dropped, as by a full table\n" +
		"\tchain full {\n" +
		"\t\tct state new ct count over " + n + " counter drop\n" +
		"\t}\n" +
		"\tchain prerouting {\n" +
		"\t\ttype filter hook prerouting priority -199; policy accept;\n" +
		"\t\tjump full\n" +
		"\t}\n" +
		"\tchain output {\n" +
		"\t\ttype filter hook output priority -199; policy accept;\n" +
		"\t\tjump full\n" +
		"\t}\n" +
		"}\n", nil
}

// SetConntrackCapacity makes the router's connection table hold at most max
// entries (see CapacityRuleset); ConntrackSysctls then reports max as the
// table's max-entries. Call it once, before traffic flows: connections made
// earlier are not counted.
func (d *Dataplane) SetConntrackCapacity(max int) error {
	text, err := CapacityRuleset(max)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := run(d.ns, text, d.nft, "-f", "-"); err != nil {
		return fmt.Errorf("load table ip %s with nft: %w", CapacityTable, err)
	}
	d.capacity = max
	return nil
}
