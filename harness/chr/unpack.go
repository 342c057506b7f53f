package chr

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxImage bounds what an entry may unpack to: CHR images are 64 MiB (6.x)
// to 128 MiB (7.x), so anything near this is not one and would only fill
// the disk.
const maxImage = 4 << 30

// imageEntry finds the disk image inside a CHR zip: chr-<version>.img as
// MikroTik names it, else the only .img entry. The entry's name is never
// used as a path, so a hostile name cannot write outside the cache.
func imageEntry(zr *zip.Reader, version string) (*zip.File, error) {
	var imgs []*zip.File
	for _, f := range zr.File {
		if f.Name == ImageName(version) {
			return f, nil
		}
		if strings.HasSuffix(f.Name, ".img") && !f.FileInfo().IsDir() {
			imgs = append(imgs, f)
		}
	}
	if len(imgs) == 1 {
		return imgs[0], nil
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return nil, fmt.Errorf("find %s in the archive: it holds %d .img files (%s)", ImageName(version), len(imgs), strings.Join(names, ", "))
}

// unpack extracts the image of zipPath into dst atomically: into a
// temporary file beside dst, checked by the zip's CRC-32 (archive/zip
// verifies it at the end of the entry) and by CheckDisk, then renamed. A
// failure leaves no dst behind, so a half-written image is never reused.
// Errors call the archive name (the URL of a download, which is what
// the user knows, rather than its temporary file) and end with advice.
func unpack(zipPath, name, advice, version, dst string) (int64, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return 0, fmt.Errorf("open CHR archive %s: %w; %s", name, err, advice)
	}
	defer zr.Close()
	entry, err := imageEntry(&zr.Reader, version)
	if err != nil {
		return 0, fmt.Errorf("unpack %s: %w", name, err)
	}
	if entry.UncompressedSize64 > maxImage {
		return 0, fmt.Errorf("unpack %s: %s would be %d bytes, far more than any CHR image", name, entry.Name, entry.UncompressedSize64)
	}
	src, err := entry.Open()
	if err != nil {
		return 0, fmt.Errorf("unpack %s from %s: %w", entry.Name, name, err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".part-*")
	if err != nil {
		return 0, fmt.Errorf("create CHR image in the cache: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, io.LimitReader(src, maxImage+1))
	if err != nil {
		if errors.Is(err, zip.ErrChecksum) {
			return 0, fmt.Errorf("unpack %s from %s: the CRC-32 does not match, the archive is corrupt; %s", entry.Name, name, advice)
		}
		return 0, fmt.Errorf("unpack %s from %s: %w; %s", entry.Name, name, err, advice)
	}
	if uint64(n) != entry.UncompressedSize64 {
		return 0, fmt.Errorf("unpack %s from %s: got %d bytes, the archive announces %d", entry.Name, name, n, entry.UncompressedSize64)
	}
	if err := tmp.Sync(); err != nil {
		return 0, fmt.Errorf("write CHR image %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("write CHR image %s: %w", tmp.Name(), err)
	}
	if _, err := checkDisk(tmp.Name(), entry.Name+" in "+name); err != nil {
		return 0, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return 0, fmt.Errorf("unpack CHR image: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return 0, fmt.Errorf("move CHR image into the cache: %w", err)
	}
	ok = true
	return n, nil
}

// fileSHA256 hashes a file.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hash CHR archive: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash CHR archive %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
