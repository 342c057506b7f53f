package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// ftpHelperNotes notes a forward to an FTP server (tcp, the server's port
// one of the ftp helper's, 21 by default) while the export turns the ftp
// helper off (/ip firewall service-port set ftp disabled=yes). The
// control connection passes the dst-nat as any other, so a probe of the
// port says the forward works; but the server's PASV answer names its
// private address, which only the helper rewrites to the public one and
// expects the data connection for (the NAT helpers RouterOS keeps for
// protocols that carry addresses in their payload, /ip firewall
// service-port; the forum's "FTP logs in, then the listing times out"). Not
// probed: rosemu loads the helpers, but the check's lab has no FTP server,
// so this is read from the export.
func (p *Plan) ftpHelperNotes(f *export.File, keep func(*export.Command) bool) {
	ports, off, line := "21", false, 0
	for _, c := range f.Commands {
		if !keep(c) || c.MenuPath() != "ip firewall service-port" || c.Verb != "set" {
			continue
		}
		name, ok := c.FindArg("name")
		if !ok {
			name = strings.Trim(strings.TrimSpace(c.Target), `"`)
		}
		if name != "ftp" {
			continue
		}
		if v, ok := c.Get("ports"); ok && v != "" {
			ports = v
		}
		if v, ok := c.Get("disabled"); ok {
			off, line = v == "yes", c.Line
		}
	}
	if !off {
		return
	}
	for _, fw := range p.Forwards {
		if fw.Protocol != "tcp" {
			continue
		}
		server := fw.ToPort
		if server == 0 {
			server = fw.DstPort
		}
		if !inPorts(ports, server) {
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d forwards FTP (tcp %d to %s:%d) while line %d turns the ftp helper off: logging in works, but passive transfers and listings fail, since the server's PASV answer names its private address %s and nothing rewrites it or opens the data port; not probed (the lab loads no helpers). Turn the helper back on (/ip firewall service-port set ftp disabled=no), or have the server announce the public address and forward its passive port range too",
			fw.Line, fw.DstPort, fw.ToAddr, server, line, fw.ToAddr))
	}
}
