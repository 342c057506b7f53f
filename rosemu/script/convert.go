package script

import (
	"crypto/md5"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// convertValue implements :convert [value] from= transform= to= (the
// Scripting manual's global commands): the value is read in the from
// format (its printed form when from is not given or raw), transformed,
// and written in the to format (raw when not given). It returns the
// failing argument's name after the error's words.
func convertValue(v Value, from, transform, to string) (Value, string, error) {
	bad := errors.New("invalid value for argument ")
	var data []byte
	switch from {
	case "", "raw":
		data = []byte(v.String())
	case "hex":
		b, err := hex.DecodeString(strings.TrimSpace(v.String()))
		if err != nil {
			return Value{}, "from", bad
		}
		data = b
	case "base64":
		str := strings.TrimSpace(v.String())
		b, err := base64.StdEncoding.DecodeString(str)
		if err != nil {
			if b, err = base64.RawStdEncoding.DecodeString(str); err != nil {
				return Value{}, "from", bad
			}
		}
		data = b
	case "base32":
		b, err := base32.StdEncoding.DecodeString(strings.TrimSpace(v.String()))
		if err != nil {
			return Value{}, "from", bad
		}
		data = b
	case "url":
		b, ok := urlDecode(v.String())
		if !ok {
			return Value{}, "from", bad
		}
		data = b
	case "byte-array":
		for _, el := range elems(v) {
			n, ok := asNum(el)
			if !ok || n < 0 || n > 255 {
				return Value{}, "from", bad
			}
			data = append(data, byte(n))
		}
	case "num":
		n, ok := asNum(v)
		if !ok {
			return Value{}, "from", bad
		}
		u := uint64(n)
		var b []byte
		for i := 56; i >= 0; i -= 8 {
			b = append(b, byte(u>>uint(i)))
		}
		for len(b) > 1 && b[0] == 0 {
			b = b[1:]
		}
		data = b
	default:
		return Value{}, "from", bad
	}
	switch transform {
	case "", "none":
	case "lc":
		data = []byte(strings.ToLower(string(data)))
	case "uc":
		data = []byte(strings.ToUpper(string(data)))
	case "lcfirst", "ucfirst":
		if r, n := utf8.DecodeRune(data); n > 0 {
			f := unicode.ToLower
			if transform == "ucfirst" {
				f = unicode.ToUpper
			}
			data = append([]byte(string(f(r))), data[n:]...)
		}
	case "reverse":
		rs := []rune(string(data))
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		data = []byte(string(rs))
	case "rot13":
		out := make([]byte, len(data))
		for i, c := range data {
			switch {
			case c >= 'a' && c <= 'z':
				c = 'a' + (c-'a'+13)%26
			case c >= 'A' && c <= 'Z':
				c = 'A' + (c-'A'+13)%26
			}
			out[i] = c
		}
		data = out
	case "crlf":
		data = []byte(strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n", "\r\n"))
	case "md5":
		sum := md5.Sum(data)
		data = sum[:]
	case "sha512":
		sum := sha512.Sum512(data)
		data = sum[:]
	default:
		// The ed25519/x25519 key transforms are not modelled.
		return Value{}, "transform", bad
	}
	switch to {
	case "", "raw":
		return Str(string(data)), "", nil
	case "hex":
		return Str(hex.EncodeToString(data)), "", nil
	case "base64":
		return Str(base64.StdEncoding.EncodeToString(data)), "", nil
	case "base32":
		return Str(base32.StdEncoding.EncodeToString(data)), "", nil
	case "url":
		return Str(urlEncode(data)), "", nil
	case "byte-array":
		out := make([]Value, len(data))
		for i, c := range data {
			out[i] = Num(int64(c))
		}
		return ArrayOf(out...), "", nil
	case "bit-array-lsb", "bit-array-msb":
		if 8*len(data) > MaxArray {
			return Value{}, "to", bad
		}
		out := make([]Value, 0, 8*len(data))
		for _, c := range data {
			for i := 0; i < 8; i++ {
				bit := i
				if to == "bit-array-msb" {
					bit = 7 - i
				}
				out = append(out, Num(int64(c>>uint(bit)&1)))
			}
		}
		return ArrayOf(out...), "", nil
	case "num":
		if len(data) > 8 {
			return Value{}, "to", bad
		}
		var n uint64
		for _, c := range data {
			n = n<<8 | uint64(c)
		}
		return Num(int64(n)), "", nil
	}
	return Value{}, "to", bad
}

// urlEncode percent-encodes every byte but the unreserved characters of
// RFC 3986 (letters, digits, "-", ".", "_", "~").
func urlEncode(data []byte) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for _, c := range data {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

func urlDecode(s string) ([]byte, bool) {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			out = append(out, s[i])
			continue
		}
		if i+2 >= len(s) {
			return nil, false
		}
		b, err := hex.DecodeString(s[i+1 : i+3])
		if err != nil {
			return nil, false
		}
		out = append(out, b[0])
		i += 2
	}
	return out, true
}
