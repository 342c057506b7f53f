package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// JUnit's XML as CI systems read it (the Ant layout that GitHub's and
// GitLab's test reporters accept): one suite per scenario run, one case
// per step.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     float64      `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      float64     `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Props     []junitProp `xml:"properties>property,omitempty"`
	Cases     []junitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      float64       `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// suite is this run as one JUnit suite. A run that could not finish gets
// one case in error (so CI counts it red); a skipped run one skipped case.
func (r *Report) suite() junitSuite {
	s := junitSuite{Name: r.Scenario, Props: []junitProp{{"router", r.Router}, {"run", r.Run}}}
	if r.Version != "" {
		s.Props = append(s.Props, junitProp{"routeros", r.Version})
	}
	if !r.Started.IsZero() {
		s.Timestamp = r.Started.UTC().Format("2006-01-02T15:04:05")
	}
	for _, p := range r.Phases {
		s.Time += p.Seconds
	}
	for _, x := range rowsOf(r.Steps) {
		c := junitCase{Name: fmt.Sprintf("%d %s %s → %s", x.Index, x.Step, x.From, x.To), Classname: "chrlab." + r.Scenario}
		if x.Step != "" && x.From == "-" {
			c.Name = fmt.Sprintf("%d %s", x.Index, x.Step)
		}
		c.Time = r.Steps[x.Index-1].Duration
		switch {
		case !x.Held:
			c.Failure = &junitMessage{Message: x.Why, Text: fmt.Sprintf("line %d: expected %s; seen %s", x.Line, x.Expected, x.Seen)}
			s.Failures++
		case x.NotJudged != "":
			// Neither passed nor failed: CI shows it apart.
			c.Skipped = &junitMessage{Message: x.notJudgedText(), Text: fmt.Sprintf("line %d: expected %s; seen %s", x.Line, x.Expected, x.Seen)}
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	switch {
	case r.Skipped:
		s.Cases = append(s.Cases, junitCase{Name: "run", Classname: "chrlab." + r.Scenario, Skipped: &junitMessage{Message: r.SkipReason}})
		s.Skipped++
	case r.Error != "":
		s.Cases = append(s.Cases, junitCase{Name: "run", Classname: "chrlab." + r.Scenario, Error: &junitMessage{Message: r.Error, Text: r.Error}})
		s.Errors++
	}
	s.Tests = len(s.Cases)
	return s
}

// JUnit renders junit.xml for reports, one suite each; a suite run writes
// all its scenarios into one file.
func JUnit(name string, reports ...*Report) ([]byte, error) {
	all := junitSuites{Name: name}
	for _, r := range reports {
		s := r.suite()
		all.Suites = append(all.Suites, s)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
		all.Time += s.Time
	}
	out, err := xml.MarshalIndent(all, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode junit: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.Write(out)
	b.WriteString("\n")
	return b.Bytes(), nil
}
