package agentcmd

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
)

// The delay line lets packets go in arrival order, each no earlier than its delay, and all that
// are due in one batch.
func TestDelayLineOrder(t *testing.T) {
	t0 := time.Unix(1000, 0)
	d := delayLine{delay: 80 * time.Millisecond}
	if _, ok := d.next(); ok {
		t.Fatal("an empty line has a next packet")
	}
	d.add(7, t0)
	d.add(8, t0.Add(1*time.Millisecond))
	d.add(9, t0.Add(30*time.Millisecond))
	if at, ok := d.next(); !ok || !at.Equal(t0.Add(80*time.Millisecond)) {
		t.Fatalf("next = %v, %v; want t0+80ms", at, ok)
	}
	if last, n := d.release(t0.Add(79 * time.Millisecond)); n != 0 {
		t.Fatalf("released %d (up to %d) 1ms before the first is due", n, last)
	}
	// 81ms: 7 and 8 are due, 9 is not.
	if last, n := d.release(t0.Add(81 * time.Millisecond)); n != 2 || last != 8 {
		t.Fatalf("release at +81ms = up to %d, %d packets; want up to 8, 2", last, n)
	}
	if at, _ := d.next(); !at.Equal(t0.Add(110 * time.Millisecond)) {
		t.Fatalf("next after the batch = %v; want t0+110ms", at)
	}
	d.add(10, t0.Add(100*time.Millisecond))
	if id, _ := d.lastID(); id != 10 {
		t.Fatalf("lastID = %d; want 10", id)
	}
	if last, n := d.release(t0.Add(time.Second)); n != 2 || last != 10 {
		t.Fatalf("release at +1s = up to %d, %d packets; want up to 10, 2", last, n)
	}
	if d.pending() != 0 {
		t.Fatalf("%d packets still held", d.pending())
	}
}

// The config message binds the queue, copies metadata only and raises the queue length; the
// verdict accepts every packet up to an id; a packet message gives its id.
func TestNfqMessages(t *testing.T) {
	m, err := nfqConfigMsg(12)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Type != 3<<8|2 || m.Header.Flags&netlink.Acknowledge == 0 {
		t.Fatalf("config header = %+v", m.Header)
	}
	if !bytes.Equal(m.Data[:4], []byte{0, 0, 0, 12}) {
		t.Fatalf("nfgenmsg = % x; want family 0, version 0, queue 12 big-endian", m.Data[:4])
	}
	attrs := decodeAttrs(t, m.Data[4:])
	if a := attrs[nfqaCfgCmd]; len(a) != 4 || a[0] != nfqnlCfgCmdBind {
		t.Errorf("cmd = % x", a)
	}
	if a := attrs[nfqaCfgParams]; len(a) != 5 || a[4] != nfqnlCopyMeta {
		t.Errorf("params = % x; want 5 bytes with copy mode meta", a)
	}
	if a := attrs[nfqaCfgQueueMax]; binary.BigEndian.Uint32(a) != delayQueueLen {
		t.Errorf("queue max = % x; want %d", a, delayQueueLen)
	}

	v, err := nfqAcceptUpTo(12, 0x01020304)
	if err != nil {
		t.Fatal(err)
	}
	if v.Header.Type != 3<<8|3 {
		t.Fatalf("verdict type = %#x; want the batch verdict", v.Header.Type)
	}
	if a := decodeAttrs(t, v.Data[4:])[nfqaVerdictHdr]; !bytes.Equal(a, []byte{0, 0, 0, 1, 1, 2, 3, 4}) {
		t.Fatalf("verdict = % x; want accept (1), id 0x01020304", a)
	}

	ae := netlink.NewAttributeEncoder()
	ae.Bytes(nfqaPacketHdr, []byte{0, 0, 0x01, 0x00, 0x08, 0x00, 4})
	b, _ := ae.Encode()
	pkt := netlink.Message{Header: netlink.Header{Type: 3 << 8}, Data: append([]byte{2, 0, 0, 12}, b...)}
	if id, ok := nfqPacketID(pkt); !ok || id != 256 {
		t.Fatalf("packet id = %d, %v; want 256", id, ok)
	}
	if _, ok := nfqPacketID(netlink.Message{Header: netlink.Header{Type: 3<<8 | 2}, Data: pkt.Data}); ok {
		t.Fatal("a config message was read as a packet")
	}
}

func decodeAttrs(t *testing.T, b []byte) map[uint16][]byte {
	t.Helper()
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint16][]byte{}
	for ad.Next() {
		out[ad.Type()] = ad.Bytes()
	}
	if err := ad.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDelayOptions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // part of the usage error, "" for none
	}{
		{[]string{"--queue", "2", "--delay", "80ms"}, ""},
		{[]string{"--delay", "80ms"}, "--queue 0"},
		{[]string{"--queue", "70000", "--delay", "80ms"}, "within 1..65535"},
		{[]string{"--queue", "2"}, "--delay must be positive"},
		{[]string{"--queue", "2", "--delay", "-1ms"}, "--delay must be positive"},
		{[]string{"--queue", "2", "--delay", "80"}, "invalid value"},
	} {
		var stderr strings.Builder
		o, err := parseDelayOptions(c.args, &stderr)
		if c.want == "" {
			if err != nil || o.queue != 2 || o.delay != 80*time.Millisecond {
				t.Errorf("%q: %+v, %v (%s)", c.args, o, err, stderr.String())
			}
			continue
		}
		if err == nil || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: err %v, stderr %q; want one saying %q", c.args, err, stderr.String(), c.want)
		}
	}
	r := strings.Join(delayRule("-A", "eth1", 7), " ")
	if r != "-w -t mangle -A POSTROUTING -o eth1 -j NFQUEUE --queue-num 7 --queue-bypass" {
		t.Errorf("rule = %s", r)
	}
}
