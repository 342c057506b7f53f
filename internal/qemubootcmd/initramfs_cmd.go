package qemubootcmd

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/chrlab/chrlab/cmd/qemuboot/bzimage"
	"github.com/chrlab/chrlab/cmd/qemuboot/initramfs"
)

// vmlinuxMain writes the kernel ELF of the image's bzImage, which the vm
// guest boots at its PVH entry under TCG (see qemuArgs). A kernel it cannot
// take out is not an error: the guest then boots the bzImage, slower.
func vmlinuxMain(argv []string) error {
	fs := flag.NewFlagSet("vmlinux", flag.ContinueOnError)
	in := fs.String("in", "/boot/vmlinuz", "the bzImage")
	out := fs.String("out", "/boot/vmlinux", "the ELF kernel to write")
	if err := fs.Parse(argv); err != nil {
		return err
	}
	bz, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	elf, err := bzimage.Extract(bz)
	if err != nil {
		fmt.Printf("vmlinux: %s: %v; the vm guest boots the bzImage\n", *in, err)
		return nil
	}
	if err := os.WriteFile(*out, elf, 0o644); err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Printf("vmlinux %s: %d KiB from %s, PVH entry\n", *out, len(elf)/1024, *in)
	return nil
}

// guestPrograms are what the guest's rosemu runs besides nft: BIRD for
// OSPF, openvpn for OpenVPN, and for IPsec strongSwan's charon with its
// plugins (kernel-libipsec among them) and configuration, swanctl, and
// the unshare, sh and mount that start charon in a mount namespace of its
// own (rosemu/service/ipsec). libgcc_s is no DT_NEEDED of theirs, but
// glibc opens it at pthread_cancel, which swanctl and charon call: without
// it swanctl aborted in the guest ("libgcc_s.so.1 must be installed for
// pthread_cancel to work").
var guestPrograms = []string{"/usr/sbin/bird", "/usr/sbin/birdc", "/usr/sbin/openvpn",
	"/usr/lib/ipsec/charon", "/usr/lib/ipsec/plugins", "/usr/sbin/swanctl", "/etc/strongswan.conf", "/etc/strongswan.d",
	"/usr/bin/unshare", "/usr/bin/sh", "/usr/bin/mount", "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1"}

// initramfsMain builds the vm guest's initramfs; the chr image's
// Dockerfile runs it, so the archive matches the image's own kernel.
func initramfsMain(argv []string) error {
	fs := flag.NewFlagSet("initramfs", flag.ContinueOnError)
	var o initramfs.Options
	fs.StringVar(&o.Root, "root", "/", "filesystem to take the files from")
	fs.StringVar(&o.Kernel, "kernel-version", "", "kernel version under /lib/modules (default: the only one)")
	fs.StringVar(&o.Init, "init", "/usr/local/bin/vminit", "vminit, installed as /init")
	fs.StringVar(&o.Rosemu, "rosemu", "/usr/local/bin/rosemu", "rosemu")
	fs.StringVar(&o.Nft, "nft", "/usr/sbin/nft", "the nft binary")
	programs := fs.String("programs", strings.Join(guestPrograms, ","), "comma-separated `paths` of more programs rosemu runs, installed with their libraries (a directory: every file below it)")
	modules := fs.String("modules", "/etc/chrlab/vm-modules", "file naming the kernel modules to load, one a line")
	out := fs.String("out", "/boot/chrlab-vm.cpio", "the initramfs to write")
	if err := fs.Parse(argv); err != nil {
		return err
	}
	for _, p := range strings.Split(*programs, ",") {
		if p = strings.TrimSpace(p); p != "" {
			o.Programs = append(o.Programs, p)
		}
	}
	mf, err := os.Open(*modules)
	if err != nil {
		return fmt.Errorf("open the module list: %w", err)
	}
	o.Modules, err = initramfs.ReadList(mf)
	mf.Close()
	if err != nil {
		return fmt.Errorf("read the module list %s: %w", *modules, err)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	s, err := initramfs.Build(o, w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Printf("initramfs %s: kernel %s, %d modules (%s), %d libraries, %d KiB\n",
		*out, s.Kernel, len(s.Modules), strings.Join(s.Modules, " "), len(s.Libs), s.Bytes/1024)
	return nil
}
