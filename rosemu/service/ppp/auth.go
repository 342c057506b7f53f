package ppp

import (
	"bytes"
	"crypto/des"
	"crypto/md5"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"golang.org/x/crypto/md4"
)

// Auth is a PPP authentication protocol, named as RouterOS names it in a
// PPPoE server's authentication= and a client's allow=.
type Auth string

// The protocols this package speaks.
const (
	PAP      Auth = "pap"     // RFC 1334: the password in clear
	CHAP     Auth = "chap"    // RFC 1994 with MD5
	MSCHAPv1 Auth = "mschap1" // RFC 2433
	MSCHAPv2 Auth = "mschap2" // RFC 2759: both ends prove the password
)

// AuthAll is every protocol, strongest first: the order in which a server
// asks for them, meant to be RouterOS's. The manual's PPP AAA and PPPoE
// pages list the four protocols but, as far as found, not the order a
// server asks in; strongest first is what pppd and most servers do.
// [verify] against a RouterOS server's LCP request.
var AuthAll = []Auth{MSCHAPv2, MSCHAPv1, CHAP, PAP}

// ParseAuth reads a RouterOS list such as "pap,chap,mschap1,mschap2".
func ParseAuth(list string) ([]Auth, error) {
	var out []Auth
	for w := range strings.SplitSeq(list, ",") {
		a := Auth(strings.TrimSpace(w))
		if a == "" {
			continue
		}
		if !slices.Contains(AuthAll, a) {
			return nil, fmt.Errorf("parse authentication %q: unknown protocol %q (known: pap, chap, mschap1, mschap2)", list, a)
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// ranked is the protocols of allowed in AuthAll's order; nil allowed is
// every protocol.
func ranked(allowed []Auth) []Auth {
	if allowed == nil {
		return AuthAll
	}
	var out []Auth
	for _, a := range AuthAll {
		if slices.Contains(allowed, a) {
			out = append(out, a)
		}
	}
	return out
}

// CHAP algorithms in the LCP authentication option (RFC 1994 3, RFC 2433
// 2, RFC 2759 2).
const (
	chapMD5  uint8 = 5
	chapMSv1 uint8 = 0x80
	chapMSv2 uint8 = 0x81
)

// option is the data of the LCP Authentication-Protocol option asking for a.
func (a Auth) option() []byte {
	b := binary.BigEndian.AppendUint16(nil, protoCHAP)
	switch a {
	case PAP:
		return binary.BigEndian.AppendUint16(nil, protoPAP)
	case CHAP:
		return append(b, chapMD5)
	case MSCHAPv1:
		return append(b, chapMSv1)
	default:
		return append(b, chapMSv2)
	}
}

// authOf reads an Authentication-Protocol option; ok is false for a
// protocol or algorithm this package does not speak (EAP, SHA-1 CHAP).
func authOf(d []byte) (Auth, bool) {
	if len(d) < 2 {
		return "", false
	}
	switch binary.BigEndian.Uint16(d) {
	case protoPAP:
		return PAP, len(d) == 2
	case protoCHAP:
		if len(d) != 3 { // the protocol, then one byte of algorithm
			return "", false
		}
		switch d[2] {
		case chapMD5:
			return CHAP, true
		case chapMSv1:
			return MSCHAPv1, true
		case chapMSv2:
			return MSCHAPv2, true
		}
	}
	return "", false
}

// Verifier reports whether what the client sent proves it knows secret,
// the password the server holds for the user. The server's login decision
// calls it with that secret instead of being given the client's password,
// which CHAP never sends. For MS-CHAPv2 a call that returns true also fixes
// the authenticator response of the Success message, which the client
// checks: call it with the secret that decides the login.
type Verifier func(secret string) bool

// papVerifier proves by comparison with the password sent in clear.
func papVerifier(password string) Verifier {
	return func(secret string) bool {
		return subtle.ConstantTimeCompare([]byte(secret), []byte(password)) == 1
	}
}

// chapMD5Response is RFC 1994 4.1's MD5 response: the hash of the
// identifier, the secret and the challenge.
func chapMD5Response(id uint8, secret string, challenge []byte) []byte {
	h := md5.New()
	h.Write([]byte{id})
	h.Write([]byte(secret))
	h.Write(challenge)
	return h.Sum(nil)
}

// ntPasswordHash is RFC 2759 8.3: MD4 of the password in UTF-16LE.
func ntPasswordHash(password string) []byte {
	u := utf16.Encode([]rune(password))
	b := make([]byte, 2*len(u))
	for i, r := range u {
		binary.LittleEndian.PutUint16(b[2*i:], r)
	}
	h := md4.New()
	h.Write(b)
	return h.Sum(nil)
}

// desKey spreads 7 bytes (56 key bits) over the 8 bytes DES takes; the
// parity bits DES ignores are left zero (RFC 2759 8.6).
func desKey(k []byte) []byte {
	return []byte{
		k[0],
		k[0]<<7 | k[1]>>1,
		k[1]<<6 | k[2]>>2,
		k[2]<<5 | k[3]>>3,
		k[3]<<4 | k[4]>>4,
		k[4]<<3 | k[5]>>5,
		k[5]<<2 | k[6]>>6,
		k[6] << 1,
	}
}

// challengeResponse is RFC 2759 8.5 (and RFC 2433's NT response): the
// 8-byte challenge encrypted under three DES keys cut from the
// zero-padded password hash.
func challengeResponse(challenge, pwHash []byte) []byte {
	z := make([]byte, 21)
	copy(z, pwHash)
	out := make([]byte, 24)
	for i := range 3 {
		c, _ := des.NewCipher(desKey(z[7*i : 7*i+7])) // an 8-byte key cannot fail
		c.Encrypt(out[8*i:], challenge[:8])
	}
	return out
}

// challengeHash is RFC 2759 8.2: the first 8 bytes of SHA-1 over both
// challenges and the user name without its domain.
func challengeHash(peer, auth []byte, user string) []byte {
	h := sha1.New()
	h.Write(peer)
	h.Write(auth)
	h.Write([]byte(bareUser(user)))
	return h.Sum(nil)[:8]
}

// bareUser drops a "DOMAIN\" prefix: RFC 2759 8.2 hashes the user name
// "excluding any prepended domain name", as pppd does.
func bareUser(user string) string {
	if i := strings.LastIndexByte(user, '\\'); i >= 0 {
		return user[i+1:]
	}
	return user
}

// ntResponseV2 is RFC 2759 8.1, GenerateNTResponse.
func ntResponseV2(auth, peer []byte, user, password string) []byte {
	return challengeResponse(challengeHash(peer, auth, user), ntPasswordHash(password))
}

// The constants of RFC 2759 8.7.
var (
	magic1 = []byte("Magic server to client signing constant")
	magic2 = []byte("Pad to make it do more than one iteration")
)

// authenticatorResponse is RFC 2759 8.7: "S=" and 40 upper-case hex
// digits, the server's proof that it knows the password too.
func authenticatorResponse(password string, nt, peer, auth []byte, user string) string {
	digest := hashHashDigest(password, nt, magic1)
	h := sha1.New()
	h.Write(digest)
	h.Write(challengeHash(peer, auth, user))
	h.Write(magic2)
	return "S=" + strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
}

// The constants of RFC 3079 3.4.
var (
	mppeMagic1 = []byte("This is the MPPE Master Key")
	mppeMagic2 = []byte("On the client side, this is the send key; on the server side, it is the receive key.")
	mppeMagic3 = []byte("On the client side, this is the receive key; on the server side, it is the send key.")
)

// mppeKeys is RFC 3079 3.4 for 128-bit keys: the master keys of an
// MS-CHAPv2 login, from the password and the client's NT-Response: the
// client's send key (the server's receive key) and the client's receive
// key (the server's send key). SSTP's crypto binding is keyed by them.
func mppeKeys(password string, nt []byte) (clientSend, clientRecv []byte) {
	master := mppeMasterKey(password, nt)
	start := func(magic []byte) []byte {
		h := sha1.New()
		h.Write(master)
		h.Write(make([]byte, 40)) // SHSpad1
		h.Write(magic)
		h.Write(bytes.Repeat([]byte{0xf2}, 40)) // SHSpad2
		return h.Sum(nil)[:16]
	}
	return start(mppeMagic2), start(mppeMagic3)
}

// mppeMasterKey is RFC 3079 3.4's GetMasterKey.
func mppeMasterKey(password string, nt []byte) []byte {
	return hashHashDigest(password, nt, mppeMagic1)[:16]
}

// hashHashDigest is SHA-1 over the password's hash hashed again (MD4),
// the NT-Response and a constant: the first step of RFC 2759 8.7's
// authenticator response and of RFC 3079's master key.
func hashHashDigest(password string, nt, magic []byte) []byte {
	hh := md4.New()
	hh.Write(ntPasswordHash(password))
	h := sha1.New()
	h.Write(hh.Sum(nil))
	h.Write(nt)
	h.Write(magic)
	return h.Sum(nil)
}

// ntResponseV1 is RFC 2433 A.5, NtChallengeResponse.
func ntResponseV1(challenge []byte, password string) []byte {
	return challengeResponse(challenge, ntPasswordHash(password))
}

// CHAP packet codes (RFC 1994 4).
const (
	chapChallenge uint8 = 1
	chapResp      uint8 = 2
	chapSuccess   uint8 = 3
	chapFailure   uint8 = 4
)

// chapValue builds a Challenge or Response: value size, value, name.
func chapValue(code, id uint8, value []byte, name string) cp {
	d := append([]byte{uint8(len(value))}, value...)
	return cp{Code: code, ID: id, Data: append(d, name...)}
}

func parseCHAPValue(d []byte) (value []byte, name string, err error) {
	if len(d) < 1 || 1+int(d[0]) > len(d) {
		return nil, "", errShort
	}
	n := int(d[0])
	return d[1 : 1+n], string(d[1+n:]), nil
}

// challengeLen is the size of the server's challenge: RFC 2433 fixes 8
// bytes and RFC 2759 16; CHAP-MD5 takes any, and 16 is what pppd sends.
func challengeLen(a Auth) int {
	if a == MSCHAPv1 {
		return 8
	}
	return 16
}

// chapAnswer computes the client's Response value to challenge, and for
// MS-CHAPv2 the authenticator response the server's Success must carry.
func chapAnswer(a Auth, id uint8, challenge, peerChallenge []byte, user, password string) (value []byte, want string, err error) {
	switch a {
	case CHAP:
		return chapMD5Response(id, password, challenge), "", nil
	case MSCHAPv1:
		if len(challenge) != 8 {
			return nil, "", fmt.Errorf("mschap1: challenge of %d bytes, want 8", len(challenge))
		}
		// 24 bytes of LAN Manager response left zero, the NT response,
		// and the flag saying to use it (RFC 2433 3): the LM hash is
		// too weak to send.
		v := make([]byte, 49)
		copy(v[24:], ntResponseV1(challenge, password))
		v[48] = 1
		return v, "", nil
	case MSCHAPv2:
		if len(challenge) != 16 {
			return nil, "", fmt.Errorf("mschap2: challenge of %d bytes, want 16", len(challenge))
		}
		// Peer-Challenge, 8 reserved zero bytes, NT-Response, flags 0
		// (RFC 2759 4).
		nt := ntResponseV2(challenge, peerChallenge, user, password)
		v := make([]byte, 49)
		copy(v, peerChallenge)
		copy(v[24:], nt)
		return v, authenticatorResponse(password, nt, peerChallenge, challenge, user), nil
	}
	return nil, "", fmt.Errorf("chap: no answer for %s", a)
}

// chapVerifier is the server's check of a Response value for challenge;
// for MS-CHAPv2 it records in *success the authenticator response of the
// secret it accepted, and in mppe the login's MPPE keys (mppeKeys).
func chapVerifier(a Auth, id uint8, challenge, value []byte, user string, success *string, mppe *[2][]byte) Verifier {
	switch a {
	case CHAP:
		return func(secret string) bool {
			return subtle.ConstantTimeCompare(chapMD5Response(id, secret, challenge), value) == 1
		}
	case MSCHAPv1:
		if len(value) != 49 || value[48] != 1 {
			// Only an LM response (flag 0): refused, as the LM hash
			// is not checked.
			return func(string) bool { return false }
		}
		return func(secret string) bool {
			return subtle.ConstantTimeCompare(ntResponseV1(challenge, secret), value[24:48]) == 1
		}
	case MSCHAPv2:
		if len(value) != 49 {
			return func(string) bool { return false }
		}
		peer, nt := value[:16], value[24:48]
		return func(secret string) bool {
			if subtle.ConstantTimeCompare(ntResponseV2(challenge, peer, user, secret), nt) != 1 {
				return false
			}
			*success = authenticatorResponse(secret, nt, peer, challenge, user)
			mppe[0], mppe[1] = mppeKeys(secret, nt)
			return true
		}
	}
	return func(string) bool { return false }
}
