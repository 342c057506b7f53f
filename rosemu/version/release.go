package version

import (
	"regexp"
	"strconv"
)

// releaseRE is the numbered release a version names and the pre-release
// tag after it: 7.19 and rc1 of 7.19rc1. RouterOS names its pre-release
// builds by the release they lead to with alpha, beta or rc and a number
// appended (7.14alpha21, 7.20beta4, 7.20rc3, 7.10rc6; the header of an
// export of such a build says so: "by RouterOS 7.19rc1").
var releaseRE = regexp.MustCompile(`^([0-9]+)\.([0-9]+)(?:\.([0-9]+))?((?:alpha|beta|rc)[0-9]+)?`)

// Release returns the numbered release version v is or leads to: 7.19 of
// 7.19rc1, 7.20 of 7.20beta4, 7.14 of 7.14alpha21, 7.16.2 of 7.16.2 and of
// "7.16.2 (stable)"; "" when v does not begin with major.minor. A
// pre-release of 7.20 has 7.20's menus and properties (it is the build
// that becomes 7.20), so whatever RouterOS has "since 7.20" a 7.20rc3
// router has too.
func Release(v string) string {
	m := releaseRE.FindStringSubmatch(v)
	if m == nil {
		return ""
	}
	if m[3] != "" {
		return m[1] + "." + m[2] + "." + m[3]
	}
	return m[1] + "." + m[2]
}

// MajorMinor returns the major and minor numbers of the release v is or
// leads to (7 and 19 of 7.19rc1); ok is false when v does not begin with
// major.minor.
func MajorMinor(v string) (major, minor int, ok bool) {
	m := releaseRE.FindStringSubmatch(v)
	if m == nil {
		return 0, 0, false
	}
	ma, err1 := strconv.Atoi(m[1])
	mi, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return ma, mi, true
}

// AtLeast reports whether version v (7.16.2, 7.20rc3) is at least
// major.minor, a pre-release counting as the release it leads to. A
// version that does not begin with major.minor is at least nothing.
func AtLeast(v string, major, minor int) bool {
	ma, mi, ok := MajorMinor(v)
	if !ok {
		return false
	}
	return ma > major || ma == major && mi >= minor
}

// Is6 reports whether version v (6.49.7, 6.49rc1) is a RouterOS 6 release
// or pre-release. The emulator's menus differ by major version, and every
// such test reads the version through here so that a pre-release or a
// version written as the export's header names it is read one way.
func Is6(v string) bool {
	ma, _, ok := MajorMinor(v)
	return ok && ma == 6
}
