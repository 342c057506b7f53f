package chr

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// synthPart is a partition of a synthetic disk: sectors and an optional
// ext superblock with a label.
type synthPart struct {
	start, count int64
	label        string // "" for no ext superblock
	typ          byte
}

// synthDisk writes a sparse disk image of size bytes with the partitions
// in its MBR, or, with gpt, in a GPT behind a hybrid MBR (as v7 images
// have: a protective 0xEE entry and the GPT's entries).
func synthDisk(t *testing.T, size int64, gpt bool, parts ...synthPart) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "disk.img")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	mbr := make([]byte, sector)
	mbr[510], mbr[511] = 0x55, 0xAA
	entry := func(i int, typ byte, start, count int64) {
		e := mbr[446+16*i:]
		e[4] = typ
		binary.LittleEndian.PutUint32(e[8:], uint32(start))
		binary.LittleEndian.PutUint32(e[12:], uint32(count))
	}
	if gpt {
		entry(0, 0xEE, 1, size/sector-1)
		hdr := make([]byte, sector)
		copy(hdr, "EFI PART")
		binary.LittleEndian.PutUint64(hdr[72:], 2)   // entries at LBA 2
		binary.LittleEndian.PutUint32(hdr[80:], 128) // 128 entries
		binary.LittleEndian.PutUint32(hdr[84:], 128) // of 128 bytes
		write(t, f, hdr, sector)
		table := make([]byte, 128*128)
		for i, p := range parts {
			e := table[i*128:]
			e[0] = 0xAF // any non-zero type GUID
			binary.LittleEndian.PutUint64(e[32:], uint64(p.start))
			binary.LittleEndian.PutUint64(e[40:], uint64(p.start+p.count-1))
		}
		write(t, f, table, 2*sector)
	} else {
		for i, p := range parts {
			typ := p.typ
			if typ == 0 {
				typ = 0x83
			}
			entry(i, typ, p.start, p.count)
		}
	}
	write(t, f, mbr, 0)
	for _, p := range parts {
		if p.label == "" {
			continue
		}
		sb := make([]byte, 1024)
		binary.LittleEndian.PutUint16(sb[56:], 0xEF53)
		copy(sb[120:136], p.label)
		write(t, f, sb, p.start*sector+1024)
	}
	return path
}

func write(t *testing.T, f *os.File, b []byte, off int64) {
	t.Helper()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

const mib = 1 << 20

// The three layouts public CHR images have, each found by its table and
// label: v7 (hybrid MBR/GPT, RouterOS at LBA 65570 after "RouterOS Boot"),
// 6.3x-6.46 (two MBR partitions, RouterOS at LBA 65537), later 6.x (one
// partition at LBA 1).
func TestFindRouterOSLayouts(t *testing.T) {
	cases := []struct {
		name string
		path string
		want int64
	}{
		{"v7", synthDisk(t, 128*mib, true,
			synthPart{start: 34, count: 65536, label: "RouterOS Boot"},
			synthPart{start: 65570, count: 192478, label: "RouterOS"}), 33571840},
		{"v6 two partitions", synthDisk(t, 128*mib, false,
			synthPart{start: 1, count: 65536, label: "RouterOS Boot"},
			synthPart{start: 65537, count: 196607, label: "RouterOS"}), 33554944},
		{"v6 one partition", synthDisk(t, 64*mib, false,
			synthPart{start: 1, count: 131071, label: "RouterOS"}), 512},
	}
	for _, c := range cases {
		p, err := FindRouterOS(c.path)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if p.Offset != c.want || p.Label != RouterOSLabel {
			t.Errorf("%s: found %v, want offset %d", c.name, p, c.want)
		}
	}
}

// A disk whose ext file systems carry other labels, or none, is refused
// with what it has; the boot partition's "RouterOS Boot" is not taken.
func TestFindRouterOSNoPartition(t *testing.T) {
	path := synthDisk(t, 64*mib, false,
		synthPart{start: 1, count: 65536, label: "RouterOS Boot"},
		synthPart{start: 65537, count: 65535})
	_, err := FindRouterOS(path)
	if err == nil {
		t.Fatal("a disk without a RouterOS partition was accepted")
	}
	for _, want := range []string{path, `labelled "RouterOS"`, `"RouterOS Boot"`, "no ext file system"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %s", err, want)
		}
	}
}

// A v7 image cut short (a download that stopped) is refused before its
// partitions are read.
func TestFindRouterOSTruncated(t *testing.T) {
	path := synthDisk(t, 128*mib, true,
		synthPart{start: 34, count: 65536, label: "RouterOS Boot"},
		synthPart{start: 65570, count: 192478, label: "RouterOS"})
	if err := os.Truncate(path, 40*mib); err != nil {
		t.Fatal(err)
	}
	_, err := FindRouterOS(path)
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("truncated disk: %v", err)
	}
}
