package main

// exitWarnings is check's exit code when no forward or path is broken but
// warnings stand (an open resolver, WinBox open to the internet, a
// failover that does not carry the LAN): 0 read as an all-clear in a
// pipeline (chk53), and 1 is kept for a broken path, so that a CI job can
// tell the two apart and accept warnings on purpose (`|| [ $? -eq 4 ]`).
// 2 and 3 keep their meaning (bad input, no lab) for every command.
const exitWarnings = 4

// exitWarned is code, or exitWarnings when code is 0 and n warnings
// stand.
func exitWarned(code, n int) int {
	if code == 0 && n > 0 {
		return exitWarnings
	}
	return code
}
