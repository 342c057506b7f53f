package script

import (
	rosversion "github.com/chrlab/chrlab/rosemu/version"
)

// globalSince are the global commands that came after RouterOS 6, by the
// first 7.x minor version that has them. A router of an older version
// refuses them as any unknown command: "bad command name <name>" at the
// name (forum35 D3: a v7 forum answer pasted into a 6.49 case passed the
// lab while the real router refuses the script). :onerror is 7.13 (the
// Scripting page, https://help.mikrotik.com/docs/display/ROS/Scripting);
// :serialize and :deserialize are 7.13 too (the 7.13 changelog: "console -
// added :serialize and :deserialize commands"), so a 7.12 lab no longer
// runs a JSON script the real 7.12 refuses (ver46 D1). The others are
// RouterOS 7 additions that the v6 wiki's Scripting page
// (https://wiki.mikrotik.com/wiki/Manual:Scripting) does not list, first
// minor version [verify], taken here as 7.0.
var globalSince = map[string]int{
	"onerror": 13, "serialize": 13, "deserialize": 13,
	"retry": 0, "rndstr": 0, "range": 0, "convert": 0,
	"tonsec": 0, "tolf": 0, "tocrlf": 0, "grep": 0,
}

// globalParamSince are the named parameters of global commands that
// came after the command, by the first 7.x minor version that has them:
// :toarray's delimiter= is 7.21 (eworm-de/routeros-scripts commit
// cae039ef, "The new delimiter= parameter for :toarray with introduced in
// RouterOS 7.21", which raised its scripts' requirement to 7.21). An
// older router refuses the name as any unknown parameter
// (checkGlobalArgs).
var globalParamSince = map[string]map[string]int{
	"toarray": {"delimiter": 21},
}

// globalParamLacking reports whether RouterOS version lacks the named
// parameter param of global command name.
func globalParamLacking(version, name, param string) bool {
	since, ok := globalParamSince[name][param]
	return ok && version != "" && lacks(version, since)
}

// globalLacking reports whether RouterOS version lacks global command
// name; an unknown or empty version lacks none.
func globalLacking(version, name string) bool {
	since, ok := globalSince[name]
	if !ok || version == "" {
		return false
	}
	return lacks(version, since)
}

// lacks reports whether version is older than 7.since (any 6.x is).
func lacks(version string, since int) bool {
	// A pre-release counts as the release it leads to (7.13rc1 has
	// :onerror): Atoi of "13rc1" failed and left every pre-release
	// lacking nothing (realcheck23 D1).
	major, minor, ok := rosversion.MajorMinor(version)
	switch {
	case !ok:
		return false
	case major == 6:
		return true
	case major == 7:
		return minor < since
	}
	return false
}
