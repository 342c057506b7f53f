package vrrp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Protocol is VRRP's IP protocol number, and Group the IPv4 multicast
// group its advertisements go to (RFC 5798 5.1.1.2).
const Protocol = 112

var Group = netip.AddrFrom4([4]byte{224, 0, 0, 18})

// Advert is one VRRP advertisement, version 2 (RFC 3768) or 3 (RFC 5798),
// for IPv4.
type Advert struct {
	Version  int
	VRID     int
	Priority int
	// Interval is the advertisement interval: whole seconds in version 2,
	// centiseconds in version 3.
	Interval  time.Duration
	Addresses []netip.Addr
	// Password is version 2's simple authentication key; "" for none.
	Password string
}

// Marshal encodes the advertisement. Version 3's checksum covers the IPv4
// pseudo-header of src and dst unless asV2 leaves it out (RouterOS's
// v3-checksum-as-v2, for peers that compute it so).
func (a Advert) Marshal(src, dst netip.Addr, asV2 bool) []byte {
	b := make([]byte, 8, 8+4*len(a.Addresses)+8)
	b[0] = byte(a.Version<<4 | 1)
	b[1] = byte(a.VRID)
	b[2] = byte(a.Priority)
	b[3] = byte(len(a.Addresses))
	if a.Version == 2 {
		if a.Password != "" {
			b[4] = 1 // simple text password
		}
		b[5] = byte(min(max(a.Interval/time.Second, 1), 255))
	} else {
		binary.BigEndian.PutUint16(b[4:], uint16(min(max(a.Interval/(10*time.Millisecond), 1), 0xfff)))
	}
	for _, ip := range a.Addresses {
		b = append(b, ip.AsSlice()...)
	}
	if a.Version == 2 {
		var auth [8]byte
		copy(auth[:], a.Password)
		b = append(b, auth[:]...)
	}
	binary.BigEndian.PutUint16(b[6:], checksum(b, src, dst, a.Version == 3 && !asV2))
	return b
}

// ParseAdvert decodes an advertisement that came from src to dst, and
// checks its type, length and checksum (with or without the pseudo-header,
// as Marshal).
func ParseAdvert(b []byte, src, dst netip.Addr, asV2 bool) (Advert, error) {
	if len(b) < 8 {
		return Advert{}, errors.New("short VRRP packet")
	}
	a := Advert{Version: int(b[0] >> 4), VRID: int(b[1]), Priority: int(b[2])}
	if b[0]&0xf != 1 {
		return Advert{}, fmt.Errorf("VRRP packet of type %d, not an advertisement", b[0]&0xf)
	}
	if a.Version != 2 && a.Version != 3 {
		return Advert{}, fmt.Errorf("VRRP version %d", a.Version)
	}
	n := int(b[3])
	want := 8 + 4*n
	if a.Version == 2 {
		want += 8
	}
	if len(b) < want {
		return Advert{}, fmt.Errorf("VRRP advertisement of %d bytes for %d addresses", len(b), n)
	}
	b = b[:want]
	if checksum(b, src, dst, a.Version == 3 && !asV2) != 0 {
		return Advert{}, errors.New("bad VRRP checksum")
	}
	if a.Version == 2 {
		a.Interval = time.Duration(b[5]) * time.Second
		if b[4] == 1 {
			auth := b[8+4*n:]
			end := 0
			for end < len(auth) && auth[end] != 0 {
				end++
			}
			a.Password = string(auth[:end])
		} else if b[4] != 0 {
			return Advert{}, fmt.Errorf("VRRP authentication type %d", b[4])
		}
	} else {
		a.Interval = time.Duration(binary.BigEndian.Uint16(b[4:])&0xfff) * 10 * time.Millisecond
	}
	for i := range n {
		a.Addresses = append(a.Addresses, netip.AddrFrom4([4]byte(b[8+4*i:12+4*i])))
	}
	return a, nil
}

// checksum is the Internet checksum of b, with the IPv4 pseudo-header of
// src and dst first when pseudo is set; 0 when b's own checksum is right.
func checksum(b []byte, src, dst netip.Addr, pseudo bool) uint16 {
	var sum uint32
	add := func(p []byte) {
		for len(p) >= 2 {
			sum += uint32(p[0])<<8 | uint32(p[1])
			p = p[2:]
		}
		if len(p) == 1 {
			sum += uint32(p[0]) << 8
		}
	}
	if pseudo {
		s, d := src.As4(), dst.As4()
		add(s[:])
		add(d[:])
		add([]byte{0, Protocol, byte(len(b) >> 8), byte(len(b))})
	}
	add(b)
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}
