package bzimage

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/ulikunitz/xz"
)

// tinyELF is an x86-64 ELF with one PT_NOTE segment holding a note of
// type typ named name: the smallest file CheckPVH reads.
func tinyELF(name string, typ uint32) []byte {
	var note bytes.Buffer
	nm := append([]byte(name), 0)
	for len(nm)%4 != 0 {
		nm = append(nm, 0)
	}
	binary.Write(&note, binary.LittleEndian, []uint32{uint32(len(name) + 1), 4, typ})
	note.Write(nm)
	note.Write([]byte{0, 0, 0x10, 0})
	const ehsize, phsize = 64, 56
	var b bytes.Buffer
	b.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
	b.Write(make([]byte, 8))
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	le(uint16(2))      // ET_EXEC
	le(uint16(62))     // EM_X86_64
	le(uint32(1))      // version
	le(uint64(0))      // entry
	le(uint64(ehsize)) // phoff
	le(uint64(0))      // shoff
	le(uint32(0))      // flags
	le(uint16(ehsize))
	le(uint16(phsize))
	le(uint16(1)) // phnum
	le(uint16(64))
	le(uint16(0))
	le(uint16(0))
	le(uint32(4)) // PT_NOTE
	le(uint32(4)) // PF_R
	le(uint64(ehsize + phsize))
	le(uint64(0))
	le(uint64(0))
	le(uint64(note.Len()))
	le(uint64(note.Len()))
	le(uint64(4))
	b.Write(note.Bytes())
	return b.Bytes()
}

// bzImage wraps payload the way the boot protocol lays it out: one setup
// sector after the boot sector, then the protected-mode code whose
// payload fields point at payload.
func bzImage(payload []byte) []byte {
	// The kernel's build appends the uncompressed size to the payload.
	payload = binary.LittleEndian.AppendUint32(append([]byte(nil), payload...), 12345)
	img := make([]byte, 2*512+64)
	img[offSetupSects] = 1
	copy(img[offMagic:], "HdrS")
	binary.LittleEndian.PutUint16(img[offVersion:], 0x20f)
	binary.LittleEndian.PutUint32(img[offPayloadOff:], 64)
	binary.LittleEndian.PutUint32(img[offPayloadLen:], uint32(len(payload)))
	return append(img, payload...)
}

// xzOf compresses with ulikunitz/xz, which writes xz but cannot read the
// kernel's (it lacks the x86 BCJ filter); the package reads with
// therootcompany/xz, a port of the kernel's own XZ Embedded decoder.
func xzOf(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	w, err := xz.NewWriter(&out)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func gzipOf(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func TestExtract(t *testing.T) {
	kernel := tinyELF("Xen", xenElfnotePhys32Entry)
	for name, bz := range map[string][]byte{"xz": bzImage(xzOf(t, kernel)), "gzip": bzImage(gzipOf(kernel))} {
		got, err := Extract(bz)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, kernel) {
			t.Errorf("%s: got %d bytes, want the %d-byte ELF", name, len(got), len(kernel))
		}
	}
}

func TestExtractRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		bz   []byte
		want string
	}{
		{"no header", make([]byte, 4096), "no HdrS"},
		{"no PVH note", bzImage(xzOf(t, tinyELF("Xen", 1))), "no PVH entry note"},
		{"note of another vendor", bzImage(xzOf(t, tinyELF("GNU", xenElfnotePhys32Entry))), "no PVH entry note"},
		{"zstd", bzImage([]byte("\x28\xb5\x2f\xfd rest")), "only xz and gzip"},
		{"not an ELF", bzImage(gzipOf([]byte("plain text"))), "not an ELF"},
		{"payload past the end", bzImage(make([]byte, 100))[:1100], "outside"},
	} {
		_, err := Extract(c.bz)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
}
