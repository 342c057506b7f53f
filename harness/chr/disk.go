package chr

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

const sector = 512

// foreign names file formats that people hand over by mistake instead of
// a raw image, by their leading bytes, so the refusal can say what to do.
var foreign = []struct {
	magic []byte
	what  string
}{
	{[]byte("PK\x03\x04"), "a zip archive, not the image inside it: unzip it, or put it into the cache as chr-<version>.img.zip"},
	{[]byte("QFI\xfb"), "a qcow2 image; chrlab boots the raw .img (qemu-img convert -O raw)"},
	{[]byte("KDMV"), "a VMDK image; chrlab boots the raw .img (qemu-img convert -O raw)"},
	{[]byte("vhdxfile"), "a VHDX image; chrlab boots the raw .img (qemu-img convert -O raw)"},
	{[]byte("conectix"), "a VHD image; chrlab boots the raw .img (qemu-img convert -O raw)"},
}

// CheckDisk verifies that path is a plausible raw disk image, as MikroTik's
// chr-<version>.img is: whole 512-byte sectors, an MBR boot signature, and
// every partition of its MBR (or of the GPT behind a protective MBR) lying
// inside the file. A download cut short fails the last test, which a size
// check alone would not catch. It returns the file's size.
func CheckDisk(path string) (int64, error) { return checkDisk(path, path) }

// checkDisk checks the file at path and names it name in errors, so that
// a temporary file is reported as what it will become.
func checkDisk(path, name string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("open disk image: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("stat disk image %s: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("check disk image %s: not a regular file", name)
	}
	size := st.Size()
	head := make([]byte, 2*sector)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, fmt.Errorf("read disk image %s: %w", name, err)
	}
	for _, fm := range foreign {
		if bytes.HasPrefix(head[:n], fm.magic) {
			return 0, fmt.Errorf("check disk image %s: it is %s", name, fm.what)
		}
	}
	if size < 2*sector {
		return 0, fmt.Errorf("check disk image %s: %d bytes is too small for a disk image (truncated?)", name, size)
	}
	if size%sector != 0 {
		return 0, fmt.Errorf("check disk image %s: %d bytes is not a whole number of 512-byte sectors (truncated?)", name, size)
	}
	if head[510] != 0x55 || head[511] != 0xAA {
		return 0, fmt.Errorf("check disk image %s: no MBR boot signature (55 AA at byte 510); not a raw disk image", name)
	}
	var end uint64 // first sector after the last partition
	parts := 0
	for i := range 4 {
		e := head[446+16*i : 446+16*(i+1)]
		typ := e[4]
		start := uint64(binary.LittleEndian.Uint32(e[8:]))
		count := uint64(binary.LittleEndian.Uint32(e[12:]))
		if typ == 0 || count == 0 {
			continue
		}
		parts++
		if typ == 0xEE {
			// A protective MBR: the partitions are in the GPT.
			gend, err := gptEnd(f, head[sector:], name)
			if err != nil {
				return 0, err
			}
			end = max(end, gend)
			continue
		}
		end = max(end, start+count)
	}
	if parts == 0 {
		return 0, fmt.Errorf("check disk image %s: its partition table is empty; not a bootable disk image", name)
	}
	if need := end * sector; uint64(size) < need {
		return 0, fmt.Errorf("check disk image %s: it has %d bytes but its partitions reach byte %d; the file is truncated", name, size, need)
	}
	return size, nil
}

// gptEnd reads the GPT whose header is hdr (sector 1) and returns the
// first sector after its last partition.
func gptEnd(f io.ReaderAt, hdr []byte, path string) (uint64, error) {
	if !bytes.HasPrefix(hdr, []byte("EFI PART")) {
		return 0, fmt.Errorf("check disk image %s: its MBR announces a GPT, but sector 1 holds no GPT header", path)
	}
	lba := binary.LittleEndian.Uint64(hdr[72:])
	num := binary.LittleEndian.Uint32(hdr[80:])
	esize := binary.LittleEndian.Uint32(hdr[84:])
	if esize < 128 || esize > 4096 || num == 0 || num > 1024 {
		return 0, fmt.Errorf("check disk image %s: its GPT header is damaged (%d entries of %d bytes)", path, num, esize)
	}
	table := make([]byte, int(num)*int(esize))
	if _, err := f.ReadAt(table, int64(lba)*sector); err != nil {
		return 0, fmt.Errorf("check disk image %s: read the GPT partition entries at sector %d: %w (truncated?)", path, lba, err)
	}
	end := lba + uint64(len(table)+sector-1)/sector
	for i := range int(num) {
		e := table[i*int(esize):]
		if allZero(e[:16]) { // no partition type: an unused entry
			continue
		}
		last := binary.LittleEndian.Uint64(e[40:])
		end = max(end, last+1)
	}
	return end, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
