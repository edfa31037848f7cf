package intent

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestTune is a manual tuning harness:
// INTENT_TUNE=0,10 INTENT_OPTS='{"KNNWeight":2}' go test -run TestTune -v.
func TestTune(t *testing.T) {
	shotList := os.Getenv("INTENT_TUNE")
	if shotList == "" {
		t.Skip("set INTENT_TUNE=0,10")
	}
	var opts Options
	if s := os.Getenv("INTENT_OPTS"); s != "" {
		if err := json.Unmarshal([]byte(s), &opts); err != nil {
			t.Fatal(err)
		}
	}
	dir := "../../../shared/data/banking77"
	for _, f := range strings.Split(shotList, ",") {
		shots, _ := strconv.Atoi(f)
		r, err := evaluateBanking77(dir, shots, 1, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %s", os.Getenv("INTENT_OPTS"), r)
	}
}

// TestTuneBuiltins prints 5-fold cross-validated accuracy and the confusions
// on the built-in examples: INTENT_TUNE_BUILTINS=1 go test -run TestTuneBuiltins -v.
func TestTuneBuiltins(t *testing.T) {
	if os.Getenv("INTENT_TUNE_BUILTINS") == "" {
		t.Skip("set INTENT_TUNE_BUILTINS=1")
	}
	var opts Options
	if s := os.Getenv("INTENT_OPTS"); s != "" {
		if err := json.Unmarshal([]byte(s), &opts); err != nil {
			t.Fatal(err)
		}
	}
	all := Builtins()
	ok, n, oos := 0, 0, 0
	for fold := range 5 {
		var tr, te []Example
		for i, e := range all {
			if i%5 == fold {
				te = append(te, e)
			} else {
				tr = append(tr, e)
			}
		}
		c := Train(tr, opts)
		for _, e := range te {
			p := c.Classify(e.Text)
			n++
			if p.OutOfScope {
				oos++
			}
			if p.Intent == e.Intent {
				ok++
			} else {
				t.Logf("%-24s -> %-24s %.2f sim=%.2f %q", e.Intent, p.Intent, p.Confidence, p.Similarity, e.Text)
			}
		}
	}
	t.Logf("cv accuracy %.3f (%d/%d), flagged oos %.3f", float64(ok)/float64(n), ok, n, float64(oos)/float64(n))
}
