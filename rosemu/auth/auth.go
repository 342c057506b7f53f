// Package auth holds what the router's management services (API and SSH)
// share about who may log in.
package auth

import "net"

// Func reports whether user may log in with password.
type Func func(user, password string) bool

// Default admits what a freshly installed RouterOS admits: the user admin
// with an empty password.
func Default(user, password string) bool {
	return user == "admin" && password == ""
}

// FromFunc reports whether user may log in with password from remote, the
// peer of the connection; it lets the router check /user address= and the
// service's policy.
type FromFunc func(user, password string, remote net.Addr) bool
