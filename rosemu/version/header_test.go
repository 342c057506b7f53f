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
	} {
		if got := OfExport(src); got != want {
			t.Errorf("OfExport(%q) = %q, want %q", src, got, want)
		}
	}
}
