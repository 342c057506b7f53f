package kernel

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode/utf8"
)

// TableName is the nftables table (family ip) that holds rosemu's whole
// firewall. rosemu owns only this table: Docker and anything else keep their
// own tables in the same namespace.
const TableName = "rosemu"

// maxComment is the longest rule comment nft accepts (NFT_USERDATA_MAXLEN
// leaves 128 bytes for the comment text).
const maxComment = 127

// maxLogPrefix is the longest log prefix the kernel keeps (NF_LOG_PREFIXLEN
// is 128 including the terminating NUL).
const maxLogPrefix = 127

// maxNFLogPrefix is the longest prefix an NFLOG statement takes (nft's
// NFTA_LOG_PREFIX for a group: 64 bytes with the NUL).
const maxNFLogPrefix = 63

// ident turns a RouterOS name into an nft identifier behind a fixed prefix.
// nft 1.0 accepts neither quoted chain names nor most punctuation, and
// RouterOS allows nearly any character in chain and list names, so every
// byte outside [A-Za-z0-9] becomes "_" plus two hex digits. The mapping is
// injective (a literal "_" is itself escaped) and deterministic, so two
// different RouterOS names can never collide.
func ident(prefix, name string) (string, error) {
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	if b.Len() > 255 {
		return "", fmt.Errorf("map name %q to an nft identifier: %d bytes exceed the 255 nft allows", name, b.Len())
	}
	return b.String(), nil
}

// quoteText makes free text (comments, log prefixes) safe inside an nft
// double-quoted string: nft 1.0 has no escape for '"', so it becomes "'",
// control characters become spaces, and the text is cut at max bytes on a
// UTF-8 boundary.
func quoteText(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"':
			r = '\''
		case r < 0x20 || r == 0x7f:
			r = ' '
		case r == utf8.RuneError:
			r = '?'
		}
		if b.Len()+utf8.RuneLen(r) > max {
			break
		}
		b.WriteRune(r)
	}
	return `"` + b.String() + `"`
}

// quoteIfname quotes an interface name for nft: the name of the Linux
// interface that carries the RouterOS interface (LinkName).
func quoteIfname(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("render interface name %q: an interface needs a name", name)
	}
	return `"` + LinkName(name) + `"`, nil
}

// LinkName is the Linux interface that carries a RouterOS interface: the
// same name where Linux allows it, otherwise "ros" and a hash of the name.
// RouterOS names may be longer than Linux's 15 bytes (bridge-moradores)
// and hold spaces, quotes or '/', which Linux refuses; nft would also read
// a trailing '*' as a wildcard. The mapping is deterministic, so nft rules
// and netlink agree on it without a table.
func LinkName(name string) string {
	if name != "" && len(name) <= 15 && !hasRefusedByte(name) && name != "." && name != ".." {
		return name
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return fmt.Sprintf("ros%012x", h.Sum64()&0xffffffffffff)
}

// linkNameRefused are the bytes a Linux interface name may not hold
// (dev_valid_name): '/', ':' and what the kernel's isspace counts, which
// is \t \n \v \f \r, ' ' and 0xa0 (Latin-1's no-break space: the second
// byte of "à" in UTF-8, so "vlàn" is refused with EINVAL); and '%', which
// the kernel reads as a "%d" pattern to number (a name with "%d" gets
// another name, any other '%' is refused); and '"', '\\' and '*', which
// nft's quoted interface names and wildcards read.
const linkNameRefused = "\"\\*/:% \t\n\v\f\r\xa0"

// hasRefusedByte says whether name holds a byte of linkNameRefused, byte
// by byte: strings.ContainsAny reads both as UTF-8, where 0xa0 alone is
// no character and the 0xa0 inside "à" is none of its own.
func hasRefusedByte(name string) bool {
	for i := 0; i < len(name); i++ {
		if strings.IndexByte(linkNameRefused, name[i]) >= 0 {
			return true
		}
	}
	return false
}
