// Package ppp is a user-space PPP (RFC 1661) endpoint, client or server:
// LCP, authentication by PAP (RFC 1334), CHAP with MD5 (RFC 1994),
// MS-CHAPv1 (RFC 2433) or MS-CHAPv2 (RFC 2759), and IPCP with DNS (RFC
// 1332, RFC 1877), carrying IPv4 between the session and a TUN device. The
// lab's kernels have no PPP support, so pppd cannot run; the transports
// (PPPoE, package pppoe; L2TP, package l2tp) hand this package the PPP
// frames they carry and send the ones it gives them.
package ppp

import (
	"encoding/binary"
	"errors"
	"fmt"
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
