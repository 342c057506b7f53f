package dns

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// A DNS message codec (RFC 1035) sufficient for a forwarding resolver: it
// decodes every section, expands compressed names inside the record data
// of the types that carry names (so records can be re-encoded elsewhere),
// and encodes without compression. rosemu carries no DNS library.

// Record types and classes the resolver knows by name.
const (
	typeA     uint16 = 1
	typeNS    uint16 = 2
	typeCNAME uint16 = 5
	typeSOA   uint16 = 6
	typePTR   uint16 = 12
	typeMX    uint16 = 15
	typeAAAA  uint16 = 28
	typeSRV   uint16 = 33
	typeOPT   uint16 = 41
	typeANY   uint16 = 255
	classIN   uint16 = 1
)

// Response codes.
const (
	rcodeOK       = 0
	rcodeFormErr  = 1
	rcodeServFail = 2
	rcodeNXDomain = 3
	rcodeNotImp   = 4
	rcodeRefused  = 5
)

// Header flag bits.
const (
	flagQR = 1 << 15
	flagAA = 1 << 10
	flagTC = 1 << 9
	flagRD = 1 << 8
	flagRA = 1 << 7
)

const headerLen = 12

// question is one entry of the question section; name is dotted without
// the trailing dot, as sent (case kept).
type question struct {
	name  string
	typ   uint16
	class uint16
}

// rr is one resource record; data is its record data with any names in
// it written out uncompressed.
type rr struct {
	name  string
	typ   uint16
	class uint16
	ttl   uint32
	data  []byte
}

// message is a decoded DNS message.
type message struct {
	id         uint16
	flags      uint16
	question   []question
	answer     []rr
	authority  []rr
	additional []rr
}

func (m *message) rcode() int { return int(m.flags & 0xf) }

var errShort = errors.New("message ends early")

// parse decodes a whole message.
func parse(b []byte) (*message, error) {
	if len(b) < headerLen {
		return nil, fmt.Errorf("parse dns header: %w (%d bytes)", errShort, len(b))
	}
	m := &message{id: binary.BigEndian.Uint16(b), flags: binary.BigEndian.Uint16(b[2:])}
	var counts [4]int
	for i := range counts {
		counts[i] = int(binary.BigEndian.Uint16(b[4+2*i:]))
	}
	off := headerLen
	for i := 0; i < counts[0]; i++ {
		name, next, err := readName(b, off)
		if err != nil {
			return nil, fmt.Errorf("parse question %d: %w", i+1, err)
		}
		if next+4 > len(b) {
			return nil, fmt.Errorf("parse question %d: %w", i+1, errShort)
		}
		m.question = append(m.question, question{name, binary.BigEndian.Uint16(b[next:]), binary.BigEndian.Uint16(b[next+2:])})
		off = next + 4
	}
	sections := []*[]rr{&m.answer, &m.authority, &m.additional}
	for s, sec := range sections {
		for i := 0; i < counts[s+1]; i++ {
			r, next, err := readRR(b, off)
			if err != nil {
				return nil, fmt.Errorf("parse record %d of section %d: %w", i+1, s+2, err)
			}
			*sec = append(*sec, r)
			off = next
		}
	}
	return m, nil
}

func readRR(b []byte, off int) (rr, int, error) {
	var r rr
	name, off, err := readName(b, off)
	if err != nil {
		return r, 0, err
	}
	if off+10 > len(b) {
		return r, 0, errShort
	}
	r.name = name
	r.typ = binary.BigEndian.Uint16(b[off:])
	r.class = binary.BigEndian.Uint16(b[off+2:])
	r.ttl = binary.BigEndian.Uint32(b[off+4:])
	n := int(binary.BigEndian.Uint16(b[off+8:]))
	off += 10
	if off+n > len(b) {
		return r, 0, errShort
	}
	r.data, err = expandData(b, off, n, r.typ)
	if err != nil {
		return r, 0, fmt.Errorf("read data of %s record of %s: %w", typeName(r.typ), name, err)
	}
	return r, off + n, nil
}

