package script

import (
	"regexp"
	"unicode/utf8"
)

// ByteRegexp is a regular expression over bytes, as RouterOS's ~ matches:
// its strings are bytes (\XX puts any byte in one, :len counts bytes), and
// exports of 6.x routers carry comments in Windows-1251 that are not UTF-8
// (Scripting page, https://help.mikrotik.com/docs/display/ROS/Scripting).
// Go's regexp reads UTF-8 and refuses a pattern that is not; so each byte
// of the pattern and of the subject is read as the rune of the same value
// (Latin-1), which makes the match one of bytes: "." is one byte, as :len
// counts, and a UTF-8 character in the pattern matches its bytes.
type ByteRegexp struct {
	re *regexp.Regexp
}

// CompileByteRegexp compiles pat as a POSIX extended regular expression
// (RouterOS's ~) when posix, else in Go's syntax (the harness's own
// selectors), over bytes.
func CompileByteRegexp(pat string, posix bool) (*ByteRegexp, error) {
	compile := regexp.Compile
	if posix {
		compile = regexp.CompilePOSIX
	}
	re, err := compile(Latin1(pat))
	if err != nil {
		return nil, err
	}
	return &ByteRegexp{re: re}, nil
}

// MatchString reports whether the bytes of s hold a match.
func (b *ByteRegexp) MatchString(s string) bool {
	return b.re.MatchString(Latin1(s))
}

// String is the pattern as compiled (bytes at or above 0x80 as their
// Latin-1 characters).
func (b *ByteRegexp) String() string { return b.re.String() }

// Latin1 returns s with each byte as the rune of its value: a string of
// ASCII comes back as it is.
func Latin1(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = rune(s[i])
	}
	return string(out)
}
