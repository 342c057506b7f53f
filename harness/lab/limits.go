package lab

import "github.com/moby/moby/api/types/container"

// Every container of a lab runs with a memory and a process limit, so a
// configuration or probe that runs away (a script that loops forever, a
// fork storm in a host) is stopped by the kernel inside its container
// instead of taking the machine, and other labs on it, down.
const (
	// HostMemoryMiB and HostPids bound a lab host (labagent, its probes,
	// dnsmasq, iperf3): a few tens of MiB in use, so 256 MiB is ample.
	HostMemoryMiB = 256
	HostPids      = 512
	// RouterMemoryMiB bounds rosemu: its model and nftables ruleset stay
	// well under 100 MiB even with 50,000 address-list entries.
	RouterMemoryMiB = 512
	RouterPids      = 1024
	// QEMUOverheadMiB is what a QEMU router's container needs beside the
	// guest's memory: QEMU itself, its device emulation, the relays, and
	// under TCG its translation cache (capped at 256 MiB by qemuboot).
	// 256 left a long TCG run of a 15-port export killed by the limit
	// (QEMU at 896 MiB of anonymous memory for a guest of 624 MiB).
	QEMUOverheadMiB = 512
)

// limit sets the container's memory (without swap on top) and process
// limits.
func limit(hc *container.HostConfig, memoryMiB int, pids int64) {
	if memoryMiB <= 0 {
		return
	}
	hc.Resources.Memory = int64(memoryMiB) << 20
	hc.Resources.MemorySwap = hc.Resources.Memory
	hc.Resources.PidsLimit = &pids
}

// qemuContainerMemory is a QEMU router container's limit: the guest's
// memory plus QEMU's overhead. A guest without a stated size gets
// qemuboot's default, MikroTik's guidance, which stays under 1 GiB for
// any lab of a handful of ports.
func qemuContainerMemory(guestMiB int) int {
	if guestMiB <= 0 {
		guestMiB = 1024
	}
	return guestMiB + QEMUOverheadMiB
}
