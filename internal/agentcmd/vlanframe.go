package agentcmd

import (
	"encoding/binary"
	"errors"
)

// 802.1Q framing, done in user space: the lab's kernels may lack the
// 8021q module (no `ip link add ... type vlan`), so a host in one VLAN of a
// trunk tags and untags its own frames (vlan.go moves them).

const (
	etherTypeVLAN = 0x8100 // IEEE 802.1Q tag protocol identifier
	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86dd
	macHeaderLen  = 12 // destination and source MAC addresses
	vlanTagLen    = 4
)

// tagFrame returns a copy of the untagged Ethernet frame with an 802.1Q tag
// of VLAN vid (priority 0) inserted after the MAC addresses.
func tagFrame(frame []byte, vid uint16) ([]byte, error) {
	if len(frame) < macHeaderLen+2 {
		return nil, errors.New("frame shorter than an Ethernet header")
	}
	out := make([]byte, len(frame)+vlanTagLen)
	copy(out, frame[:macHeaderLen])
	binary.BigEndian.PutUint16(out[macHeaderLen:], etherTypeVLAN)
	binary.BigEndian.PutUint16(out[macHeaderLen+2:], vid&0x0fff)
	copy(out[macHeaderLen+vlanTagLen:], frame[macHeaderLen:])
	return out, nil
}

// auxVLAN is what the kernel says of a received frame's tag when it took
// the tag off itself (PACKET_AUXDATA with TP_STATUS_VLAN_VALID).
type auxVLAN struct {
	valid bool
	tci   uint16
}

// untagFrame returns the VLAN of a received frame and the frame without
// its tag. The kernel usually strips the outer tag before a packet socket
// sees the frame and reports it in aux; a tag still in the frame is read
// from there. ok is false for an untagged frame.
func untagFrame(frame []byte, aux auxVLAN) (vid uint16, inner []byte, ok bool) {
	if aux.valid {
		return aux.tci & 0x0fff, frame, true
	}
	if len(frame) < macHeaderLen+vlanTagLen+2 || binary.BigEndian.Uint16(frame[macHeaderLen:]) != etherTypeVLAN {
		return 0, nil, false
	}
	vid = binary.BigEndian.Uint16(frame[macHeaderLen+2:]) & 0x0fff
	inner = make([]byte, len(frame)-vlanTagLen)
	copy(inner, frame[:macHeaderLen])
	copy(inner[macHeaderLen:], frame[macHeaderLen+vlanTagLen:])
	return vid, inner, true
}

// fillL4Checksum computes the TCP or UDP checksum of an untagged IPv4 or IPv6
// frame in place. A frame that left a local sender through a veth still
// carries a partial checksum (the kernel marks it TP_STATUS_CSUMNOTREADY,
// counting on hardware that never comes); written into a TAP device it
// would arrive as a fresh frame and be dropped as corrupt. Other frames
// are left alone; it reports whether it filled one in.
func fillL4Checksum(frame []byte) bool {
	if len(frame) >= macHeaderLen+2+40 && binary.BigEndian.Uint16(frame[macHeaderLen:]) == etherTypeIPv6 {
		return fillL4Checksum6(frame[macHeaderLen+2:])
	}
	if len(frame) < macHeaderLen+2+20 || binary.BigEndian.Uint16(frame[macHeaderLen:]) != etherTypeIPv4 {
		return false
	}
	ip := frame[macHeaderLen+2:]
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:]))
	if ip[0]>>4 != 4 || ihl < 20 || total < ihl || total > len(ip) {
		return false
	}
	if binary.BigEndian.Uint16(ip[6:])&0x3fff != 0 {
		return false // a fragment: the checksum covers the whole datagram
	}
	return putL4Checksum(ip[ihl:total], ip[9], onesSum(0, ip[12:20])) // the pseudo header's addresses
}

// putL4Checksum writes the checksum of the TCP or UDP segment seg of
// protocol proto, with sum the pseudo header's addresses summed; other
// protocols and truncated segments are left alone. The rest of the pseudo
// header, the length and the protocol, is the same sum for IPv4 and IPv6
// (RFC 768, RFC 8200 8.1).
func putL4Checksum(seg []byte, proto byte, sum uint32) bool {
	var at int
	switch proto {
	case 6:
		at = 16
	case 17:
		at = 6
	default:
		return false
	}
	if len(seg) < at+2 {
		return false
	}
	seg[at], seg[at+1] = 0, 0
	sum += uint32(proto) + uint32(len(seg))
	sum = onesSum(sum, seg)
	c := ^fold(sum)
	if c == 0 && proto == 17 {
		c = 0xffff // UDP sends a computed zero as all ones
	}
	binary.BigEndian.PutUint16(seg[at:], c)
	return true
}

// fillL4Checksum6 is fillL4Checksum for an IPv6 packet whose TCP or UDP
// header follows the fixed header (no extension headers): the pseudo
// header is both addresses, the upper-layer length and the next header
// (RFC 8200 8.1). A router's IPv6 answer into a VLAN came with a partial
// checksum and the host dropped it (forum55 D5).
func fillL4Checksum6(ip []byte) bool {
	if ip[0]>>4 != 6 {
		return false
	}
	plen := int(binary.BigEndian.Uint16(ip[4:]))
	if 40+plen > len(ip) {
		return false
	}
	return putL4Checksum(ip[40:40+plen], ip[6], onesSum(0, ip[8:40]))
}

// onesSum adds b to sum as big-endian 16-bit words (RFC 1071).
func onesSum(sum uint32, b []byte) uint32 {
	for len(b) >= 2 {
		sum += uint32(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	return sum
}

func fold(sum uint32) uint16 {
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}
