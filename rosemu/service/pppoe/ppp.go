package pppoe

import "github.com/chrlab/chrlab/rosemu/service/ppp"

// The PPP a session carries is package ppp's; these names keep the
// PPPoE client's and server's callers as they were.
type (
	Conn     = ppp.Conn
	Auth     = ppp.Auth
	Verifier = ppp.Verifier
)

// Authentication protocols.
const (
	PAP      = ppp.PAP
	CHAP     = ppp.CHAP
	MSCHAPv1 = ppp.MSCHAPv1
	MSCHAPv2 = ppp.MSCHAPv2
)

// Errors that end a session, as package ppp gives them.
var (
	ErrAuth         = ppp.ErrAuth
	ErrNoCommonAuth = ppp.ErrNoCommonAuth
	ErrPeerAuth     = ppp.ErrPeerAuth
	ErrClosed       = ppp.ErrClosed
	ErrTerminated   = ppp.ErrTerminated
	ErrKeepalive    = ppp.ErrKeepalive
	ErrNegotiate    = ppp.ErrNegotiate
)

// AuthAll is every protocol, strongest first.
var AuthAll = ppp.AuthAll

// ParseAuth reads a RouterOS list of authentication protocols.
func ParseAuth(list string) ([]Auth, error) { return ppp.ParseAuth(list) }
