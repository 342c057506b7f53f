package export

import (
	"slices"
	"strings"
	"testing"
)

// RouterOS 7 breaks the PPTP server's long warning comment at 81
// characters and writes the rest on a line of its own without "#" (a
// 7.20.6 RB5009 export: "...use a more modern VP" then "N protocol
// instead"). That rest is the comment's: read, it is no unreadable
// command, and LabReady makes it a comment again on its own line, so the
// router (validate, a case, check's lab) does not refuse it as "bad
// command name N". Control: after a short comment the same line is
// unreadable, as any stray word is.
func TestCommentRestOfBrokenComment(t *testing.T) {
	const long = "# PPTP connections are considered unsafe, it is suggested to use a more modern VP"
	src := func(comment, rest string) string {
		return "# 2026-01-10 19:46:27 by RouterOS 7.20.6\n/interface pptp-server server\n" + comment + "\n" + rest + "\nset authentication=mschap2\n"
	}
	for _, rest := range []string{"N protocol instead", "  protocol instead"} {
		f, err := ReadLenient("x.rsc", []byte(src(long, rest)))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Unreadable) != 0 || !slices.Equal(f.CommentRest, []int{4}) || len(f.Commands) != 1 || f.Commands[0].Line != 5 {
			t.Errorf("%q: unreadable %v, comment rest %v, commands %d", rest, f.Unreadable, f.CommentRest, len(f.Commands))
		}
		out, _ := LabReady("x.rsc", []byte(src(long, rest)))
		if lines := strings.Split(string(out), "\n"); len(lines) < 5 || lines[3] != "# "+strings.TrimSpace(rest) || lines[4] != "set authentication=mschap2" {
			t.Errorf("%q: lab-ready text %q", rest, out)
		}
	}
	f, err := ReadLenient("x.rsc", []byte(src("# a short note", "N protocol instead")))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Unreadable) != 1 || f.Unreadable[0].Line != 4 || len(f.CommentRest) != 0 {
		t.Errorf("after a short comment: unreadable %v, comment rest %v", f.Unreadable, f.CommentRest)
	}
}
