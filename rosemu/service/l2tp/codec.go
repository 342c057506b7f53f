// Package l2tp is a user-space L2TPv2 (RFC 2661) LAC and LNS over UDP:
// the control connection (SCCRQ, SCCRP, SCCCN, HELLO, StopCCN, ZLB acks,
// Ns/Nr sequencing and retransmission), incoming calls (ICRQ, ICRP, ICCN,
// CDN) and the data messages that carry each session's PPP, which package
// ppp speaks. The lab's kernels have neither PPP nor the L2TP modules, and
// the Go L2TP libraries drive the kernel's data plane, hence this package.
package l2tp

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Port is L2TP's UDP port (RFC 2661 8.1).
const Port = 1701

// Header flag bits (RFC 2661 3.1).
const (
	flagT    uint16 = 0x8000 // control message
	flagL    uint16 = 0x4000 // length present
	flagS    uint16 = 0x0800 // Ns and Nr present
	flagO    uint16 = 0x0200 // offset size present
	flagP    uint16 = 0x0100 // priority (data)
	version2 uint16 = 2
)

// Control message types (the Message Type AVP, RFC 2661 3.2).
const (
	msgSCCRQ   uint16 = 1
	msgSCCRP   uint16 = 2
	msgSCCCN   uint16 = 3
	msgStopCCN uint16 = 4
	msgHELLO   uint16 = 6
	msgICRQ    uint16 = 10
	msgICRP    uint16 = 11
	msgICCN    uint16 = 12
	msgCDN     uint16 = 14
)

var msgNames = map[uint16]string{msgSCCRQ: "SCCRQ", msgSCCRP: "SCCRP", msgSCCCN: "SCCCN",
	msgStopCCN: "StopCCN", msgHELLO: "HELLO", msgICRQ: "ICRQ", msgICRP: "ICRP", msgICCN: "ICCN", msgCDN: "CDN"}

func msgName(t uint16) string {
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("message %d", t)
}

// Attribute types (RFC 2661 4.4).
const (
	avpMessageType       uint16 = 0
	avpResultCode        uint16 = 1
	avpProtocolVersion   uint16 = 2
	avpFramingCaps       uint16 = 3
	avpBearerCaps        uint16 = 4
	avpFirmwareRevision  uint16 = 6
	avpHostName          uint16 = 7
	avpVendorName        uint16 = 8
	avpAssignedTunnelID  uint16 = 9
	avpReceiveWindowSize uint16 = 10
	avpAssignedSessionID uint16 = 14
	avpCallSerialNumber  uint16 = 15
	avpFramingType       uint16 = 19
	avpTxConnectSpeed    uint16 = 24
)

// Result codes of StopCCN (RFC 2661 4.4.2).
const (
	StopGeneral     uint16 = 1 // general request to clear the connection
	StopError       uint16 = 2 // general error, the error code says which
	StopUnauthorize uint16 = 4 // the requester is not authorized
	StopShutdown    uint16 = 6 // the requester is being shut down
)

// Result codes of CDN (RFC 2661 4.4.2).
const (
	CDNLostCarrier  uint16 = 1 // lost carrier
	CDNError        uint16 = 2 // general error
	CDNAdmin        uint16 = 3 // administrative reasons
	CDNNoResources  uint16 = 4 // temporary lack of resources
	CDNNoPermission uint16 = 5 // permanent lack of resources
)

var errShort = errors.New("l2tp: message too short")

// header is an L2TP header (RFC 2661 3.1) and what follows it.
type header struct {
	Control         bool
	Tunnel, Session uint16
	Seq             bool // Ns and Nr present
	Ns, Nr          uint16
	Payload         []byte // AVPs (control) or a PPP frame (data)
}

func (h header) bytes() []byte {
	bits := version2
	n := 6
	if h.Control {
		bits |= flagT | flagL | flagS
		n = 12
	} else if h.Seq {
		bits |= flagS
		n = 10
	}
	b := make([]byte, n, n+len(h.Payload))
	binary.BigEndian.PutUint16(b, bits)
	i := 2
	if h.Control {
		binary.BigEndian.PutUint16(b[2:], uint16(n+len(h.Payload)))
		i = 4
	}
	binary.BigEndian.PutUint16(b[i:], h.Tunnel)
	binary.BigEndian.PutUint16(b[i+2:], h.Session)
	if h.Control || h.Seq {
		binary.BigEndian.PutUint16(b[i+4:], h.Ns)
		binary.BigEndian.PutUint16(b[i+6:], h.Nr)
	}
	return append(b, h.Payload...)
}

