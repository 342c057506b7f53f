// Package guest is the contract between qemuboot, which starts the vm
// guest, and vminit, the guest's init: the kernel command line carries the
// RouterOS ports (name, MAC, subnet), the management NIC and rosemu's extra
// flags. qemuboot builds it with Config.Cmdline; vminit reads it back with
// Parse from /proc/cmdline.
package guest

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Kernel parameters of the contract. Each has a dot, which makes the kernel
// treat it as a module parameter: it stays out of init's argv and
// environment and is read from /proc/cmdline.
const (
	paramPort     = "chrlab.port"     // name,mac,subnet; repeated in port order
	paramMgmt     = "chrlab.mgmt"     // mac,address/len
	paramIdentity = "chrlab.identity" // rosemu --identity
	paramArg      = "chrlab.arg"      // one extra rosemu argument; repeated in order
)

// maxCmdline is the x86 kernel's COMMAND_LINE_SIZE: a longer command line
// is cut silently, which would drop ports or flags.
const maxCmdline = 2048

// Port is one RouterOS port of the guest.
type Port struct {
	Name   string           // ether1, ether2, ...
	MAC    net.HardwareAddr // the MAC QEMU gives its NIC
	Subnet netip.Prefix     // the lab network, for rosemu's --port
}

// Mgmt is the guest's management NIC: QEMU user-mode networking, which
// forwards the API and SSH ports from the container to Addr.
type Mgmt struct {
	MAC  net.HardwareAddr
	Addr netip.Prefix // the guest's address and subnet on the user-mode network
}

// Config is what the guest needs to become the router.
type Config struct {
	Ports    []Port
	Mgmt     Mgmt
	Identity string
	Args     []string // extra rosemu flags, passed as they are
}

// PortMAC returns the MAC of the i-th port (0-based): 52:54:00:00:00:01 for
// ether1. 52:54:00 is QEMU's prefix; fixed MACs let vminit name the NICs
// whatever order PCI enumeration gives them.
func PortMAC(i int) net.HardwareAddr {
	return net.HardwareAddr{0x52, 0x54, 0x00, 0x00, byte((i + 1) >> 8), byte(i + 1)}
}

// MgmtMAC is the MAC of the management NIC, outside the range of ports.
var MgmtMAC = net.HardwareAddr{0x52, 0x54, 0x00, 0x00, 0xff, 0xff}

// Cmdline returns the chrlab part of the kernel command line. Values may
// not contain spaces or quotes: the kernel splits on spaces, and rosemu's
// flags never need them.
func (c Config) Cmdline() (string, error) {
	var parts []string
	add := func(k, v string) error {
		if v == "" || strings.ContainsAny(v, " \t\n\"") {
			return fmt.Errorf("put %s=%q on the kernel command line: the value is empty or has a space or quote", k, v)
		}
		parts = append(parts, k+"="+v)
		return nil
	}
	for _, p := range c.Ports {
		if p.Name == "" || strings.Contains(p.Name, ",") || len(p.MAC) != 6 || !p.Subnet.IsValid() {
			return "", fmt.Errorf("put port %q on the kernel command line: want a name without commas, a MAC and a subnet, got %q %v %v", p.Name, p.Name, p.MAC, p.Subnet)
		}
		if err := add(paramPort, p.Name+","+p.MAC.String()+","+p.Subnet.Masked().String()); err != nil {
			return "", err
		}
	}
	if len(c.Mgmt.MAC) != 6 || !c.Mgmt.Addr.IsValid() {
		return "", fmt.Errorf("put the management NIC on the kernel command line: want a MAC and an address, got %v %v", c.Mgmt.MAC, c.Mgmt.Addr)
	}
	if err := add(paramMgmt, c.Mgmt.MAC.String()+","+c.Mgmt.Addr.String()); err != nil {
		return "", err
	}
	if c.Identity != "" {
		if err := add(paramIdentity, c.Identity); err != nil {
			return "", err
		}
	}
	for _, a := range c.Args {
		if err := add(paramArg, a); err != nil {
			return "", err
		}
	}
	line := strings.Join(parts, " ")
	if len(line) > maxCmdline-256 {
		// The rest of the line (console, panic) needs room too.
		return "", fmt.Errorf("build the kernel command line: %d bytes leave no room under the kernel's limit of %d", len(line), maxCmdline)
	}
	return line, nil
}

