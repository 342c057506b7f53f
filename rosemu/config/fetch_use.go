package config

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/chrlab/chrlab/rosemu/script"
)

// fetchReason says why a script's /tool fetch is reported: rosemu fetches
// over HTTP and HTTPS (fetch.go); FTP, SFTP, TFTP and uploads fail as when
// no server answers, also toward a lab host.
const fetchReason = "a script runs /tool fetch by FTP, SFTP or TFTP or with upload=yes, which rosemu does not do (it fails as when no server answers); HTTP and HTTPS fetches are done"

// fetchCall finds a /tool fetch rosemu does not do in a script's source,
// in the console's and the API-like spellings ("/tool fetch",
// "/tool/fetch"): one by FTP, SFTP or TFTP (mode= or the URL's scheme), or
// an upload.
var (
	fetchWord   = regexp.MustCompile(`tool[ /]+fetch\b`)
	fetchNotWeb = regexp.MustCompile(`mode=s?t?ftp\b|\bs?t?ftp://|upload=yes`)
)

// fetchCallIn reports whether src runs a fetch rosemu does not do.
func fetchCallIn(src string) bool {
	return fetchWord.MatchString(src) && fetchNotWeb.MatchString(src)
}

// scriptProps are the properties that hold script source.
var scriptProps = []string{"source", "on-event", "up-script", "down-script", "test-script", "script", "lease-script", "on-up", "on-down"}

// delayReason says why a script's long :delay is reported: rosemu caps
// every wait at script.MaxDelay so that a lab run is bounded, and a run
// whose script waits 12 s for a 10 s timeout to pass must say so (a forum
// case's wait was cut with no word in the run).
var delayReason = fmt.Sprintf(":delay waits at most %s in rosemu (a lab run is bounded): a longer wait in a script is cut to that", script.FormatTimeCompact(script.MaxDelay))

// topDelayReason says why a :delay of console text (a configure step, a
// .rsc's top-level line, an /import's file) that asks for more than
// MaxTopDelay, or for more than the run's bound leaves (review44 #4), is
// reported: it is cut to that (forum43 D11).
func topDelayReason() string {
	return fmt.Sprintf(":delay waits at most %s at the top of a text in rosemu, and no longer than leaves %s of the text's run bound of %s: a longer wait is cut to that", script.FormatTimeCompact(MaxTopDelay), script.FormatTimeCompact(script.DelayReserve), script.FormatTimeCompact(MaxRunTime))
}

// delayWord finds a :delay's literal time ("12s", "1m", "00:00:30",
// delay-time=2m).
var delayWord = regexp.MustCompile(`:delay\s+(?:delay-time=)?"?([0-9][0-9a-z:.]*)`)

// longDelayIn reports whether src waits longer than rosemu does.
func longDelayIn(src string) bool {
	for _, m := range delayWord.FindAllStringSubmatch(src, -1) {
		if d, ok := script.ParseTime(m[1]); ok && d > script.MaxDelay {
			return true
		}
	}
	return false
}

// scriptGaps are what a script's source may ask for that rosemu does not
// do as RouterOS does, each with its reason.
var scriptGaps = []struct {
	in     func(string) bool
	reason string
}{{fetchCallIn, fetchReason}, {longDelayIn, delayReason}, {btestWord.MatchString, "bandwidth-test: " + btestClientReason}, {scepWord.MatchString, "add-scep: " + scepReason}}

// btestWord and scepWord find a script's /tool bandwidth-test and
// /certificate add-scep, which rosemu accepts and does not do (btest.go,
// certificate.go), in the console's and the API-like spellings.
var (
	btestWord = regexp.MustCompile(`tool[ /]+bandwidth-test\b`)
	scepWord  = regexp.MustCompile(`certificate[ /]+add-scep\b`)
)

// fetchUse reports, for NotEnforced, the scripts that fetch by FTP or
// upload, or wait longer than rosemu does: a run whose script fails at the
// fetch must say that rosemu left it out, since RouterOS would have
// fetched from a lab host that answers.
func fetchUse(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
	for _, gap := range scriptGaps {
		for _, mn := range menus {
			if mn.readOnly {
				continue
			}
			for _, p := range scriptProps {
				if mn.prop(p) == nil {
					continue
				}
				n := 0
				for _, it := range m.tables[mn.tableName()] {
					if gap.in(it.props[p]) {
						n++
					}
				}
				if n > 0 {
					out = append(out, NotEnforcedItem{Path: "/" + mn.path, Property: p, Reason: gap.reason, Count: n})
				}
			}
		}
	}
	return out
}

// fetchArg is the script property of a command whose source fetches or
// waits longer than rosemu does, and the reason, for validate's line (""
// when none does).
func fetchArg(args []script.Arg) (string, string) {
	for _, a := range args {
		if !slices.Contains(scriptProps, a.Name) {
			continue
		}
		v, ok := literalText(a.Value)
		if !ok {
			continue
		}
		for _, gap := range scriptGaps {
			if gap.in(v) {
				return a.Name, gap.reason
			}
		}
	}
	return "", ""
}
