// Package chr finds the disk image of a RouterOS Cloud Hosted Router for
// a version: a local file the user names (CHR_IMAGE), an image already in
// the cache, or MikroTik's chr-<version>.img.zip, downloaded with a
// progress bar, verified and unpacked into the cache. It also reads the
// CHR licence, which decides whether throughput numbers mean anything.
//
// The package boots nothing; the chr router backend hands the image it
// returns to QEMU.
package chr

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/chrlab/chrlab/harness/scenario"
)

// DefaultBaseURL is where MikroTik publishes its releases: the image of
// version V is DefaultBaseURL/V/chr-V.img.zip.
const DefaultBaseURL = "https://download.mikrotik.com/routeros"

// Options says which image to find and where to keep it.
type Options struct {
	// Version is the RouterOS version, such as 7.16.2 (ROUTEROS). It may
	// be empty only when Image is set.
	Version string
	// Image is a local raw disk image to use as it is (CHR_IMAGE).
	Image string
	// CacheDir holds chr-<version>.img; empty means DefaultCacheDir.
	CacheDir string
	// Progress receives the download's progress bar; nil discards it.
	Progress io.Writer
	// BaseURL replaces DefaultBaseURL (a mirror, or a test server).
	BaseURL string
	// SHA256 pins the zip's SHA-256 (hex), as the checksum shown on
	// MikroTik's download page. Empty means: check against the file
	// chr-<version>.img.zip.sha256 in the cache when a user put one there,
	// and otherwise rely on the zip's own CRC-32.
	SHA256 string
	// Client replaces the HTTP client; nil means one with short connect
	// timeouts so that an offline machine fails within seconds.
	Client *http.Client
}

// Source says where an image came from.
type Source string

// The places an image comes from.
const (
	FromFile     Source = "CHR_IMAGE"  // the user's own file
	FromCache    Source = "cache"      // chr-<version>.img unpacked earlier
	FromCacheZip Source = "cached zip" // chr-<version>.img.zip the user put in the cache
	FromDownload Source = "download"   // fetched from BaseURL in this call
)

// Image is a raw CHR disk image ready to boot.
type Image struct {
	Path    string
	Version string // as asked for; empty for a CHR_IMAGE given without a version
	Source  Source
	Size    int64
	// ZipSHA256 is the SHA-256 of the zip unpacked in this call (empty when
	// none was), to compare with the checksum on MikroTik's download page.
	ZipSHA256 string
}

// String describes the image for the report's first lines.
func (im Image) String() string {
	v := im.Version
	if v == "" {
		v = "of unknown version"
	}
	return fmt.Sprintf("CHR %s from %s (%s)", v, im.Source, im.Path)
}

// DefaultCacheDir is ~/.cache/chrlab, or $XDG_CACHE_HOME/chrlab.
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user's cache folder for CHR images: %w", err)
	}
	return filepath.Join(d, "chrlab"), nil
}

// ImageName is the file name of version's image in the cache.
func ImageName(version string) string { return "chr-" + version + ".img" }

// ZipName is the file name MikroTik publishes version's image under.
func ZipName(version string) string { return ImageName(version) + ".zip" }

// URL is where version's zip is downloaded from; base "" means
// DefaultBaseURL.
func URL(base, version string) string {
	if base == "" {
		base = DefaultBaseURL
	}
	return strings.TrimRight(base, "/") + "/" + version + "/" + ZipName(version)
}

// CheckVersion accepts the RouterOS versions MikroTik publishes CHR images
// for that chrlab supports: 6.49 and its patches (the last 6.x line), and
// 7.x or later, with optional beta or rc tags. The version becomes part of
// a URL and a file name, so only the canonical form passes: no spaces,
// slashes, leading zeros or channel suffix.
func CheckVersion(version string) error {
	v, err := scenario.ParseVersion(version)
	if err != nil {
		return fmt.Errorf("check CHR version: %w (such as 6.49.13 or 7.16.2)", err)
	}
	if v.String() != version {
		return fmt.Errorf("check CHR version %q: write it as MikroTik names the release (%s)", version, v)
	}
	if v.Major < 6 || v.Major == 6 && v.Minor != 49 {
		return fmt.Errorf("check CHR version %s: chrlab supports CHR 6.49.x and 7.x or later", version)
	}
	return nil
}

