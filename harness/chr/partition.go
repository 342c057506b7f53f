package chr

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
)

// RouterOSLabel is the volume label of the ext3 file system that holds
// RouterOS's writable rw/ folder, where rw/autorun.scr is run at boot.
const RouterOSLabel = "RouterOS"

// Partition is one partition of a disk image.
type Partition struct {
	Index  int    // 1-based, in table order (MBR entries first, then GPT)
	Table  string // "MBR" or "GPT"
	Offset int64  // bytes from the start of the disk
	Size   int64  // bytes
	// Ext says an ext2/3/4 superblock is there; Label is its volume name.
	Ext   bool
	Label string
}

func (p Partition) String() string {
	fs := "no ext file system"
	if p.Ext {
		fs = fmt.Sprintf("ext, label %q", p.Label)
	}
	return fmt.Sprintf("%s partition %d at byte %d (%s)", p.Table, p.Index, p.Offset, fs)
}

// ext superblock: 1024 bytes into the file system; magic 0xEF53 at +56,
// volume name (16 bytes) at +120.
const (
	extSuperOffset = 1024
	extMagicAt     = extSuperOffset + 56
	extLabelAt     = extSuperOffset + 120
)

// FindRouterOS returns the partition of a CHR disk image that holds the ext
// file system labelled RouterOS, found by reading the partition table and
// each partition's superblock, never by a fixed offset: v7 images have it
// as partition 2 of a hybrid MBR/GPT (byte 33,571,840), 6.3x-6.46 as
// partition 2 at another offset, later 6.x as their only partition. The
// disk is checked first (CheckDisk), so a truncated image is refused.
func FindRouterOS(path string) (Partition, error) {
	if _, err := CheckDisk(path); err != nil {
		return Partition{}, fmt.Errorf("find the RouterOS partition: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return Partition{}, fmt.Errorf("find the RouterOS partition: %w", err)
	}
	defer f.Close()
	parts, err := Partitions(f, path)
	if err != nil {
		return Partition{}, err
	}
	var seen []string
	for _, p := range parts {
		if p.Ext && p.Label == RouterOSLabel {
			return p, nil
		}
		seen = append(seen, p.String())
	}
	return Partition{}, fmt.Errorf("find the RouterOS partition in %s: no partition holds an ext file system labelled %q (it has: %s); not a CHR image",
		path, RouterOSLabel, strings.Join(seen, "; "))
}

// Partitions lists the partitions of the MBR and, behind a protective or
// hybrid MBR, of the GPT, with what their superblocks say. A partition
// listed in both tables (a hybrid MBR) appears once.
func Partitions(r io.ReaderAt, name string) ([]Partition, error) {
	head := make([]byte, 2*sector)
	if _, err := r.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("read the partition table of %s: %w", name, err)
	}
	var parts []Partition
	at := map[int64]bool{}
	add := func(p Partition) {
		if at[p.Offset] {
			return
		}
		at[p.Offset] = true
		p.Index = len(parts) + 1
		readExt(r, &p)
		parts = append(parts, p)
	}
	gpt := false
	for i := range 4 {
		e := head[446+16*i : 446+16*(i+1)]
		typ := e[4]
		start := int64(binary.LittleEndian.Uint32(e[8:]))
		count := int64(binary.LittleEndian.Uint32(e[12:]))
		if typ == 0 || count == 0 {
			continue
		}
		if typ == 0xEE {
			gpt = true
			continue
		}
		add(Partition{Table: "MBR", Offset: start * sector, Size: count * sector})
	}
	if gpt || bytes.HasPrefix(head[sector:], []byte("EFI PART")) {
		hdr := head[sector:]
		if !bytes.HasPrefix(hdr, []byte("EFI PART")) {
			return nil, fmt.Errorf("read the partition table of %s: its MBR announces a GPT, but sector 1 holds no GPT header", name)
		}
		lba := int64(binary.LittleEndian.Uint64(hdr[72:]))
		num := int(binary.LittleEndian.Uint32(hdr[80:]))
		esize := int(binary.LittleEndian.Uint32(hdr[84:]))
		if esize < 128 || esize > 4096 || num == 0 || num > 1024 {
			return nil, fmt.Errorf("read the GPT of %s: its header is damaged (%d entries of %d bytes)", name, num, esize)
		}
		table := make([]byte, num*esize)
		if _, err := r.ReadAt(table, lba*sector); err != nil {
			return nil, fmt.Errorf("read the GPT entries of %s at sector %d: %w (truncated?)", name, lba, err)
		}
		for i := range num {
			e := table[i*esize:]
			if allZero(e[:16]) {
				continue
			}
			first := int64(binary.LittleEndian.Uint64(e[32:]))
			last := int64(binary.LittleEndian.Uint64(e[40:]))
			if last < first {
				return nil, fmt.Errorf("read the GPT of %s: entry %d ends (sector %d) before it starts (%d)", name, i+1, last, first)
			}
			add(Partition{Table: "GPT", Offset: first * sector, Size: (last - first + 1) * sector})
		}
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("read the partition table of %s: it lists no partition", name)
	}
	return parts, nil
}

// readExt fills in Ext and Label from the partition's superblock, if any.
func readExt(r io.ReaderAt, p *Partition) {
	if p.Size < extLabelAt+16 {
		return
	}
	var sb [extLabelAt + 16 - extMagicAt]byte
	if _, err := r.ReadAt(sb[:], p.Offset+extMagicAt); err != nil {
		return
	}
	if binary.LittleEndian.Uint16(sb[:2]) != 0xEF53 {
		return
	}
	p.Ext = true
	p.Label = string(bytes.TrimRight(sb[extLabelAt-extMagicAt:], "\x00"))
}
