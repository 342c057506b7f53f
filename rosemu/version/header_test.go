package version

import "testing"

func TestOfExport(t *testing.T) {
	for src, want := range map[string]string{
		"# 2024-05-01 10:00:00 by RouterOS 7.14.3\n# software id = X\n/system identity set name=a\n":              "7.14.3",
		"\ufeff# jan/02/2023 10:00:00 by RouterOS 6.49.7\r\n# software id = X\r\n/system identity set name=a\r\n": "6.49.7",
		"# 2025-01-02 10:00:00 by RouterOS 7.17beta2\n/ip address print\n":                                        "7.17",
		"/system identity set name=a\n# by RouterOS 7.1\n":                                                        "",
		"# written by hand\n/ip address print\n":                                                                  "",
		"# by RouterOS 5.26\n":                                                                                    "",
		// The header as Oxidized keeps it, without its time.
		"# RouterOS 6.48.3\n# software id = X\n/ip address print\n": "6.48.3",
		"  # RouterOS 7.16.2\n/ip address print\n":                  "7.16.2",
		"# not RouterOS 7.16.2\n/ip address print\n":                "",
		// The console prompt pasted above the header (h22: a README's
		// "[user@951G] > /export", a forum post's "@MikroTik] > export",
		// "[admin@MikroTik] /ip> export" of a section).
		"[user@951G] > /export \n# apr/14/2022 20:58:58 by RouterOS 7.3.1\n/ip address print\n":    "7.3.1",
		"@MikroTik] > export\n# 2024-12-07 21:13:40 by RouterOS 7.16.2\n/ip address print\n":       "7.16.2",
		"    [admin@MikroTik] /ip> export\n    # jan/25/2023 18:05:26 by RouterOS 7.7\n/ip pool\n": "7.7",
		"[admin@MikroTik] > /ip address print\n# by RouterOS 7.7\n":                                "",
		"/export compact  \n# jul/06/2018 21:15:00 by RouterOS 6.42.5\n/interface bridge\n":        "6.42.5",
		"/ip firewall export\n# may/12/2023 11:22:13 by RouterOS 6.49.7\n/ip firewall filter\n":    "6.49.7",
		"/export file=x\n# by RouterOS 7.7\n":                                                      "",
	} {
		if got := OfExport(src); got != want {
			t.Errorf("OfExport(%q) = %q, want %q", src, got, want)
		}
	}
}
