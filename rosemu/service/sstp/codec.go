// Package sstp speaks MS-SSTP (the Secure Socket Tunneling Protocol,
// [MS-SSTP] of Microsoft's Open Specifications) in user space: an HTTPS
// request SSTP_DUPLEX_POST on a TLS connection, then SSTP packets on the
// same connection, control packets that set the call up, keep it alive
// and end it, and data packets that carry the call's PPP frames to
// package ppp, the engine the PPPoE and L2TP servers share. No maintained
// Go library speaks SSTP, so the framing is here, small, and tested
// against the spec's byte layouts.
package sstp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
)

// Port is SSTP's TCP port (HTTPS).
const Port = 443

// URI is the resource of the HTTP request that opens SSTP ([MS-SSTP]
// 2.2.1): a server answers nothing else.
const URI = "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"

// Method is the request's HTTP method ([MS-SSTP] 2.2.1).
const Method = "SSTP_DUPLEX_POST"

// version is the header's first byte: version 1.0 ([MS-SSTP] 2.2.2).
const version = 0x10

// Control message types ([MS-SSTP] 2.2.9).
const (
	msgCallConnectRequest uint16 = 0x0001
	msgCallConnectAck     uint16 = 0x0002
	msgCallConnectNak     uint16 = 0x0003
	msgCallConnected      uint16 = 0x0004
	msgCallAbort          uint16 = 0x0005
	msgCallDisconnect     uint16 = 0x0006
	msgCallDisconnectAck  uint16 = 0x0007
	msgEchoRequest        uint16 = 0x0008
	msgEchoResponse       uint16 = 0x0009
)

// Attribute IDs ([MS-SSTP] 2.2.10).
const (
	attrNoError                  uint8  = 0
	attrEncapsulatedProtocolID   uint8  = 1
	attrStatusInfo               uint8  = 2
	attrCryptoBinding            uint8  = 3
	attrCryptoBindingRequest     uint8  = 4
	encapsulatedPPP              uint16 = 1
	statusValueNotSupported      uint32 = 0x00000002
	statusRetryCountExceeded     uint32 = 0x00000003
	statusInvalidFrameReceived   uint32 = 0x00000004
	statusNegotiationTimeout     uint32 = 0x00000005
	statusNoPropertyFound        uint32 = 0x00000006
	statusAttribNotSupportedInMs uint32 = 0x00000009
)

// Hash protocols of the crypto binding ([MS-SSTP] 2.2.7, 2.2.8).
const (
	hashSHA1   uint8 = 0x01
	hashSHA256 uint8 = 0x02
)

// maxLen is the largest packet the 12-bit length field can say.
const maxLen = 0x0fff

// Attr is one attribute of a control message.
type Attr struct {
	ID    uint8
	Value []byte
}

// Control is a control message: its type and attributes.
type Control struct {
	Type  uint16
	Attrs []Attr
}

// attr returns the value of the first attribute with id.
func (c Control) attr(id uint8) ([]byte, bool) {
	for _, a := range c.Attrs {
		if a.ID == id {
			return a.Value, true
		}
	}
	return nil, false
}

// header is the 4-byte SSTP header: version, the C bit (control) and the
// packet's length, header included ([MS-SSTP] 2.2.2).
func header(control bool, n int) []byte {
	c := byte(0)
	if control {
		c = 1
	}
	return []byte{version, c, byte(n>>8) & 0x0f, byte(n)}
}

// dataPacket is a data packet carrying a PPP frame ([MS-SSTP] 2.2.3).
func dataPacket(frame []byte) ([]byte, error) {
	n := 4 + len(frame)
	if n > maxLen {
		return nil, fmt.Errorf("sstp: a %d-byte frame exceeds the packet's length field", len(frame))
	}
	return append(header(false, n), frame...), nil
}

// bytes encodes a control packet ([MS-SSTP] 2.2.4, 2.2.5).
func (c Control) bytes() []byte {
	body := binary.BigEndian.AppendUint16(nil, c.Type)
	body = binary.BigEndian.AppendUint16(body, uint16(len(c.Attrs)))
	for _, a := range c.Attrs {
		n := 4 + len(a.Value)
		body = append(body, 0, a.ID, byte(n>>8)&0x0f, byte(n))
		body = append(body, a.Value...)
	}
	return append(header(true, 4+len(body)), body...)
}

// readPacket reads one SSTP packet: whether it is a control packet, and
// its body after the header.
func readPacket(r io.Reader) (control bool, body []byte, err error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return false, nil, err
	}
	if h[0] != version {
		return false, nil, fmt.Errorf("sstp: version 0x%02x, want 0x10", h[0])
	}
	n := int(h[2]&0x0f)<<8 | int(h[3])
	if n < 4 {
		return false, nil, fmt.Errorf("sstp: packet length %d is shorter than its header", n)
	}
	body = make([]byte, n-4)
	if _, err := io.ReadFull(r, body); err != nil {
		return false, nil, err
	}
	return h[1]&1 == 1, body, nil
}

var errShort = errors.New("sstp: control message truncated")

