package export

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestReadUTF16AndBinary: an export saved by Windows PowerShell's > is
// UTF-16 (little-endian, with a byte order mark; without one when written
// by some tools), and read before as "\xff\xfe#\x00 outside any menu". It
// now reads as the UTF-8 export does. A file that is no text at all (a
// .backup) is one error at its position instead of a line-by-line list of
// lines that cannot be read; a Latin-1 comment and a stray NUL are read on.
func TestReadUTF16AndBinary(t *testing.T) {
	const src = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\r\n/ip address\r\nadd address=192.168.88.1/24 interface=bridge comment=\"B\u00fcro\"\r\n/ip firewall nat\r\nadd action=masquerade chain=srcnat out-interface=ether1\r\n"
	want, err := Read("utf8.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	u := utf16.Encode([]rune(src))
	le := func(bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFF, 0xFE)
		}
		for _, x := range u {
			b = append(b, byte(x), byte(x>>8))
		}
		return b
	}
	be := []byte{0xFE, 0xFF}
	for _, x := range u {
		be = append(be, byte(x>>8), byte(x))
	}
	for name, data := range map[string][]byte{"utf-16le bom": le(true), "utf-16le": le(false), "utf-16be bom": be} {
		f, err := Read(name, data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(f.Commands) != len(want.Commands) || f.Version != "7.16.1" || f.Commands[0].Value("comment") != "B\u00fcro" {
			t.Errorf("%s: %d commands, version %q, %+v", name, len(f.Commands), f.Version, f.Commands)
		}
	}
	bin := make([]byte, 20000)
	rand.New(rand.NewSource(7)).Read(bin)
	copy(bin, "# backup\n")
	_, err = ReadLenient("router.backup", bin)
	var e *Error
	if !errors.As(err, &e) || e.Line < 1 || e.Col < 1 || !strings.Contains(e.Msg, "not text") {
		t.Errorf("binary: %v", err)
	}
	latin1 := strings.Replace(src, "B\u00fcro", "B\xfcro", 1)
	latin1 = strings.Replace(latin1, "chain=srcnat", "chain=srcnat\x00", 1)
	if f, err := ReadLenient("latin1.rsc", []byte(latin1)); err != nil || len(f.Commands) == 0 {
		t.Errorf("latin-1 and a NUL: %v", err)
	}
}
