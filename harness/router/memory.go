package router

import "strings"

// Memory is the guest memory in MiB MikroTik advises for a CHR
// (help.mikrotik.com, Cloud Hosted Router, System requirements): for
// RouterOS v7 512 MiB + 8 MiB x CPUs x (interfaces - 1); v6 asks for
// 256 MiB. An unknown version (a CHR_IMAGE without ROUTEROS) gets the v7
// figure, which v6 runs in too.
func Memory(version string, cpus, interfaces int) int {
	if strings.HasPrefix(version, "6.") {
		return 256
	}
	return 512 + 8*cpus*max(interfaces-1, 0)
}
