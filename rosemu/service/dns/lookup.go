package dns

import "time"

// SetUpstreamPort makes the resolver ask its servers on port instead of 53:
// for tests and labs whose stand-in servers listen on a loopback port that
// needs no privileges. Call it before the service answers its first query.
func (s *Server) SetUpstreamPort(port int) { s.upstream = port }

// SetClock replaces time.Now for the cache, so that a test can let cached
// answers expire without waiting. Call it before the first query.
func (s *Server) SetClock(now func() time.Time) { s.clock = now }
