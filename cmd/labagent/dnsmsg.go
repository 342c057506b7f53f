package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// A minimal DNS message codec (RFC 1035): queries with one question, and responses read far
// enough to list A, AAAA and CNAME answers. It is written here because the agent needs no more and
// the module carries no DNS library.

// DNS record types and the class the probe uses.
const (
	dnsTypeA     uint16 = 1
	dnsTypeCNAME uint16 = 5
	dnsTypeAAAA  uint16 = 28
	dnsClassIN   uint16 = 1
)

var dnsTypes = map[string]uint16{"A": dnsTypeA, "CNAME": dnsTypeCNAME, "AAAA": dnsTypeAAAA}

// dnsRcodes names the response codes of RFC 1035 and RFC 2136.
var dnsRcodes = []string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"}

func rcodeName(rcode int) string {
	if rcode >= 0 && rcode < len(dnsRcodes) {
		return dnsRcodes[rcode]
	}
	return fmt.Sprintf("RCODE%d", rcode)
}

// dnsHeaderLen is the fixed header: id, flags, and four section counts.
const dnsHeaderLen = 12

// Flag bits of the header.
const (
	dnsFlagQR = 1 << 15
	dnsFlagTC = 1 << 9
	dnsFlagRD = 1 << 8
)

// buildQuery encodes a recursive query for name and qtype.
func buildQuery(id uint16, name string, qtype uint16) ([]byte, error) {
	b := make([]byte, dnsHeaderLen, dnsHeaderLen+len(name)+6)
	binary.BigEndian.PutUint16(b[0:], id)
	binary.BigEndian.PutUint16(b[2:], dnsFlagRD)
	binary.BigEndian.PutUint16(b[4:], 1) // QDCOUNT
	b, err := appendName(b, name)
	if err != nil {
		return nil, err
	}
	b = binary.BigEndian.AppendUint16(b, qtype)
	b = binary.BigEndian.AppendUint16(b, dnsClassIN)
	return b, nil
}

// appendName appends name in wire form: length-prefixed labels ending with the root label.
func appendName(b []byte, name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return append(b, 0), nil
	}
	if len(name) > 253 {
		return nil, fmt.Errorf("encode name %q: longer than 253 characters", name)
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return nil, fmt.Errorf("encode name %q: label %q is empty or longer than 63 bytes", name, label)
		}
		b = append(b, byte(len(label)))
		b = append(b, label...)
	}
	return append(b, 0), nil
}

// dnsRR is one resource record of an answer section.
type dnsRR struct {
	name  string
	typ   uint16
	class uint16
	ttl   uint32
	// addr is set for A and AAAA, target for CNAME.
	addr   netip.Addr
	target string
}

// dnsMessage is a parsed response.
type dnsMessage struct {
	id      uint16
	flags   uint16
	answers []dnsRR
}

func (m dnsMessage) rcode() int      { return int(m.flags & 0xf) }
func (m dnsMessage) truncated() bool { return m.flags&dnsFlagTC != 0 }
func (m dnsMessage) response() bool  { return m.flags&dnsFlagQR != 0 }

var errShortDNS = errors.New("message ends early")

// parseMessage decodes the header, skips the questions and decodes the answer section. The
// authority and additional sections are not read: the probe reports answers only.
func parseMessage(b []byte) (dnsMessage, error) {
	if len(b) < dnsHeaderLen {
		return dnsMessage{}, fmt.Errorf("parse dns header: %w (%d bytes)", errShortDNS, len(b))
	}
	m := dnsMessage{id: binary.BigEndian.Uint16(b[0:]), flags: binary.BigEndian.Uint16(b[2:])}
	qd := int(binary.BigEndian.Uint16(b[4:]))
	an := int(binary.BigEndian.Uint16(b[6:]))
	off := dnsHeaderLen
	for i := range qd {
		_, next, err := readName(b, off)
		if err != nil {
			return m, fmt.Errorf("parse dns question %d: %w", i+1, err)
		}
		off = next + 4 // QTYPE, QCLASS
		if off > len(b) {
			return m, fmt.Errorf("parse dns question %d: %w", i+1, errShortDNS)
		}
	}
	for i := range an {
		rr, next, err := readRR(b, off)
		if err != nil {
			return m, fmt.Errorf("parse dns answer %d: %w", i+1, err)
		}
		m.answers = append(m.answers, rr)
		off = next
	}
	return m, nil
}

// readRR decodes the resource record at off and returns the offset after it.
func readRR(b []byte, off int) (dnsRR, int, error) {
	var rr dnsRR
	name, off, err := readName(b, off)
	if err != nil {
		return rr, 0, err
	}
	rr.name = name
	if off+10 > len(b) {
		return rr, 0, errShortDNS
	}
	rr.typ = binary.BigEndian.Uint16(b[off:])
	rr.class = binary.BigEndian.Uint16(b[off+2:])
	rr.ttl = binary.BigEndian.Uint32(b[off+4:])
	rdlen := int(binary.BigEndian.Uint16(b[off+8:]))
	off += 10
	if off+rdlen > len(b) {
		return rr, 0, errShortDNS
	}
	rdata := b[off : off+rdlen]
	switch rr.typ {
	case dnsTypeA:
		if rdlen != 4 {
			return rr, 0, fmt.Errorf("record A of %s has %d bytes of data, want 4", name, rdlen)
		}
		rr.addr = netip.AddrFrom4([4]byte(rdata))
	case dnsTypeAAAA:
		if rdlen != 16 {
			return rr, 0, fmt.Errorf("record AAAA of %s has %d bytes of data, want 16", name, rdlen)
		}
		rr.addr = netip.AddrFrom16([16]byte(rdata))
	case dnsTypeCNAME:
		// The target may point back into the message, so it is read from b, not rdata.
		target, _, err := readName(b, off)
		if err != nil {
			return rr, 0, fmt.Errorf("read CNAME target of %s: %w", name, err)
		}
		rr.target = target
	}
	return rr, off + rdlen, nil
}

// readName decodes the possibly compressed name at off and returns it in dotted form with a
// trailing dot, and the offset after the name where it started (not where a pointer led).
func readName(b []byte, off int) (string, int, error) {
	var sb strings.Builder
	end := -1
	// Each pointer must go backwards, which bounds the walk and rules out loops.
	limit := off
	for {
		if off >= len(b) {
			return "", 0, errShortDNS
		}
		l := int(b[off])
		switch l & 0xc0 {
		case 0x00:
			if l == 0 {
				if end < 0 {
					end = off + 1
				}
				if sb.Len() == 0 {
					return ".", end, nil
				}
				return sb.String(), end, nil
			}
			if off+1+l > len(b) {
				return "", 0, errShortDNS
			}
			sb.Write(b[off+1 : off+1+l])
			sb.WriteByte('.')
			if sb.Len() > 255 {
				return "", 0, errors.New("name longer than 255 bytes")
			}
			off += 1 + l
		case 0xc0:
			if off+2 > len(b) {
				return "", 0, errShortDNS
			}
			ptr := int(binary.BigEndian.Uint16(b[off:]) & 0x3fff)
			if ptr >= limit {
				return "", 0, fmt.Errorf("compression pointer to %d does not point backwards from %d", ptr, off)
			}
			if end < 0 {
				end = off + 2
			}
			limit = ptr
			off = ptr
		default:
			return "", 0, fmt.Errorf("label type 0x%x at %d is not supported", l&0xc0, off)
		}
	}
}