// parseControl reads a control packet's body.
func parseControl(b []byte) (Control, error) {
	if len(b) < 4 {
		return Control{}, errShort
	}
	c := Control{Type: binary.BigEndian.Uint16(b)}
	num := int(binary.BigEndian.Uint16(b[2:]))
	b = b[4:]
	for i := 0; i < num; i++ {
		if len(b) < 4 {
			return Control{}, errShort
		}
		n := int(b[2]&0x0f)<<8 | int(b[3])
		if n < 4 || n > len(b) {
			return Control{}, fmt.Errorf("sstp: attribute %d's length %d is out of the message", b[1], n)
		}
		c.Attrs = append(c.Attrs, Attr{ID: b[1], Value: b[4:n]})
		b = b[n:]
	}
	return c, nil
}

// connectRequest is the client's Call Connect Request: the PPP protocol.
func connectRequest() Control {
	return Control{Type: msgCallConnectRequest, Attrs: []Attr{{attrEncapsulatedProtocolID, binary.BigEndian.AppendUint16(nil, encapsulatedPPP)}}}
}

// connectAck is the server's Call Connect Ack with its crypto binding
// request: the hash protocols it takes and a nonce ([MS-SSTP] 2.2.7).
func connectAck(hashes uint8, nonce [32]byte) Control {
	v := append([]byte{0, 0, 0, hashes}, nonce[:]...)
	return Control{Type: msgCallConnectAck, Attrs: []Attr{{attrCryptoBindingRequest, v}}}
}

// statusInfo is a Status Info attribute: the attribute it is about and
// the status ([MS-SSTP] 2.2.6).
func statusInfo(about uint8, status uint32) Attr {
	v := []byte{0, 0, 0, about}
	return Attr{attrStatusInfo, binary.BigEndian.AppendUint32(v, status)}
}

// binding is the crypto binding of Call Connected ([MS-SSTP] 2.2.8).
type binding struct {
	Hash     uint8
	Nonce    [32]byte
	CertHash [32]byte
	MAC      [32]byte
}

// connected is the client's Call Connected message.
func connected(b binding) Control {
	v := append([]byte{0, 0, 0, b.Hash}, b.Nonce[:]...)
	v = append(v, b.CertHash[:]...)
	v = append(v, b.MAC[:]...)
	return Control{Type: msgCallConnected, Attrs: []Attr{{attrCryptoBinding, v}}}
}

func parseBindingRequest(c Control) (hashes uint8, nonce [32]byte, err error) {
	v, ok := c.attr(attrCryptoBindingRequest)
	if !ok || len(v) != 36 {
		return 0, nonce, errors.New("sstp: Call Connect Ack without a crypto binding request")
	}
	copy(nonce[:], v[4:])
	return v[3], nonce, nil
}

func parseBinding(c Control) (binding, error) {
	var b binding
	v, ok := c.attr(attrCryptoBinding)
	if !ok || len(v) != 100 {
		return b, errors.New("sstp: Call Connected without a crypto binding")
	}
	b.Hash = v[3]
	copy(b.Nonce[:], v[4:36])
	copy(b.CertHash[:], v[36:68])
	copy(b.MAC[:], v[68:100])
	return b, nil
}

// certHash is the hash of the server's certificate (DER) with the
// binding's protocol, SHA-1's 20 bytes padded with zeros.
func certHash(proto uint8, der []byte) [32]byte {
	var out [32]byte
	if proto == hashSHA1 {
		s := sha1.Sum(der)
		copy(out[:], s[:])
		return out
	}
	return sha256.Sum256(der)
}

// cmacSeed is the label of the compound MAC key ([MS-SSTP] 3.2.5.2.2).
const cmacSeed = "SSTP inner method derived CMK"

// compoundMAC computes the Call Connected message's compound MAC: the key
// CMK = HMAC(HLAK, seed | length | 0x01), the length of the hash's output
// as two bytes, little-endian as sstp-client writes it [verify]; the MAC
// = HMAC(CMK, the whole Call Connected packet with its MAC zeroed),
// truncated or zero-padded to 32 bytes. hlak is the higher-layer
// authentication key: 32 zero bytes when PPP authenticated without key
// material (PAP, CHAP), as the spec has it for such protocols.
func compoundMAC(proto uint8, hlak []byte, msg []byte) [32]byte {
	var h func() hash.Hash = sha256.New
	size := sha256.Size
	if proto == hashSHA1 {
		h, size = sha1.New, sha1.Size
	}
	m := hmac.New(h, hlak)
	m.Write([]byte(cmacSeed))
	m.Write([]byte{byte(size), byte(size >> 8), 1})
	cmk := m.Sum(nil)[:size]
	m = hmac.New(h, cmk)
	m.Write(msg)
	var out [32]byte
	copy(out[:], m.Sum(nil))
	return out
}

// signedConnected is Call Connected with its compound MAC filled in.
func signedConnected(b binding, hlak []byte) []byte {
	b.MAC = [32]byte{}
	b.MAC = compoundMAC(b.Hash, hlak, connected(b).bytes())
	return connected(b).bytes()
}
