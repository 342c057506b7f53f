// Package version holds the RouterOS version rosemu emulates by default,
// and reads the version an export names in its header. It
// is a leaf package so that the harness can name the version without
// linking the emulator's engine.
package version

// Default is the RouterOS version rosemu emulates unless told otherwise.
const Default = "7.16.2"