func parseHeader(b []byte) (header, error) {
	if len(b) < 6 {
		return header{}, errShort
	}
	bits := binary.BigEndian.Uint16(b)
	if bits&0x000f != version2 {
		// Version 3 is L2TPv3 and 1 is L2F (RFC 2661 3.1): not ours.
		return header{}, fmt.Errorf("l2tp: version %d", bits&0x000f)
	}
	h := header{Control: bits&flagT != 0, Seq: bits&flagS != 0}
	if h.Control && (bits&flagL == 0 || bits&flagS == 0 || bits&flagO != 0) {
		return header{}, errors.New("l2tp: control message without length and sequence, or with an offset")
	}
	i := 2
	end := len(b)
	if bits&flagL != 0 {
		if len(b) < 4 {
			return header{}, errShort
		}
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n > len(b) || n < 6 {
			return header{}, fmt.Errorf("l2tp: length %d of %d bytes", n, len(b))
		}
		end = n
		i = 4
	}
	if end < i+4 {
		return header{}, errShort
	}
	h.Tunnel = binary.BigEndian.Uint16(b[i:])
	h.Session = binary.BigEndian.Uint16(b[i+2:])
	i += 4
	if h.Seq {
		if end < i+4 {
			return header{}, errShort
		}
		h.Ns = binary.BigEndian.Uint16(b[i:])
		h.Nr = binary.BigEndian.Uint16(b[i+2:])
		i += 4
	}
	if bits&flagO != 0 {
		if end < i+2 {
			return header{}, errShort
		}
		off := int(binary.BigEndian.Uint16(b[i:]))
		i += 2 + off
		if i > end {
			return header{}, errShort
		}
	}
	h.Payload = b[i:end]
	return h, nil
}

// avp is one attribute-value pair (RFC 2661 4.1), vendor 0 unless set.
type avp struct {
	Mandatory bool
	Hidden    bool
	Vendor    uint16
	Type      uint16
	Value     []byte
}

func encodeAVPs(avps []avp) []byte {
	var b []byte
	for _, a := range avps {
		bits := uint16(6 + len(a.Value))
		if a.Mandatory {
			bits |= 0x8000
		}
		if a.Hidden {
			bits |= 0x4000
		}
		b = binary.BigEndian.AppendUint16(b, bits)
		b = binary.BigEndian.AppendUint16(b, a.Vendor)
		b = binary.BigEndian.AppendUint16(b, a.Type)
		b = append(b, a.Value...)
	}
	return b
}

func parseAVPs(b []byte) ([]avp, error) {
	var out []avp
	for len(b) > 0 {
		if len(b) < 6 {
			return nil, errShort
		}
		bits := binary.BigEndian.Uint16(b)
		n := int(bits & 0x03ff)
		if n < 6 || n > len(b) {
			return nil, fmt.Errorf("l2tp: AVP length %d of %d bytes", n, len(b))
		}
		out = append(out, avp{Mandatory: bits&0x8000 != 0, Hidden: bits&0x4000 != 0,
			Vendor: binary.BigEndian.Uint16(b[2:]), Type: binary.BigEndian.Uint16(b[4:]), Value: b[6:n]})
		b = b[n:]
	}
	return out, nil
}

// message is a parsed control message: its type and its AVPs.
type message struct {
	Type uint16
	AVPs []avp
}

func (m message) find(t uint16) ([]byte, bool) {
	for _, a := range m.AVPs {
		if a.Vendor == 0 && a.Type == t {
			return a.Value, true
		}
	}
	return nil, false
}

func (m message) u16(t uint16) (uint16, bool) {
	v, ok := m.find(t)
	if !ok || len(v) < 2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(v), true
}

// parseMessage reads a control message's AVPs: the Message Type comes
// first (RFC 2661 4.1). Hidden AVPs need a tunnel secret, which this
// package does not share: a mandatory one is an error.
func parseMessage(b []byte) (message, error) {
	avps, err := parseAVPs(b)
	if err != nil {
		return message{}, err
	}
	if len(avps) == 0 || avps[0].Vendor != 0 || avps[0].Type != avpMessageType || len(avps[0].Value) != 2 {
		return message{}, errors.New("l2tp: control message does not start with a Message Type AVP")
	}
	m := message{Type: binary.BigEndian.Uint16(avps[0].Value), AVPs: avps}
	for _, a := range avps[1:] {
		if a.Hidden && a.Mandatory {
			return m, fmt.Errorf("l2tp: %s: hidden mandatory AVP %d (no tunnel secret)", msgName(m.Type), a.Type)
		}
		if a.Mandatory && !known(a) {
			return m, fmt.Errorf("l2tp: %s: unknown mandatory AVP %d/%d", msgName(m.Type), a.Vendor, a.Type)
		}
	}
	return m, nil
}

// known reports whether an AVP is one this package reads or may ignore
// although marked mandatory (RFC 2661 4.4 lists them).
func known(a avp) bool {
	return a.Vendor == 0 && a.Type <= 39
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func mandatory(t uint16, v []byte) avp { return avp{Mandatory: true, Type: t, Value: v} }

// newMessage starts a control message of type t with its Message Type.
func newMessage(t uint16, avps ...avp) message {
	return message{Type: t, AVPs: append([]avp{mandatory(avpMessageType, u16(t))}, avps...)}
}

// resultCode is a Result Code AVP value: the result, an error code and a
// message (RFC 2661 4.4.2).
func resultCode(result uint16, msg string) []byte {
	b := u16(result)
	if msg != "" {
		b = append(b, 0, 0)
		b = append(b, msg...)
	}
	return b
}

func parseResult(v []byte) (result uint16, msg string) {
	if len(v) < 2 {
		return 0, ""
	}
	result = binary.BigEndian.Uint16(v)
	if len(v) > 4 {
		msg = string(v[4:])
	}
	return result, msg
}
