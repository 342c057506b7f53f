// Package version holds the RouterOS version rosemu emulates by default,
// and reads the version an export names in its header. It
// is a leaf package so that the harness can name the version without
// linking the emulator's engine.
package version

// Default is the RouterOS version rosemu emulates unless told otherwise.
const Default = "7.16.2"

// LastV6 is the RouterOS 6 version rosemu runs for a RouterOS 6 export
// older than the versions it emulates, and for one whose version is
// inferred: the long-term line's last release.
const LastV6 = "6.49.18"

// Old6 is the RouterOS 6 version a configuration without a version in its
// header is also checked as when it fits RouterOS 6 but LastV6 refuses some
// of it: the last 6.40 release, before 6.41 replaced the MAC server's and
// neighbor discovery's per-interface entries with interface lists
// ("/ip neighbor discovery set ether3 discover=no", "/tool mac-server add
// interface=ether2"), which 6.41 and later refuse.
const Old6 = "6.40.9"

// Newer7 is the RouterOS 7 version a configuration without a version in
// its header is also checked as when Default refuses some of its lines: the
// newest release whose changes the model follows (7.17's list of OpenVPN
// servers, 7.20's dhcp-client name=, 7.21's /app, 7.22's services). A
// forum post of 2025 pasted without its header is written for it.
const Newer7 = "7.22.1"
