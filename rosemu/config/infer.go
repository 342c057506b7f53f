package config

import (
	"context"
	"fmt"
	"time"

	"github.com/chrlab/chrlab/rosemu/version"
)

// Inferred is the RouterOS version a configuration without a version in
// its header fits, and how many of its commands each candidate refuses.
type Inferred struct {
	// Version is version.LastV6, version.Old6 or version.Newer7 when that
	// version refuses fewer of the commands than version.Default does,
	// else "" (the default).
	Version string
	// Refused6, Refused7 and RefusedNewer7 count the commands refused as
	// version.LastV6, version.Default and version.Newer7; RefusedOld6 as
	// version.Old6. All but Refused7 are 0 when the default refused
	// nothing (they were not run).
	Refused6, Refused7, RefusedNewer7, RefusedOld6 int
}

// Why says what the inference rests on, for the user.
func (i Inferred) Why() string {
	if i.Version == version.Newer7 {
		return fmt.Sprintf("no version in the file's header, and its lines fit a newer RouterOS 7: RouterOS %s refuses %d of them, RouterOS %s %d, RouterOS 6 %d",
			version.Default, i.Refused7, version.Newer7, i.RefusedNewer7, i.Refused6)
	}
	if i.Version == version.Old6 {
		return fmt.Sprintf("no version in the file's header, and its lines fit RouterOS 6.40 or older: RouterOS 7 refuses %d of them, RouterOS %s %d, RouterOS %s %d",
			i.Refused7, version.LastV6, i.Refused6, version.Old6, i.RefusedOld6)
	}
	return fmt.Sprintf("no version in the file's header, and its lines fit RouterOS 6: RouterOS 7 refuses %d of them, RouterOS 6 %d", i.Refused7, i.Refused6)
}

// InferVersion validates src as the default RouterOS 7 and, when that
// refuses some of it, as the last RouterOS 6 and as a newer RouterOS 7,
// and keeps the version that refuses fewest of its commands; also as
// 6.40, whose MAC server and neighbor discovery 6.41 changed. A forum post
// or a README often keeps an export without its header, and the two majors
// spell much differently (/ip route rule against /routing rule,
// routing-mark= against routing-table=, v6's OSPF and BGP menus): checked
// as 7, a RouterOS 6 export is refused line by line for being 6. Within 7
// some menus changed shape (7.17's OpenVPN servers are a list, "add
// name=ovpn-server1", which 7.16 refuses). A tie keeps the default, the
// version a header-less file is otherwise held to, then the newer 7.
// Validation needs no kernel and no services, so the runs are cheap.
func InferVersion(ctx context.Context, src string, timeout time.Duration) Inferred {
	ports := PortsOf(src)
	count := func(v string) int {
		return New(Options{Ports: ports, Version: v}).Validate(ctx, src, timeout).Count(Refused)
	}
	// Nothing refused as the default: no other can do better, and the
	// other runs are saved.
	i := Inferred{Refused7: count(version.Default)}
	if i.Refused7 == 0 {
		return i
	}
	i.Refused6, i.RefusedNewer7, i.RefusedOld6 = count(version.LastV6), count(version.Newer7), count(version.Old6)
	// The first of the fewest wins: a tie keeps the default, then the
	// newer 7, then the last 6 over 6.40 (6.41 changed how the MAC server
	// and neighbor discovery name their interfaces, so an older router's
	// export is refused there by the last 6 and taken by 6.40).
	best := i.Refused7
	for _, c := range []struct {
		v string
		n int
	}{{version.Newer7, i.RefusedNewer7}, {version.LastV6, i.Refused6}, {version.Old6, i.RefusedOld6}} {
		if c.n < best {
			best, i.Version = c.n, c.v
		}
	}
	return i
}
