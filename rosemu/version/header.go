package version

import (
	"regexp"
	"strings"
)

// headerRE finds the version in an export's first comment line: "#
// 2024-05-01 10:00:00 by RouterOS 7.14.3", "# jan/02/2023 10:00:00 by
// RouterOS 6.49.7", "... by RouterOS 7.17beta2", and "# RouterOS 6.48.3",
// the header as Oxidized and other config-diff tools keep it, without its
// changing time (31 exports of one ISP's routers have it).
var headerRE = regexp.MustCompile(`(?:by RouterOS|^#\s*RouterOS) ([0-9][0-9A-Za-z.]*)`)

// numericRE is the numbered part of a version: 7.17 of 7.17beta2.
var numericRE = regexp.MustCompile(`^[67]\.[0-9]+(?:\.[0-9]+)?`)

// FromHeader returns the version a comment line of an export names as
// written ("7.17beta2"), or "" when the line names none.
func FromHeader(line string) string {
	if !strings.HasPrefix(strings.TrimSpace(line), "#") {
		return ""
	}
	if m := headerRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
		return m[1]
	}
	return ""
}

// promptRE is the console prompt pasted above an export with the command
// that printed it: "[admin@MikroTik] > export compact", "[user@951G] >
// /export", "[admin@MikroTik] /ip> export", or its tail ("@MikroTik] >
// export") as forum posts and READMEs keep it.
var promptRE = regexp.MustCompile(`^\[?[^\s\]]*@[^\]]*\]\s*[^>]*>\s*(?:/?[a-z /-]*)?export\b`)

// exportCmdRE is the export command alone on the line above the header, as
// a blog post keeps it ("/export compact", "/ip firewall export").
var exportCmdRE = regexp.MustCompile(`^/[a-z0-9 /-]*\bexport(?:\s+(?:compact|terse|verbose|hide-sensitive|show-sensitive))*$`)

// OfExport returns the version an export's header names, numbers only
// (7.17 of 7.17beta2), so that the emulator can be told it; "" when the
// export names none before its first command. A console prompt with the
// export command on the line above the header does not hide it.
func OfExport(src string) string {
	for _, line := range strings.Split(strings.TrimPrefix(src, "\ufeff"), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || promptRE.MatchString(t) || exportCmdRE.MatchString(t) {
			continue
		}
		if !strings.HasPrefix(t, "#") {
			return ""
		}
		if v := numericRE.FindString(FromHeader(t)); v != "" {
			return v
		}
	}
	return ""
}
