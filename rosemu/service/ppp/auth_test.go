package ppp

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMSCHAPv2Vectors checks each step against RFC 2759 9.2's worked
// example (user "User", password "clientPass").
func TestMSCHAPv2Vectors(t *testing.T) {
	auth := unhex(t, "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28")
	peer := unhex(t, "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E")
	if got, want := ntPasswordHash("clientPass"), unhex(t, "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE"); !bytes.Equal(got, want) {
		t.Errorf("NtPasswordHash = %X, want %X", got, want)
	}
	if got, want := challengeHash(peer, auth, "User"), unhex(t, "D0 2E 43 86 BC E9 12 26"); !bytes.Equal(got, want) {
		t.Errorf("ChallengeHash = %X, want %X", got, want)
	}
	// The domain is not hashed (RFC 2759 8.2).
	if got, want := challengeHash(peer, auth, `LAB\User`), unhex(t, "D0 2E 43 86 BC E9 12 26"); !bytes.Equal(got, want) {
		t.Errorf(`ChallengeHash of LAB\User = %X, want the bare user's %X`, got, want)
	}
	nt := ntResponseV2(auth, peer, "User", "clientPass")
	if want := unhex(t, "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF"); !bytes.Equal(nt, want) {
		t.Errorf("NT-Response = %X, want %X", nt, want)
	}
	if got, want := authenticatorResponse("clientPass", nt, peer, auth, "User"), "S=407A5589115FD0D6209F510FE9C04566932CDA56"; got != want {
		t.Errorf("AuthenticatorResponse = %s, want %s", got, want)
	}
	// Negative control: another password changes the proof.
	if authenticatorResponse("clientPasS", nt, peer, auth, "User") == "S=407A5589115FD0D6209F510FE9C04566932CDA56" {
		t.Error("AuthenticatorResponse ignores the password")
	}

	// The server's verifier accepts the example's response with the
	// right secret only, and records the authenticator response.
	v, _, err := chapAnswer(MSCHAPv2, 1, auth, peer, "User", "clientPass")
	if err != nil {
		t.Fatal(err)
	}
	var s string
	var mppe [2][]byte
	check := chapVerifier(MSCHAPv2, 1, auth, v, "User", &s, &mppe)
	if check("clientpass") || s != "" || mppe[0] != nil {
		t.Errorf("verifier accepted a wrong secret (success %q)", s)
	}
	if !check("clientPass") || s != "S=407A5589115FD0D6209F510FE9C04566932CDA56" {
		t.Errorf("verifier refused the right secret (success %q)", s)
	}
	if send, _ := mppeKeys("clientPass", nt); mppe[0] == nil || !bytes.Equal(mppe[0], send) {
		t.Errorf("verifier's MPPE keys %X, want the client's send key %X", mppe[0], send)
	}
}

// TestMPPEKeysVector checks RFC 3079 3.5.3's example, which continues
// RFC 2759's: the master key, and the 128-bit send start key, which the
// example derives for the server (Magic3: "on the server side, it is
// the send key"), so it is the client's receive key.
func TestMPPEKeysVector(t *testing.T) {
	nt := unhex(t, "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF")
	if got, want := mppeMasterKey("clientPass", nt), unhex(t, "FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31"); !bytes.Equal(got, want) {
		t.Errorf("MasterKey = %X, want %X", got, want)
	}
	send, recv := mppeKeys("clientPass", nt)
	if want := unhex(t, "8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"); !bytes.Equal(recv, want) {
		t.Errorf("the server's SendStartKey128 = %X, want %X (the client's send key %X)", recv, want, send)
	}
	if bytes.Equal(send, recv) {
		t.Error("the send and receive keys are the same")
	}
}

// TestMSCHAPv1Vector checks RFC 2433 B.2's example (password "MyPw").
func TestMSCHAPv1Vector(t *testing.T) {
	if got, want := ntPasswordHash("MyPw"), unhex(t, "FC156AF7EDCD6C0EDDE3337D427F4EAC"); !bytes.Equal(got, want) {
		t.Errorf("NtPasswordHash = %X, want %X", got, want)
	}
	ch := unhex(t, "10 2D B5 DF 08 5D 30 41")
	want := unhex(t, "4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61")
	if got := ntResponseV1(ch, "MyPw"); !bytes.Equal(got, want) {
		t.Errorf("NtChallengeResponse = %X, want %X", got, want)
	}
	v, _, err := chapAnswer(MSCHAPv1, 1, ch, nil, "u", "MyPw")
	if err != nil || !bytes.Equal(v[24:48], want) || v[48] != 1 {
		t.Fatalf("response value %X, %v", v, err)
	}
	check := chapVerifier(MSCHAPv1, 1, ch, v, "u", nil, nil)
	if !check("MyPw") || check("MyPW") {
		t.Error("verifier does not tell the right secret from a wrong one")
	}
	v[48] = 0 // an LM-only response is never accepted
	if chapVerifier(MSCHAPv1, 1, ch, v, "u", nil, nil)("MyPw") {
		t.Error("verifier accepted a response without the NT flag")
	}
}

// TestCHAPMD5 checks RFC 1994 4.1's response, MD5(identifier || secret ||
// challenge), against a value computed apart from this code with
// `printf '\x07s3cret\x00\x01...\x0f' | md5sum`.
func TestCHAPMD5(t *testing.T) {
	ch := unhex(t, "000102030405060708090a0b0c0d0e0f")
	want := unhex(t, "407561a2aba37cd1326962315ff87ee0")
	if got := chapMD5Response(7, "s3cret", ch); !bytes.Equal(got, want) {
		t.Errorf("response = %x, want %x", got, want)
	}
	check := chapVerifier(CHAP, 7, ch, want, "alice", nil, nil)
	if !check("s3cret") || check("s3cret ") {
		t.Error("verifier does not tell the right secret from a wrong one")
	}
	if chapVerifier(CHAP, 8, ch, want, "alice", nil, nil)("s3cret") {
		t.Error("verifier accepted a response to another identifier")
	}
}

func TestAuthOption(t *testing.T) {
	for _, a := range AuthAll {
		if got, ok := authOf(a.option()); !ok || got != a {
			t.Errorf("authOf(%s.option()) = %s, %v", a, got, ok)
		}
	}
	if _, ok := authOf([]byte{0xc2, 0x27}); ok { // EAP
		t.Error("authOf took EAP")
	}
	if _, ok := authOf([]byte{0xc2, 0x23, 6}); ok { // CHAP with SHA-1
		t.Error("authOf took CHAP with an unknown algorithm")
	}
	got, err := ParseAuth("pap,chap,mschap1,mschap2")
	if err != nil || len(got) != 4 {
		t.Fatalf("ParseAuth = %v, %v", got, err)
	}
	if r := ranked([]Auth{PAP, MSCHAPv2}); len(r) != 2 || r[0] != MSCHAPv2 {
		t.Errorf("ranked = %v, want mschap2 first", r)
	}
	if _, err := ParseAuth("pap,eap"); err == nil {
		t.Error("ParseAuth took eap")
	}
}
