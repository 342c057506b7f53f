package config

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
)

// DHCP option raw-value: the read-only hex of what an option's value
// sends out (DHCP page, Options: "raw-value (HEX string) Read only field
// which shows raw dhcp option value (the format actually sent out)").
// The value is a run of pieces, each one of the page's data types:
//
//	0xXXXX         hex bytes
//	'text'         a string, but '10.10.10.10' is an IPv4 address (4
//	               bytes) and '10' a decimal number
//	s'...'         the text as a string, address or number alike
//	$(NAME)        a variable
//
// and "0x01'vards'$(HOSTNAME)" with HOSTNAME kvm reads 0176617264736b766d
// (the page's own example). Scripts read it to check what a phone or PXE
// client is really sent, and the Scripting page converts the client's
// hostname option with [:convert ... from=hex to=raw]. [verify] on a CHR:
// raw-value printed without "0x" (the :convert example needs plain hex),
// the width of a decimal number (rosemu: one byte up to 255, two up to
// 65535, four above), and what a variable reads outside a lease (rosemu:
// HOSTNAME is the router's identity in a client option and empty in a
// server option, the others empty).

// dhcpRawValue encodes v; ok is false when a piece does not parse (an odd
// or non-hex 0x piece, an unclosed quote or variable).
func dhcpRawValue(v string, vars map[string]string) (string, bool) {
	var out []byte
	for v != "" {
		switch {
		case strings.HasPrefix(v, "0x") || strings.HasPrefix(v, "0X"):
			end := 2
			for end < len(v) && isHexDigit(v[end]) {
				end++
			}
			b, err := hex.DecodeString(v[2:end])
			if err != nil || end == 2 {
				return "", false
			}
			out = append(out, b...)
			v = v[end:]
		case strings.HasPrefix(v, "s'"):
			end := strings.IndexByte(v[2:], '\'')
			if end < 0 {
				return "", false
			}
			out = append(out, v[2:2+end]...)
			v = v[2+end+1:]
		case v[0] == '\'':
			end := strings.IndexByte(v[1:], '\'')
			if end < 0 {
				return "", false
			}
			out = append(out, quotedOption(v[1:1+end])...)
			v = v[1+end+1:]
		case strings.HasPrefix(v, "$("):
			end := strings.IndexByte(v, ')')
			if end < 0 {
				return "", false
			}
			out = append(out, vars[v[2:end]]...)
			v = v[end+1:]
		default:
			// Text without quotes, as values before 6.8 were
			// written: a string up to the next typed piece.
			end := len(v)
			for _, mark := range []string{"'", "$(", "0x"} {
				if i := strings.Index(v, mark); i > 0 && i < end {
					end = i
				}
			}
			out = append(out, v[:end]...)
			v = v[end:]
		}
	}
	return hex.EncodeToString(out), true
}

// quotedOption is a 'text' piece: an IPv4 address, a decimal number or a
// string.
func quotedOption(s string) []byte {
	if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
		b := a.As4()
		return b[:]
	}
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		switch {
		case n <= 0xff:
			return []byte{byte(n)}
		case n <= 0xffff:
			return []byte{byte(n >> 8), byte(n)}
		default:
			return []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
		}
	}
	return []byte(s)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// dhcpOptionRaw is the readonly of /ip dhcp-server option: raw-value, or
// none when the value does not parse (get then gives nothing).
func dhcpOptionRaw(_ *tx, it *item) []Prop {
	if raw, ok := dhcpRawValue(it.props["value"], nil); ok {
		return []Prop{{"raw-value", raw}}
	}
	return nil
}

// dhcpClientOptionRaw is the readonly of /ip dhcp-client option: the
// built-in flag and raw-value, where $(HOSTNAME) is the router's identity
// (the host name the client sends).
func dhcpClientOptionRaw(t *tx, it *item) []Prop {
	ps := defaultFlag(t, it)
	identity := "MikroTik"
	if its := t.m.tables["system identity"]; len(its) > 0 && its[0].props["name"] != "" {
		identity = its[0].props["name"]
	}
	if raw, ok := dhcpRawValue(it.props["value"], map[string]string{"HOSTNAME": identity}); ok {
		ps = append(ps, Prop{"raw-value", raw})
	}
	return ps
}