// expandData copies record data, writing out the names of the types that
// may carry compressed names (RFC 3597 section 4 lists them).
func expandData(b []byte, off, n int, typ uint16) ([]byte, error) {
	end := off + n
	// layout: fixed bytes before the names, how many names, fixed bytes after.
	var pre, names int
	switch typ {
	case typeNS, typeCNAME, typePTR:
		names = 1
	case typeMX:
		pre, names = 2, 1
	case typeSOA:
		names = 2
	case typeSRV:
		pre, names = 6, 1
	default:
		return append([]byte(nil), b[off:end]...), nil
	}
	if off+pre > end {
		return nil, errShort
	}
	out := append([]byte(nil), b[off:off+pre]...)
	p := off + pre
	for i := 0; i < names; i++ {
		name, next, err := readName(b, p)
		if err != nil {
			return nil, err
		}
		if next > end {
			return nil, errShort
		}
		if out, err = appendName(out, name); err != nil {
			return nil, err
		}
		p = next
	}
	return append(out, b[p:end]...), nil
}

// readName decodes the possibly compressed name at off; it returns the name
// without the trailing dot ("" for the root) and the offset after it.
func readName(b []byte, off int) (string, int, error) {
	var labels []string
	end, size := -1, 0
	// Each pointer must go backwards, which bounds the walk.
	limit := off
	for {
		if off >= len(b) {
			return "", 0, errShort
		}
		l := int(b[off])
		switch l & 0xc0 {
		case 0x00:
			if l == 0 {
				if end < 0 {
					end = off + 1
				}
				return strings.Join(labels, "."), end, nil
			}
			if off+1+l > len(b) {
				return "", 0, errShort
			}
			if size += l + 1; size > 255 {
				return "", 0, errors.New("name longer than 255 bytes")
			}
			labels = append(labels, string(b[off+1:off+1+l]))
			off += 1 + l
		case 0xc0:
			if off+2 > len(b) {
				return "", 0, errShort
			}
			ptr := int(binary.BigEndian.Uint16(b[off:]) & 0x3fff)
			if ptr >= limit {
				return "", 0, fmt.Errorf("compression pointer to %d does not point backwards from %d", ptr, off)
			}
			if end < 0 {
				end = off + 2
			}
			limit, off = ptr, ptr
		default:
			return "", 0, fmt.Errorf("label type 0x%x at %d is not supported", l&0xc0, off)
		}
	}
}

// appendName writes name uncompressed.
func appendName(b []byte, name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return append(b, 0), nil
	}
	if len(name) > 253 {
		return nil, fmt.Errorf("encode name %q: longer than 253 bytes", name)
	}
	for _, l := range strings.Split(name, ".") {
		if l == "" || len(l) > 63 {
			return nil, fmt.Errorf("encode name %q: label %q is empty or longer than 63 bytes", name, l)
		}
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0), nil
}

// pack encodes m.
func (m *message) pack() ([]byte, error) {
	b := make([]byte, headerLen, 512)
	binary.BigEndian.PutUint16(b, m.id)
	binary.BigEndian.PutUint16(b[2:], m.flags)
	for i, n := range []int{len(m.question), len(m.answer), len(m.authority), len(m.additional)} {
		binary.BigEndian.PutUint16(b[4+2*i:], uint16(n))
	}
	var err error
	for _, q := range m.question {
		if b, err = appendName(b, q.name); err != nil {
			return nil, err
		}
		b = binary.BigEndian.AppendUint16(b, q.typ)
		b = binary.BigEndian.AppendUint16(b, q.class)
	}
	for _, sec := range [][]rr{m.answer, m.authority, m.additional} {
		for _, r := range sec {
			if b, err = appendName(b, r.name); err != nil {
				return nil, err
			}
			b = binary.BigEndian.AppendUint16(b, r.typ)
			b = binary.BigEndian.AppendUint16(b, r.class)
			b = binary.BigEndian.AppendUint32(b, r.ttl)
			if len(r.data) > 0xffff {
				return nil, fmt.Errorf("encode %s record of %s: data of %d bytes", typeName(r.typ), r.name, len(r.data))
			}
			b = binary.BigEndian.AppendUint16(b, uint16(len(r.data)))
			b = append(b, r.data...)
		}
	}
	return b, nil
}

// udpSize is the largest UDP response the client takes: 512 bytes, or
// what its EDNS OPT record announces (RFC 6891).
func (m *message) udpSize() int {
	for _, r := range m.additional {
		if r.typ == typeOPT && int(r.class) > 512 {
			return int(r.class)
		}
	}
	return 512
}

func typeName(t uint16) string {
	switch t {
	case typeA:
		return "A"
	case typeNS:
		return "NS"
	case typeCNAME:
		return "CNAME"
	case typeSOA:
		return "SOA"
	case typePTR:
		return "PTR"
	case typeMX:
		return "MX"
	case typeAAAA:
		return "AAAA"
	case typeSRV:
		return "SRV"
	}
	return fmt.Sprintf("TYPE%d", t)
}
