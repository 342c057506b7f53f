package agentcmd

import (
	"fmt"
	"strings"
)

// followFlags collects repeated --zone-follow NAME=TARGET flags: the public DNS answers NAME with
// the address the cloud stand-in publishes for TARGET (a router's <serial>.sn.mynetname.net), so
// that a name follows the router's WAN address when the ISP renumbers it, as a dynamic DNS name
// does; until TARGET is published, NAME's own --zone entry answers.
type followFlags map[string]string

func (f *followFlags) String() string { return fmt.Sprint(map[string]string(*f)) }

func (f *followFlags) Set(v string) error {
	name, target, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("zone-follow entry %q is not NAME=TARGET", v)
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	target = strings.ToLower(strings.TrimSuffix(target, "."))
	if !validName(name) || !validName(target) {
		return fmt.Errorf("zone-follow entry %q: want two valid names", v)
	}
	if *f == nil {
		*f = followFlags{}
	}
	(*f)[name] = target
	return nil
}
