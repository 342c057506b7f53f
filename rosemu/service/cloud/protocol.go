package cloud

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// The stand-in protocol. MikroTik's real IP Cloud protocol is encrypted and
// private, so rosemu and the lab's stand-in server (labagent node --serve
// cloud) speak this small plain-text one instead, over UDP to port 15252 as
// the real one does. It keeps what matters to a lab: the router sends from
// its own namespace through its own srcnat, and the server answers with the
// source address it saw and publishes <serial>.sn.mynetname.net for it.
//
//	router -> server  chrlab-cloud/1 update serial=0123456789ab
//	server -> router  chrlab-cloud/1 ok public-address=198.51.100.7
//	router -> server  chrlab-cloud/1 delete serial=0123456789ab
//	server -> router  chrlab-cloud/1 ok
//	server -> router  chrlab-cloud/1 error <reason>

// Magic starts every message and names the protocol's version.
const Magic = "chrlab-cloud/1"

// Port is IP Cloud's UDP port.
const Port = 15252

// DNSSuffix follows the serial number in a router's DNS name.
const DNSSuffix = ".sn.mynetname.net"

// Operations a router may ask for.
const (
	OpUpdate = "update"
	OpDelete = "delete"
)

// DNSName is the name IP Cloud publishes for a serial number: the serial
// in lower case followed by DNSSuffix.
func DNSName(serial string) string { return strings.ToLower(serial) + DNSSuffix }

// SerialFor derives a stable 12-character lower-case hexadecimal serial
// number from a router identity, so that a lab router keeps its DNS name
// across restarts without configuration.
func SerialFor(identity string) string {
	sum := sha256.Sum256([]byte("rosemu serial " + identity))
	return hex.EncodeToString(sum[:6])
}

// ValidSerial reports whether s can be a serial number: 1 to 32 letters
// and digits, so that it makes one DNS label.
func ValidSerial(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Request encodes a router's request.
func Request(op, serial string) []byte {
	return []byte(Magic + " " + op + " serial=" + serial)
}

// ParseRequest decodes a router's request.
func ParseRequest(b []byte) (op, serial string, err error) {
	f := strings.Fields(string(b))
	if len(f) != 3 || f[0] != Magic {
		return "", "", fmt.Errorf("parse cloud request %q: not %q followed by an operation and serial=", b, Magic)
	}
	if f[1] != OpUpdate && f[1] != OpDelete {
		return "", "", fmt.Errorf("parse cloud request %q: unknown operation %q", b, f[1])
	}
	serial, ok := strings.CutPrefix(f[2], "serial=")
	if !ok || !ValidSerial(serial) {
		return "", "", fmt.Errorf("parse cloud request %q: bad serial", b)
	}
	return f[1], serial, nil
}

// OKReply encodes the answer to an update (public address valid) or a
// delete (invalid address).
func OKReply(public netip.Addr) []byte {
	if !public.IsValid() {
		return []byte(Magic + " ok")
	}
	return []byte(Magic + " ok public-address=" + public.String())
}

// ErrorReply encodes a refusal.
func ErrorReply(reason string) []byte {
	return []byte(Magic + " error " + strings.ReplaceAll(reason, "\n", " "))
}

// ErrRejected says that the server refused the request.
var ErrRejected = errors.New("the cloud server rejected the request")

// ParseReply decodes the server's answer: the public address it saw for
// an update, an invalid address for a delete, ErrRejected wrapped with the
// reason for a refusal.
func ParseReply(b []byte) (netip.Addr, error) {
	s := string(b)
	rest, ok := strings.CutPrefix(s, Magic+" ")
	if !ok {
		return netip.Addr{}, fmt.Errorf("parse cloud reply %q: not a %s message", b, Magic)
	}
	if reason, ok := strings.CutPrefix(rest, "error "); ok {
		return netip.Addr{}, fmt.Errorf("%w: %s", ErrRejected, reason)
	}
	if rest == "ok" {
		return netip.Addr{}, nil
	}
	v, ok := strings.CutPrefix(rest, "ok public-address=")
	if !ok {
		return netip.Addr{}, fmt.Errorf("parse cloud reply %q: neither ok nor error", b)
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("parse cloud reply %q: public address: %w", b, err)
	}
	return a.Unmap(), nil
}
