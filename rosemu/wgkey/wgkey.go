// Package wgkey reads WireGuard keys as RouterOS and the wg tools write
// them (32 bytes in standard base64), for rosemu's WireGuard interfaces,
// the lab's WireGuard nodes and their configuration files.
package wgkey

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"

	"golang.org/x/crypto/curve25519"
)

// Decode returns the key's 32 bytes; ok is false for anything else.
func Decode(k string) (b []byte, ok bool) {
	b, err := base64.StdEncoding.DecodeString(k)
	return b, err == nil && len(b) == 32
}

// Hex is the key in the hex WireGuard's configuration protocol takes, ""
// for no key.
func Hex(k string) string {
	b, ok := Decode(k)
	if !ok {
		return ""
	}
	return hex.EncodeToString(b)
}

// Public derives the public key of a private key ("" for no key).
func Public(priv string) string {
	k, ok := Decode(priv)
	if !ok {
		return ""
	}
	pub, err := curve25519.X25519(k, curve25519.Basepoint)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(pub)
}

// NewSymmetric makes a preshared key: 32 random bytes.
func NewSymmetric() string {
	var k [32]byte
	_, _ = rand.Read(k[:])
	return base64.StdEncoding.EncodeToString(k[:])
}

// New makes a private key, clamped as the WireGuard tools clamp one.
func New() string {
	var k [32]byte
	_, _ = rand.Read(k[:])
	k[0] &= 248
	k[31] = (k[31] & 127) | 64
	return base64.StdEncoding.EncodeToString(k[:])
}
