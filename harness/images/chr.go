package images

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Go packages built into the chr image.
const (
	QemubootPackage = "./cmd/qemuboot"
	VMInitPackage   = "./cmd/vminit"
)

// chrRecipe names how ensureChrBase builds its rootfs; it is part of the
// tag, so changing the pruning rebuilds the image.
const chrRecipe = "debootstrap --variant=minbase; clean apt caches; prune modules, initrd, docs; v1"

// keepModuleDirs are the parts of the kernel's module tree the chr image
// keeps: everything the vm guest's initramfs may draw on (netfilter,
// virtio, crypto and library helpers; the IDE disk and ext4 for the
// stand-in CHR disk). The rest (sound, GPU, other file systems, wireless)
// is two thirds of the rootfs and never loaded.
var keepModuleDirs = []string{"kernel/net/", "kernel/lib/", "kernel/crypto/", "kernel/arch/", "kernel/drivers/virtio/", "kernel/drivers/char/hw_random/",
	"kernel/drivers/ata/", "kernel/drivers/scsi/", "kernel/block/", "kernel/fs/ext4/", "kernel/fs/jbd2/", "kernel/fs/mbcache.ko",
	// /interface vxlan is the kernel's vxlan link (rosemu/kernel/vxlan.go).
	"kernel/drivers/net/vxlan/"}

// ensureChr returns the tag of the chr image, building what is missing:
// its Debian rootfs (QEMU, the kernel) with debootstrap, then the image
// with qemuboot, vminit and rosemu and the vm guest's initramfs.
func (b *builder) ensureChr(ctx context.Context) (string, error) {
	base, err := b.ensureChrBase(ctx)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(b.opts.Root, "images", "chr")
	dockerfile, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		return "", fmt.Errorf("read the chr Dockerfile: %w", err)
	}
	modules, err := os.ReadFile(filepath.Join(dir, "modules"))
	if err != nil {
		return "", fmt.Errorf("read the vm guest's module list: %w", err)
	}
	files := []contextFile{{name: "Dockerfile", data: dockerfile, mode: 0o644}, {name: "modules", data: modules, mode: 0o644}}
	parts := [][]byte{[]byte(base), dockerfile, modules}
	for _, bin := range []struct{ name, pkg string }{{"qemuboot", QemubootPackage}, {"vminit", VMInitPackage}, {"rosemu", b.opts.RosemuPackage}} {
		data, err := b.binary(ctx, bin.pkg, bin.name)
		if err != nil {
			return "", err
		}
		files = append(files, contextFile{name: bin.name, data: data, mode: 0o755})
		parts = append(parts, data)
	}
	tag := tagFor("chr", parts...)
	ok, err := b.exists(ctx, tag)
	if err != nil {
		return "", err
	}
	if ok {
		b.logf("chr %s present", tag)
		return tag, nil
	}
	start := time.Now()
	b.logf("building chr %s from %s (assembles the vm guest's initramfs)", tag, base)
	if err := b.build(ctx, tag, files, map[string]*string{"BASE": ptr(base)}); err != nil {
		return "", err
	}
	b.logf("chr %s built in %.1fs", tag, time.Since(start).Seconds())
	return tag, nil
}

// ensureChrBase returns the tag of the chr image's rootfs, building it with
// debootstrap when missing. It is built apart from the lab base so that
// labs without a QEMU router never download QEMU and a kernel.
func (b *builder) ensureChrBase(ctx context.Context) (string, error) {
	pkgFile := filepath.Join(b.opts.Root, "images", "chr", "packages")
	pkgs, err := readPackages(pkgFile)
	if err != nil {
		return "", err
	}
	tag := tagFor("chr-base", []byte(Suite), []byte(strings.Join(pkgs, " ")), []byte(chrRecipe), []byte(strings.Join(keepModuleDirs, " ")))
	ok, err := b.exists(ctx, tag)
	if err != nil {
		return "", err
	}
	if ok {
		b.logf("chr-base %s present", tag)
		return tag, nil
	}
	start := time.Now()
	if err := b.debootstrapChr(ctx, tag, pkgs); err != nil {
		return "", err
	}
	b.logf("chr-base %s built in %.1fs", tag, time.Since(start).Seconds())
	return tag, nil
}

// debootstrapChr is debootstrapBase plus pruning: the kernel package
// brings 400 MB of modules and an initrd that the image never uses.
func (b *builder) debootstrapChr(ctx context.Context, tag string, pkgs []string) (err error) {
	bin, err := findDebootstrap()
	if err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return errors.New("build the chr image with debootstrap: it must run as root")
	}
	mirror := b.opts.Mirror
	if mirror == "" {
		if mirror, err = aptMirror("/etc/apt"); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "chrlab-chr-rootfs-")
	if err != nil {
		return fmt.Errorf("create a directory for the chr rootfs: %w", err)
	}
	defer func() {
		if rerr := removeRootfs(dir); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	root := filepath.Join(dir, "root")
	args := []string{"--variant=minbase", "--include=" + strings.Join(pkgs, ","), Suite, root, mirror}
	b.logf("debootstrap %s (about 80 s: QEMU and a kernel)", strings.Join(args, " "))
	if err := b.runPhased(ctx, bin, args); err != nil {
		return err
	}
	if err := pruneChrRootfs(root); err != nil {
		return err
	}
	b.logf("importing the chr rootfs as %s", tag)
	return b.importDir(ctx, root, tag)
}

// pruneChrRootfs removes what the chr image never uses: apt caches, the
// initrd initramfs-tools made (the vm guest has its own), documentation,
// locales, and kernel modules outside keepModuleDirs.
func pruneChrRootfs(root string) error {
	for _, glob := range []string{"var/cache/apt/archives/*.deb", "var/cache/apt/*.bin", "var/lib/apt/lists/*_*", "boot/initrd.img*"} {
		matches, _ := filepath.Glob(filepath.Join(root, glob))
		for _, m := range matches {
			_ = os.Remove(m)
		}
	}
	for _, d := range []string{"usr/share/doc", "usr/share/man", "usr/share/locale", "usr/share/info"} {
		if err := os.RemoveAll(filepath.Join(root, d)); err != nil {
			return fmt.Errorf("prune %s from the chr rootfs: %w", d, err)
		}
	}
	kernels, _ := filepath.Glob(filepath.Join(root, "usr/lib/modules/*"))
	for _, k := range kernels {
		err := filepath.WalkDir(k, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(k, p)
			if !strings.HasPrefix(rel, "kernel/") || keepModule(rel) {
				return nil
			}
			return os.Remove(p)
		})
		if err != nil {
			return fmt.Errorf("prune kernel modules in %s: %w", k, err)
		}
	}
	return nil
}

// keepModule reports whether a module file (relative to the kernel's
// module folder) stays in the image: the kept folders, and the NIC drivers
// directly in drivers/net (virtio_net and its failover helpers) but not
// the hardware drivers below it.
func keepModule(rel string) bool {
	for _, d := range keepModuleDirs {
		if strings.HasPrefix(rel, d) {
			return true
		}
	}
	return filepath.Dir(rel) == "kernel/drivers/net"
}
