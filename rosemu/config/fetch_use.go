package config

import (
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

// fetchUse reports, for NotEnforced, the scripts that fetch by FTP or
// upload: a run whose script fails at the fetch must say that rosemu left
// it out, since RouterOS would have fetched from a lab host that answers.
func fetchUse(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
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
				if fetchCallIn(it.props[p]) {
					n++
				}
			}
			if n > 0 {
				out = append(out, NotEnforcedItem{Path: "/" + mn.path, Property: p, Reason: fetchReason, Count: n})
			}
		}
	}
	return out
}

// fetchArg is the script property of a command whose source fetches, for
// validate's line ("" when none does).
func fetchArg(args []script.Arg) string {
	for _, a := range args {
		if !slices.Contains(scriptProps, a.Name) {
			continue
		}
		if v, ok := literalText(a.Value); ok && fetchCallIn(v) {
			return a.Name
		}
	}
	return ""
}
