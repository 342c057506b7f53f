package qemubootcmd

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/cmd/qemuboot/guest"
)

// Guest kinds qemuboot boots.
const (
	GuestVM  = "vm"  // the Debian kernel and the rosemu initramfs
	GuestCHR = "chr" // a RouterOS CHR raw disk image
)

// Memory follows MikroTik's CHR guidance for RouterOS v7 (help.mikrotik.com,
// Cloud Hosted Router): 512 MiB + 8 MiB x CPUs x (interfaces - 1). The vm
// guest needs about 60 MiB but gets the same, so that both exercise the
// same machine. --memory overrides it.
func memoryFor(cpus, nics int) int { return 512 + 8*cpus*max(nics-1, 0) }

// cpus is the guest's CPU count.
const cpus = 1

// Inside the container QEMU's forwards listen on loopback, and qemuboot
// relays the management address's API and SSH ports to them: QEMU's user
// network shows a connection from loopback to the guest as coming from its
// own gateway (.2), which is on the guest's management subnet, so the guest
// answers it with no route of its own, as a freshly provisioned CHR has
// none.
const (
	fwdAPI = 18728
	fwdSSH = 10022
)

// machine is everything that decides QEMU's command line.
type machine struct {
	Guest  string
	KVM    bool
	Kernel string // vm
	// ELFKernel is the same kernel as an ELF with a PVH entry (vm, empty
	// when the image has none); QBoot is QEMU's minimal firmware (empty
	// when not installed). Both serve TCG boots only, see qemuArgs.
	ELFKernel string
	QBoot     string
	Initrd    string // vm
	Disk      string // the CHR-layout disk (both guests)
	Memory    int    // MiB
	Taps      []string
	MgmtNet   netip.Prefix // the user-mode network inside QEMU
	MgmtHost  netip.Addr   // the container's management address, where the forwards listen
	Console   string       // the console log file
	Append    string       // vm: the chrlab part of the kernel command line
	// ConsoleSocket is the unix socket QEMU serves the serial console on.
	ConsoleSocket string
	// QMPSocket is the unix socket QEMU serves QMP on (empty: none).
	QMPSocket string
	// ProvisionLine is typed on the console when the API does not answer
	// within FallbackAfter.
	ProvisionLine string
	FallbackAfter time.Duration
}

// qemuArgs returns QEMU's arguments. The NICs come in port order, then the
// management NIC, each with a fixed MAC (guest.PortMAC, guest.MgmtMAC), so
// the guest finds ether1..N by MAC and, on CHR, by PCI order as well.
func qemuArgs(m machine) []string {
	args := []string{"-name", "chrlab-" + m.Guest, "-machine", "pc", "-m", fmt.Sprint(m.Memory), "-smp", fmt.Sprint(cpus),
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"}
	if m.KVM {
		// arch-capabilities off: on nested KVM (cloud VMs, such as these
		// machines) the host kernel refuses QEMU's write of the
		// IA32_ARCH_CAPABILITIES MSR and QEMU aborts at start; the guest
		// only loses a hint about which CPU bugs it may skip mitigating.
		args = append(args, "-enable-kvm", "-cpu", "host,-arch-capabilities")
	} else {
		// The translation cache capped at 256 MiB: QEMU's own default is
		// up to 1 GiB, anonymous memory the container's limit counts, and
		// a long TCG run of a big export (a CCR2004 with 15 ports) grew
		// QEMU to 896 MiB and was killed by it (chk60's rotko-bkk50 runs).
		args = append(args, "-accel", "tcg,tb-size=256")
	}
	// The serial console is a socket qemuboot connects to: it mirrors the
	// console to its own output (docker logs) and can type on it (the
	// console dialogue); QEMU also writes it to the log file the harness
	// copies. wait=on holds the guest until qemuboot is there, so no
	// output is lost. The human monitor is off; QMP listens on a socket
	// inside the container for `qemuboot link` (link.go).
	args = append(args,
		"-chardev", "socket,id=console,path="+m.ConsoleSocket+",server=on,wait=on,logfile="+m.Console,
		"-serial", "chardev:console",
		"-monitor", "none")
	if m.QMPSocket != "" {
		args = append(args, "-qmp", "unix:"+m.QMPSocket+",server=on,wait=off")
	}
	for i, tap := range m.Taps {
		id := netdevID(i + 1)
		// romfile= skips the iPXE option ROM: nothing boots from the
		// network, and loading it costs boot time.
		args = append(args,
			"-netdev", fmt.Sprintf("tap,id=%s,ifname=%s,script=no,downscript=no", id, tap),
			"-device", fmt.Sprintf("virtio-net-pci,netdev=%s,mac=%s,romfile=", id, guest.PortMAC(i)))
	}
	guestAddr := guest.MgmtGuestAddr(m.MgmtNet).Addr()
	// restrict=on: the guest can open no connection through QEMU to the
	// container or beyond; only the two forwards below reach it, so the
	// management NIC can carry no lab traffic.
	user := fmt.Sprintf("user,id=mgmt,net=%s,host=%s,restrict=on,hostfwd=tcp:127.0.0.1:%d-%s:8728,hostfwd=tcp:127.0.0.1:%d-%s:22",
		m.MgmtNet, guest.MgmtGateway(m.MgmtNet), fwdAPI, guestAddr, fwdSSH, guestAddr)
	args = append(args, "-netdev", user, "-device", fmt.Sprintf("virtio-net-pci,netdev=mgmt,mac=%s,romfile=", guest.MgmtMAC))
	// A virtio RNG seeds the guest's entropy at once: rosemu makes its SSH
	// host key at start, and without RDRAND (TCG) the kernel's own
	// entropy takes a while.
	args = append(args, "-device", "virtio-rng-pci")
	// snapshot=on keeps every write in a temporary overlay: the image file
	// is never modified, so one cached (provisioned) image serves every
	// run, and rw/autorun.scr is there again at the next boot.
	args = append(args, "-drive", "file="+m.Disk+",format=raw,if=ide,snapshot=on")
	if m.Guest == GuestVM {
		// The vm guest boots the Debian kernel and only mounts the disk, as
		// RouterOS mounts its own.
		// cryptomgr.notests: the kernel self-tests every crypto algorithm
		// it registers (1 s of a TCG boot, and more as the crypto modules
		// load); rosemu uses none of them. mitigations=off: the guest runs
		// rosemu alone, so the CPU-bug workarounds protect nothing there
		// and cost 10-20% of an emulated CPU's time. no_timer_check: on a
		// busy host a TCG guest can miss the timer interrupts the kernel
		// counts at boot to prove the IO-APIC's timer pin, and then panics
		// ("IO-APIC + timer doesn't work!"); the emulated pin is wired
		// right, so the check can only fail spuriously (cloud images skip
		// it for the same reason).
		cmdline := strings.Join([]string{"console=ttyS0", "quiet", "panic=-1", "no_timer_check", "cryptomgr.notests", "mitigations=off", m.Append}, " ")
		kernel := m.Kernel
		if !m.KVM && m.ELFKernel != "" {
			// Under TCG the bzImage's own xz decompressor takes 3 to 4 s
			// and SeaBIOS another half second: QEMU starts the ELF kernel
			// (taken out at image build) at its PVH entry, behind qboot.
			// With KVM both take a fraction of a second, and the bzImage
			// and SeaBIOS are the path every KVM user has exercised.
			kernel = m.ELFKernel
			if m.QBoot != "" {
				args = append(args, "-bios", m.QBoot)
			}
		}
		args = append(args, "-kernel", kernel, "-initrd", m.Initrd, "-append", cmdline)
	}
	return args
}