// Parse reads the chrlab parameters from a whole kernel command line,
// ignoring every other parameter.
func Parse(cmdline string) (Config, error) {
	var c Config
	var errs []error
	haveMgmt := false
	for _, f := range strings.Fields(cmdline) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case paramPort:
			p, err := parsePort(v)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			c.Ports = append(c.Ports, p)
		case paramMgmt:
			mac, addr, ok := strings.Cut(v, ",")
			hw, err := net.ParseMAC(mac)
			if !ok || err != nil || len(hw) != 6 {
				errs = append(errs, fmt.Errorf("parse %s=%s: want mac,address/len", k, v))
				continue
			}
			pfx, err := netip.ParsePrefix(addr)
			if err != nil {
				errs = append(errs, fmt.Errorf("parse %s=%s: %w", k, v, err))
				continue
			}
			c.Mgmt, haveMgmt = Mgmt{MAC: hw, Addr: pfx}, true
		case paramIdentity:
			c.Identity = v
		case paramArg:
			c.Args = append(c.Args, v)
		}
	}
	if !haveMgmt {
		errs = append(errs, fmt.Errorf("parse the kernel command line: no %s parameter", paramMgmt))
	}
	if len(c.Ports) == 0 {
		errs = append(errs, fmt.Errorf("parse the kernel command line: no %s parameter", paramPort))
	}
	seen := map[string]bool{}
	for _, p := range c.Ports {
		if seen[p.Name] {
			errs = append(errs, fmt.Errorf("parse the kernel command line: port %s given twice", p.Name))
		}
		seen[p.Name] = true
	}
	return c, errors.Join(errs...)
}

func parsePort(v string) (Port, error) {
	f := strings.Split(v, ",")
	if len(f) != 3 || f[0] == "" {
		return Port{}, fmt.Errorf("parse %s=%s: want name,mac,subnet", paramPort, v)
	}
	hw, err := net.ParseMAC(f[1])
	if err != nil || len(hw) != 6 {
		return Port{}, fmt.Errorf("parse %s=%s: bad MAC %q", paramPort, v, f[1])
	}
	pfx, err := netip.ParsePrefix(f[2])
	if err != nil {
		return Port{}, fmt.Errorf("parse %s=%s: %w", paramPort, v, err)
	}
	return Port{Name: f[0], MAC: hw, Subnet: pfx.Masked()}, nil
}

// MgmtPort is the RouterOS name of the management NIC: the port after the
// lab's, as on CHR, where it is the last NIC QEMU gives the guest.
func (c Config) MgmtPort() string { return fmt.Sprintf("ether%d", len(c.Ports)+1) }

// RosemuArgs returns rosemu's command line inside the guest: the ports by
// name (vminit has already named the NICs, and rosemu takes a link that
// bears a port's name as that port), the management NIC as a port of its
// own whose address the configuration gives (rw/autorun.scr, as on CHR),
// the autorun file when there is one, and the extra flags last so that
// they can override.
func (c Config) RosemuArgs(autorun string) []string {
	var args []string
	if c.Identity != "" {
		args = append(args, "--identity", c.Identity)
	}
	for _, p := range c.Ports {
		args = append(args, "--port", p.Name+"="+p.Subnet.String())
	}
	// --console: the serial console is a fresh CHR's login and CLI.
	args = append(args, "--mgmt-port", c.MgmtPort(), "--api", ":8728", "--ssh", ":22", "--console")
	if autorun != "" {
		args = append(args, "--autorun", autorun)
	}
	return append(args, c.Args...)
}

// MgmtCandidates are the subnets tried, in order, for the guest's
// user-mode management network. 10.0.2.0/24 is QEMU's default.
var MgmtCandidates = []netip.Prefix{
	netip.MustParsePrefix("10.0.2.0/24"),
	netip.MustParsePrefix("10.255.254.0/24"),
	netip.MustParsePrefix("172.30.254.0/24"),
	netip.MustParsePrefix("192.168.254.0/24"),
}

// PickMgmtNet returns the first candidate that overlaps none of used (the
// lab subnets and the container's management subnet). An overlap would make
// rosemu see the management address inside a port's subnet and refuse to
// start, and would make the guest route lab replies into the wrong NIC.
func PickMgmtNet(used []netip.Prefix) (netip.Prefix, error) {
	for _, c := range MgmtCandidates {
		free := true
		for _, u := range used {
			if u.Overlaps(c) {
				free = false
				break
			}
		}
		if free {
			return c, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("pick a subnet for the guest's management network: every candidate %v overlaps a lab subnet %v", MgmtCandidates, used)
}

// MgmtGuestAddr is the guest's address on a user-mode network: .15, the
// first address QEMU's built-in DHCP would hand out.
func MgmtGuestAddr(net netip.Prefix) netip.Prefix {
	a := net.Masked().Addr().As4()
	a[3] = 15
	return netip.PrefixFrom(netip.AddrFrom4(a), net.Bits())
}

// MgmtGateway is QEMU's own address on a user-mode network (.2, its
// default). The guest needs a default route through it: for a forwarded
// connection from another machine QEMU keeps the real client address as
// the source (only loopback clients appear as .2), so replies must be
// routable beyond the user-mode subnet.
func MgmtGateway(net netip.Prefix) netip.Addr {
	a := net.Masked().Addr().As4()
	a[3] = 2
	return netip.AddrFrom4(a)
}
