// Package pppoe is a user-space PPPoE (RFC 2516) client and server with the
// PPP it carries: LCP (RFC 1661), authentication by PAP (RFC 1334), CHAP
// with MD5 (RFC 1994), MS-CHAPv1 (RFC 2433) or MS-CHAPv2 (RFC 2759), and
// IPCP with DNS (RFC 1332, RFC 1877). It exists because the lab's kernels have no PPP support, so
// pppd cannot run; frames go over AF_PACKET and IP packets over a TUN.
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

// PPP protocol numbers.
const (
	protoIP   uint16 = 0x0021
	protoIPCP uint16 = 0x8021
	protoLCP  uint16 = 0xc021
	protoPAP  uint16 = 0xc023
	protoCHAP uint16 = 0xc223
)

// Control packet codes (LCP and IPCP share 1-7).
const (
	confReq  uint8 = 1
	confAck  uint8 = 2
	confNak  uint8 = 3
	confRej  uint8 = 4
	termReq  uint8 = 5
	termAck  uint8 = 6
	codeRej  uint8 = 7
	protoRej uint8 = 8
	echoReq  uint8 = 9
	echoRep  uint8 = 10
	discReq  uint8 = 11
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

// cp is an LCP, IPCP, PAP or CHAP packet: code, identifier and data.
type cp struct {
	Code uint8
	ID   uint8
	Data []byte
}

func (c cp) bytes() []byte {
	b := []byte{c.Code, c.ID, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(4+len(c.Data)))
	return append(b, c.Data...)
}

func parseCP(b []byte) (cp, error) {
	if len(b) < 4 {
		return cp{}, errShort
	}
	n := int(binary.BigEndian.Uint16(b[2:]))
	if n < 4 || n > len(b) {
		return cp{}, fmt.Errorf("read control length %d of %d bytes", n, len(b))
	}
	return cp{Code: b[0], ID: b[1], Data: b[4:n]}, nil
}

// option is a configuration option of LCP or IPCP.
type option struct {
	Type uint8
	Data []byte
}

func encodeOptions(opts []option) []byte {
	var b []byte
	for _, o := range opts {
		b = append(b, o.Type, uint8(2+len(o.Data)))
		b = append(b, o.Data...)
	}
	return b
}

func parseOptions(b []byte) ([]option, error) {
	var out []option
	for len(b) > 0 {
		if len(b) < 2 || b[1] < 2 || int(b[1]) > len(b) {
			return nil, errors.New("read option: bad length")
		}
		out = append(out, option{b[0], b[2:b[1]]})
		b = b[b[1]:]
	}
	return out, nil
}

// pap builds a PAP Authenticate-Request.
func papRequest(id uint8, user, password string) cp {
	d := append([]byte{uint8(len(user))}, user...)
	d = append(d, uint8(len(password)))
	d = append(d, password...)
	return cp{Code: 1, ID: id, Data: d}
}

func parsePAPRequest(d []byte) (user, password string, err error) {
	if len(d) < 1 {
		return "", "", errShort
	}
	u := int(d[0])
	if 1+u >= len(d) {
		return "", "", errShort
	}
	p := int(d[1+u])
	if 2+u+p > len(d) {
		return "", "", errShort
	}
	return string(d[1 : 1+u]), string(d[2+u : 2+u+p]), nil
}