// Resolve returns a bootable image: Options.Image when set, else the
// cached chr-<version>.img, else a cached chr-<version>.img.zip unpacked,
// else the zip downloaded from BaseURL, verified and unpacked into the
// cache. Every image is checked to be a whole raw disk image before it is
// returned; a truncated or foreign file is refused with its path.
func Resolve(ctx context.Context, o Options) (Image, error) {
	if o.Version != "" {
		if err := CheckVersion(o.Version); err != nil {
			return Image{}, err
		}
	}
	if o.Image != "" {
		size, err := CheckDisk(o.Image)
		if err != nil {
			return Image{}, fmt.Errorf("use CHR_IMAGE: %w", err)
		}
		return Image{Path: o.Image, Version: o.Version, Source: FromFile, Size: size}, nil
	}
	if o.Version == "" {
		return Image{}, errors.New("resolve CHR image: no RouterOS version; set ROUTEROS=<version> (such as 7.16.2) or CHR_IMAGE=<file>")
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.CacheDir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			return Image{}, err
		}
		o.CacheDir = d
	}
	img := filepath.Join(o.CacheDir, ImageName(o.Version))
	if _, err := os.Stat(img); err == nil {
		size, err := CheckDisk(img)
		if err != nil {
			return Image{}, fmt.Errorf("use cached CHR image: %w; delete it to download it again", err)
		}
		return Image{Path: img, Version: o.Version, Source: FromCache, Size: size}, nil
	}
	if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
		return Image{}, fmt.Errorf("create CHR image cache: %w", err)
	}
	want, err := wantSHA256(o)
	if err != nil {
		return Image{}, err
	}
	if zipPath := filepath.Join(o.CacheDir, ZipName(o.Version)); exists(zipPath) {
		sum, err := fileSHA256(zipPath)
		if err != nil {
			return Image{}, err
		}
		if err := checkSum(zipPath, sum, want); err != nil {
			return Image{}, err
		}
		size, err := unpack(zipPath, zipPath, "delete it and try again", o.Version, img)
		if err != nil {
			return Image{}, err
		}
		fmt.Fprintf(o.Progress, "unpacked %s into %s\n", zipPath, img)
		return Image{Path: img, Version: o.Version, Source: FromCacheZip, Size: size, ZipSHA256: sum}, nil
	}
	return download(ctx, o, img, want)
}

// Available reports whether version's image is at hand in cacheDir without
// a download: an unpacked image that passes CheckDisk, or a zip that holds
// one. ROUTER=auto uses it to choose CHR over the emulator. cacheDir ""
// means DefaultCacheDir.
func Available(version, cacheDir string) bool {
	if CheckVersion(version) != nil {
		return false
	}
	if cacheDir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			return false
		}
		cacheDir = d
	}
	if _, err := CheckDisk(filepath.Join(cacheDir, ImageName(version))); err == nil {
		return true
	}
	zr, err := zip.OpenReader(filepath.Join(cacheDir, ZipName(version)))
	if err != nil {
		return false
	}
	defer zr.Close()
	_, err = imageEntry(&zr.Reader, version)
	return err == nil
}

// wantSHA256 is the checksum the zip must have: Options.SHA256, or the
// first word of a chr-<version>.img.zip.sha256 file in the cache (the
// format of sha256sum), or none.
func wantSHA256(o Options) (string, error) {
	if o.SHA256 != "" {
		return normSHA256(o.SHA256, "the SHA256 option")
	}
	side := filepath.Join(o.CacheDir, ZipName(o.Version)+".sha256")
	b, err := os.ReadFile(side)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read CHR checksum file: %w", err)
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return "", fmt.Errorf("read CHR checksum file %s: it is empty", side)
	}
	return normSHA256(fields[0], side)
}

func normSHA256(s, from string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) != 64 || strings.Trim(s, "0123456789abcdef") != "" {
		return "", fmt.Errorf("read CHR checksum from %s: %q is not a SHA-256 in hex", from, s)
	}
	return s, nil
}

func checkSum(path, got, want string) error {
	if want != "" && got != want {
		return fmt.Errorf("verify %s: its SHA-256 is %s, but %s was expected; the file is damaged or not the release", path, got, want)
	}
	return nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
