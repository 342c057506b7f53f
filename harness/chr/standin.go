package chr

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The stand-in disk of the vm backend follows the v7 CHR layout: 128 MiB,
// partition 1 "RouterOS Boot" (ext2) at LBA 34, partition 2 "RouterOS"
// (ext3, with rw/ and the stock 2-byte rw/autorun.scr) at LBA 65570. Its
// table is a plain MBR (v7 images add a GPT); the guest kernel reads it.
const (
	standinSize   = 128 << 20
	standinBoot   = 34
	standinRoot   = 65570
	standinRecipe = "v7 layout, MBR, ext2 RouterOS Boot + ext3 RouterOS with rw/autorun.scr; 1"
)

// StandinName is the stand-in disk's file name in the cache.
func StandinName() string {
	return "standin-" + shortHash(standinRecipe) + ".img"
}

// MakeStandin returns the stand-in disk in dir, making it once with
// mke2fs run through tool (in the chr image). It holds no kernel: the vm
// guest boots the Debian kernel and only mounts this disk, as RouterOS
// mounts its own, to run rw/autorun.scr.
func MakeStandin(ctx context.Context, dir string, tool Tool) (string, error) {
	out := filepath.Join(dir, StandinName())
	if _, err := FindRouterOS(out); err == nil {
		return out, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("make the stand-in CHR disk: %w", err)
	}
	work, err := os.MkdirTemp(dir, "standin-*")
	if err != nil {
		return "", fmt.Errorf("make the stand-in CHR disk: %w", err)
	}
	defer os.RemoveAll(work)
	rel := filepath.Base(work)
	if err := os.MkdirAll(filepath.Join(work, "root", "rw"), 0o755); err != nil {
		return "", err
	}
	// The stock file is two bytes; RouterOS runs and empties it on the
	// first boot.
	if err := os.WriteFile(filepath.Join(work, "root", "rw", "autorun.scr"), []byte("\n\n"), 0o644); err != nil {
		return "", err
	}
	disk := filepath.Join(work, "disk.img")
	bootCount := int64(standinRoot - standinBoot)
	rootCount := int64(standinSize/sector - standinRoot)
	if err := writeMBRDisk(disk, standinSize, [][2]int64{{standinBoot, bootCount}, {standinRoot, rootCount}}); err != nil {
		return "", fmt.Errorf("make the stand-in CHR disk: %w", err)
	}
	img := rel + "/disk.img"
	for _, args := range [][]string{
		{"mke2fs", "-F", "-q", "-t", "ext2", "-L", "RouterOS Boot", "-E", fmt.Sprintf("offset=%d", standinBoot*sector), img, fmt.Sprintf("%dk", bootCount/2)},
		{"mke2fs", "-F", "-q", "-t", "ext3", "-L", RouterOSLabel, "-d", rel + "/root", "-E", fmt.Sprintf("offset=%d", standinRoot*sector), img, fmt.Sprintf("%dk", rootCount/2)},
	} {
		if o, err := tool(ctx, dir, args); err != nil {
			return "", fmt.Errorf("make the stand-in CHR disk: %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(o)))
		}
	}
	if _, err := FindRouterOS(disk); err != nil {
		return "", fmt.Errorf("make the stand-in CHR disk: %w", err)
	}
	if err := os.Rename(disk, out); err != nil {
		return "", fmt.Errorf("make the stand-in CHR disk: %w", err)
	}
	return out, nil
}

// writeMBRDisk writes a sparse disk of size bytes whose MBR lists the
// partitions (start sector, sector count) as Linux partitions.
func writeMBRDisk(path string, size int64, parts [][2]int64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := f.Truncate(size); err != nil {
		return err
	}
	mbr := make([]byte, sector)
	mbr[510], mbr[511] = 0x55, 0xAA
	for i, p := range parts {
		e := mbr[446+16*i:]
		e[4] = 0x83
		binary.LittleEndian.PutUint32(e[8:], uint32(p[0]))
		binary.LittleEndian.PutUint32(e[12:], uint32(p[1]))
	}
	_, err = f.WriteAt(mbr, 0)
	return err
}
