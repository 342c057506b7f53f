package ppp

import "testing"

func TestCodecRoundTrip(t *testing.T) {
	opts := []option{{1, []byte{0x05, 0xd4}}, {5, []byte{1, 2, 3, 4}}}
	p := cp{Code: confReq, ID: 7, Data: encodeOptions(opts)}
	q, err := parseCP(p.bytes())
	if err != nil || q.ID != 7 || q.Code != confReq {
		t.Fatalf("parseCP = %+v, %v", q, err)
	}
	o, err := parseOptions(q.Data)
	if err != nil || len(o) != 2 || o[0].Data[1] != 0xd4 {
		t.Fatalf("parseOptions = %+v, %v", o, err)
	}
	if _, err := parseOptions([]byte{1, 1}); err == nil {
		t.Fatal("parseOptions accepted a length under 2")
	}

	u, pw, err := parsePAPRequest(papRequest(1, "alice", "s3cret").Data)
	if err != nil || u != "alice" || pw != "s3cret" {
		t.Fatalf("PAP = %q %q %v", u, pw, err)
	}
	if _, _, err := parsePAPRequest([]byte{9, 'a'}); err == nil {
		t.Fatal("parsePAPRequest accepted a truncated user")
	}
}
