package config

import (
	"strings"
	"time"
)

// creationTime is an address-list entry's read-only creation-time ("The
// time when the entry was created", CLI reference of ip/firewall/
// address-list), in the router's time zone and its version's date form:
// 2006-01-02 15:04:05 from 7.10, jan/02/2006 15:04:05 before (the form
// of RouterOS's dates, as the log and clock print them; [verify] the
// first version that has creation-time). A static entry's is when add
// made it; a kernel entry's is set by kernelListItems. An entry rosemu generates (a rule's add-src-to-address-list
// in the kernel, a lease's, a PPP session's, a DNS name's) has no record
// of its making: its time is the earliest of when rosemu first listed it
// and, for a kernel entry with a timeout, when that timeout was last set
// (its length less what is left; a rule that refreshes the entry sets
// it again). Both are no earlier than the making, so the time can be
// late by up to the time between the making and the first listing.
func (t *tx) creationTime(it *item) string {
	when := it.created
	if when.IsZero() {
		seen, ok := t.r.sys.firstSeen[it.id]
		if !ok {
			seen = t.now
			t.r.sys.firstSeen[it.id] = seen
		}
		when = seen
	}
	return formatRouterDate(when.In(clockLocation(t.m)), t.r.opts.Version)
}

// formatRouterDate writes a date and time as RouterOS version v prints
// one: 7.10 moved to ISO dates.
func formatRouterDate(when time.Time, v string) string {
	if versionAtLeast(v, 7, 10) {
		return when.Format("2006-01-02 15:04:05")
	}
	return strings.ToLower(when.Format("Jan/02/2006 15:04:05"))
}
