package guard

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// caseText is the text of a TestRoute case: {"name", "text", want}.
var caseText = regexp.MustCompile(`\{"[^"]*", ("(?:[^"\\]|\\.)*")`)

// TestPrefilterExact: a pattern's prefilter never changes whether it
// matches. Every routing pattern is run with and without it on the routing
// tests' texts, the guard's test data and BANKING77's questions (when
// present), each folded as Route folds it, and on each pattern's own
// literals (texts that pass the prefilter).
func TestPrefilterExact(t *testing.T) {
	var texts []string
	src, err := os.ReadFile("route_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range caseText.FindAllStringSubmatch(string(src), -1) {
		if s, err := strconv.Unquote(m[1]); err == nil {
			texts = append(texts, s)
		}
	}
	if len(texts) < 100 {
		t.Fatalf("only %d texts from TestRoute's cases", len(texts))
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "data", "banking77", "test.csv"))
	files = append(files, filepath.Join("..", "..", "..", "shared", "data", "real-payloads", "README.md"))
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			texts = append(texts, sc.Text())
		}
		f.Close()
	}
	pats := []*pattern{}
	for _, r := range append(routeRules, complaintRule) {
		pats = append(pats, r.res...)
	}
	filtered, matched := 0, 0
	for _, p := range pats {
		if p.any != nil {
			filtered++
			for _, l := range p.any {
				texts = append(texts, "so "+l+" now", l)
			}
		}
	}
	for _, text := range texts {
		f := strings.Join(strings.Fields(fold(text)), " ")
		for _, p := range pats {
			got, want := p.match(f), p.re.MatchString(f)
			if got != want {
				t.Fatalf("pattern %s on %q: prefiltered %v, regexp %v (literals %q)", p.re, f, got, want, p.any)
			}
			if want {
				matched++
			}
		}
	}
	t.Logf("%d of %d patterns prefiltered; %d texts, %d matches", filtered, len(pats), len(texts), matched)
	if filtered < len(pats)/2 {
		t.Errorf("only %d of %d patterns have a prefilter", filtered, len(pats))
	}
}

// TestRequired checks the literal sets of a few patterns.
func TestRequired(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    string // the literals joined by "|", "" for none
	}{
		{`\bskimm\w*\b`, "skimm"},
		{`\b(?:talk|speak)\b\s+human`, "human"},
		{`\b(?:block|freeze) (?:my|the) card\b`, "block my card|block the card|freeze my card|freeze the card"},
		{`(?:fraud|scam)s?`, "fraud|scam"},
		{`\w+\s*`, ""},
		{`(?:ab)?cd`, ""}, // "cd" is too short for a prefilter
		{`x[ab]yz`, "xayz|xbyz"},
	} {
		p := compilePattern(tc.pattern)
		if got := strings.Join(p.any, "|"); got != tc.want {
			t.Errorf("literals of %s = %q, want %q", tc.pattern, got, tc.want)
		}
	}
}
