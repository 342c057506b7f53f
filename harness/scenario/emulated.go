package scenario

import (
	"context"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"

	rosversion "github.com/chrlab/chrlab/rosemu/version"
)

// EmulatedRange is the RouterOS versions rosemu emulates: the v6 long-term line from 6.49 (the
// post-6.43 API login, the v6 command set), v7, and 6.40.9, the stand-in for an export of 6.40
// or older (RouterOS 6 as rosemu models it, with 6.40's per-interface MAC server and neighbor
// discovery entries, which 6.41 replaced with interface lists). A version outside it is refused
// rather than run on behaviour rosemu does not model.
const EmulatedRange = ">=6.49 <8.0 || " + Old6

// LastV6 is the RouterOS 6 version that stands in for an older 6 on the emulator: the
// long-term line's last release.
const LastV6 = rosversion.LastV6

// Old6 stands in for a RouterOS 6 older than 6.41: a 6.40 or older home router's export
// carries "/ip neighbor discovery set ether1 discover=no" and "/tool mac-server add
// interface=ether2-master-local" (its default configuration), which 6.41 and later refuse.
const Old6 = rosversion.Old6

// NearestEmulated maps the version an export's header names to the one the emulator runs for
// it: itself inside EmulatedRange, Old6 for a RouterOS 6 older than 6.41 and LastV6 for another
// older 6 (older6 true), "" otherwise.
func NearestEmulated(header string) (v string, older6 bool) {
	if header == "" {
		return "", false
	}
	parsed, err := ParseVersion(header)
	if err != nil {
		return "", false
	}
	emulated, err := ParseRange(EmulatedRange)
	if err != nil {
		return "", false
	}
	switch {
	case emulated.Contains(parsed):
		return header, false
	case strings.HasPrefix(header, "6."):
		if before, err := ParseRange("<6.41"); err == nil && before.Contains(parsed) {
			return Old6, true
		}
		return LastV6, true
	}
	return "", false
}

// ConfigVersion is the RouterOS version the router configuration says it
// comes from (a pasted export's header, "by RouterOS 6.49.7"), as the
// emulator runs it, when the scenario applies to it; "" otherwise. A case
// built from a forum post carries its author's router's version this way,
// and its v6 spellings (routing marks without tables) are v6's.
func (s *Scenario) ConfigVersion() string {
	v, _ := s.configVersion()
	return v
}

// configVersion is ConfigVersion and where it came from: "its header", or,
// for a configuration without one whose lines the default RouterOS 7
// refuses more of than RouterOS 6 or a newer 7 (a forum post's v6 export
// pasted without its first lines), what config.InferVersion found. The
// inference is made once.
func (s *Scenario) configVersion() (v, why string) {
	header := rosversion.OfExport(string(s.RSC))
	why = "its header"
	if header == "" && s.RangeVersion() != "" {
		// The case's own range (routeros: 6.49.x) decides, and the run
		// says so; inferred from the lines, the run named the lines as
		// the reason, as if the range had been ignored.
		return "", ""
	}
	if header == "" && len(s.RSC) > 0 {
		if s.inferred == nil {
			i := config.InferVersion(context.Background(), string(s.RSC), 2*time.Second)
			s.inferred = &i
		}
		header, why = s.inferred.Version, s.inferred.Why()
	}
	v, _ = NearestEmulated(header)
	if v == "" {
		return "", ""
	}
	if ok, _ := s.Applies(v); !ok {
		return "", ""
	}
	if header != v && why == "its header" {
		why = "its header says " + header + "; " + v + " is the nearest version rosemu emulates"
	}
	return v, why
}

// ConfigVersionWhy says where ConfigVersion came from ("its header", or
// what the inference rests on); "" when ConfigVersion is "".
func (s *Scenario) ConfigVersionWhy() string {
	_, why := s.configVersion()
	return why
}

// RunVersion is the version a run without --routeros takes for the
// scenario, and why, in the order chrlab lab and chrlab up choose it: the
// router configuration's own (ConfigVersion: its header, or what its lines
// fit), else a version of the case's range when the range leaves out the
// default (RangeVersion); "" (the default) otherwise. chrlab validate
// checks a case as this version, so that it refuses what the run refuses
// and nothing else (a v6 /ip route rule under "routeros: 6.49.x" was
// refused as 7.16.2 while the run took it on 6.49.18).
func (s *Scenario) RunVersion() (v, why string) {
	if v, why = s.configVersion(); v != "" {
		return v, "the router configuration: " + why
	}
	if v = s.RangeVersion(); v != "" {
		return v, "the case is for RouterOS " + s.RouterOS
	}
	return "", ""
}

// RangeVersion is the version a run without --routeros takes for a
// scenario whose range leaves out the emulator's default version (a case
// written "routeros: 6.49.x" for a v6 forum thread, with no export header):
// LastV6 when the range holds it, else the lowest bound the range names
// that the emulator runs. "" when the default version is in the range (it
// runs as it is) or nothing fits (the run says why it skips).
func (s *Scenario) RangeVersion() string {
	if ok, _ := s.Applies(rosversion.Default); ok {
		return ""
	}
	r, err := s.VersionRange()
	if err != nil {
		return ""
	}
	emulated, err := ParseRange(EmulatedRange)
	if err != nil {
		return ""
	}
	candidates := []string{LastV6}
	for _, alt := range r.alts {
		for _, c := range alt {
			if c.op == "=" || c.op == ">=" {
				candidates = append(candidates, c.v.String())
			}
		}
	}
	for _, c := range candidates {
		v, err := ParseVersion(c)
		if err != nil || !emulated.Contains(v) {
			continue
		}
		if ok, _ := s.Applies(c); ok {
			return c
		}
	}
	return ""
}
