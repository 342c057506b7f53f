package check

import (
	"reflect"
	"strings"
	"unicode/utf8"
)

// An export's names and comments are bytes: RouterOS writes a byte
// beyond ASCII as \XX (an old WinBox's Windows code page: "c\E2mera do
// port\E3o"), and a hand-written file may hold the raw bytes. check
// reads them as the bytes they are, so that its fix lines name them as
// RouterOS holds them (export.Quote writes \XX back). In check.json those
// bytes became U+FFFD ("c�mera do port�o", encoding/json's answer to
// invalid UTF-8), and the terminal's table of forwards printed the raw
// bytes (chk61 C3). The reports and the table now show such text
// readably: a string that is not UTF-8 is read as Latin-1, byte for
// character [verify] that WinBox writes Windows-1252 on a Western
// European PC (its 0x80-0x9F differ from Latin-1's control codes); text
// that is UTF-8 (RouterOS 7 writes UTF-8 as \C3\A2) is UTF-8. A fix
// line keeps RouterOS's escapes, which are what the router matches.

// readable is s as text: s itself when it is UTF-8, else each byte that
// is no part of a UTF-8 character read as Latin-1.
func readable(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = rune(s[i])
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

// Readable is readable for the callers that print the plan's notes
// and warnings on the terminal.
func Readable(s string) string { return readable(s) }

// readableAll rewrites every string v holds (through pointers, structs
// and slices) with readable.
func readableAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			readableAll(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() || f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice || f.Kind() == reflect.Struct {
				readableAll(f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			readableAll(v.Index(i))
		}
	case reflect.String:
		if v.CanSet() && !utf8.ValidString(v.String()) {
			v.SetString(readable(v.String()))
		}
	}
}
