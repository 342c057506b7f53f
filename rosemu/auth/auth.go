// Package auth holds what the router's management services (API and SSH)
// share about who may log in.
package auth

// Func reports whether user may log in with password.
type Func func(user, password string) bool

// Default admits what a freshly installed RouterOS admits: the user admin
// with an empty password.
func Default(user, password string) bool {
	return user == "admin" && password == ""
}
