package config

import (
	"context"
	"fmt"
	"time"

	"github.com/chrlab/chrlab/rosemu/version"
)

// Inferred is the RouterOS major version a configuration without a
// version in its header fits, and how many of its commands each version
// refuses.
type Inferred struct {
	// Version is version.LastV6 when RouterOS 6 refuses fewer of its
	// commands than RouterOS 7, else "" (the default, RouterOS 7).
	Version            string
	Refused6, Refused7 int
}

// Why says what the inference rests on, for the user.
func (i Inferred) Why() string {
	return fmt.Sprintf("no version in the file's header, and its lines fit RouterOS 6: RouterOS 7 refuses %d of them, RouterOS 6 %d", i.Refused7, i.Refused6)
}

// InferVersion validates src as the last RouterOS 6 and as the default
// RouterOS 7 and keeps the version that refuses fewer of its commands. A
// forum post or a README often keeps an export without its header, and
// the two majors spell much differently (/ip route rule against /routing
// rule, routing-mark= against routing-table=, v6's OSPF and BGP menus):
// checked as 7, a RouterOS 6 export is refused line by line for being 6.
// A tie keeps RouterOS 7, the version a header-less file is otherwise held
// to. Validation needs no kernel and no services, so both runs are cheap.
func InferVersion(ctx context.Context, src string, timeout time.Duration) Inferred {
	ports := PortsOf(src)
	count := func(v string) int {
		return New(Options{Ports: ports, Version: v}).Validate(ctx, src, timeout).Count(Refused)
	}
	// Nothing refused as 7: 6 cannot do better, and the second run is saved.
	i := Inferred{Refused7: count(version.Default)}
	if i.Refused7 == 0 {
		return i
	}
	if i.Refused6 = count(version.LastV6); i.Refused6 < i.Refused7 {
		i.Version = version.LastV6
	}
	return i
}
