// Package pppoe is a user-space PPPoE (RFC 2516) client and server: the
// discovery stage and the session stage that carries PPP (package ppp:
// LCP, authentication, IPCP). It exists because the lab's kernels have no
// PPP support, so pppd cannot run; frames go over AF_PACKET and IP packets
// over a TUN.
package pppoe

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Ethernet types of the two PPPoE stages.
const (
	EtherDiscovery uint16 = 0x8863
	EtherSession   uint16 = 0x8864
)

// Discovery codes.
const (
	codeSession uint8 = 0x00
	codePADO    uint8 = 0x07
	codePADI    uint8 = 0x09
	codePADR    uint8 = 0x19
	codePADS    uint8 = 0x65
	codePADT    uint8 = 0xa7
)

// Discovery tags.
const (
	tagServiceName  uint16 = 0x0101
	tagACName       uint16 = 0x0102
	tagHostUniq     uint16 = 0x0103
	tagACCookie     uint16 = 0x0104
	tagServiceError uint16 = 0x0201
	tagGenericError uint16 = 0x0203
)

var errShort = errors.New("packet too short")

// header is a PPPoE header and its payload.
type header struct {
	Code    uint8
	Session uint16
	Payload []byte
}

func (h header) bytes() []byte {
	b := make([]byte, 6+len(h.Payload))
	b[0] = 0x11 // version 1, type 1
	b[1] = h.Code
	binary.BigEndian.PutUint16(b[2:], h.Session)
	binary.BigEndian.PutUint16(b[4:], uint16(len(h.Payload)))
	copy(b[6:], h.Payload)
	return b
}

func parseHeader(b []byte) (header, error) {
	if len(b) < 6 {
		return header{}, errShort
	}
	if b[0] != 0x11 {
		return header{}, fmt.Errorf("read version/type 0x%02x: want 0x11", b[0])
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if 6+n > len(b) {
		return header{}, fmt.Errorf("read length %d: only %d bytes follow", n, len(b)-6)
	}
	return header{Code: b[1], Session: binary.BigEndian.Uint16(b[2:]), Payload: b[6 : 6+n]}, nil
}

// tag is one discovery TLV.
type tag struct {
	Type uint16
	Data []byte
}

func encodeTags(tags []tag) []byte {
	var b []byte
	for _, t := range tags {
		b = binary.BigEndian.AppendUint16(b, t.Type)
		b = binary.BigEndian.AppendUint16(b, uint16(len(t.Data)))
		b = append(b, t.Data...)
	}
	return b
}

func parseTags(b []byte) ([]tag, error) {
	var out []tag
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, errShort
		}
		t, n := binary.BigEndian.Uint16(b), int(binary.BigEndian.Uint16(b[2:]))
		if 4+n > len(b) {
			return nil, fmt.Errorf("read tag 0x%04x of %d bytes: only %d left", t, n, len(b)-4)
		}
		if t == 0 { // End-Of-List
			break
		}
		out = append(out, tag{t, b[4 : 4+n]})
		b = b[4+n:]
	}
	return out, nil
}

// find returns the first tag of type t.
func find(tags []tag, t uint16) ([]byte, bool) {
	for _, x := range tags {
		if x.Type == t {
			return x.Data, true
		}
	}
	return nil, false
}
