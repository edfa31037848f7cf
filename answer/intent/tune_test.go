package intent

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
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

// TestTuneOOS sweeps the out-of-scope thresholds on BANKING77 with 10
// intents held out: INTENT_TUNE_OOS=0 go test -run TestTuneOOS -v.
func TestTuneOOS(t *testing.T) {
	s := os.Getenv("INTENT_TUNE_OOS")
	if s == "" {
		t.Skip("set INTENT_TUNE_OOS=shots")
	}
	shots, _ := strconv.Atoi(s)
	dir := "../../../shared/data/banking77"
	trainSet, _ := readBanking77(dir + "/train.csv")
	testSet, _ := readBanking77(dir + "/test.csv")
	rng := rand.New(rand.NewPCG(1, 77))
	if shots > 0 {
		trainSet = sampleShots(trainSet, shots, rng)
	}
	names := Train(trainSet[:0], Options{}).Intents()
	seen := map[string]bool{}
	for _, e := range trainSet {
		if !seen[e.Intent] {
			seen[e.Intent] = true
			names = append(names, e.Intent)
		}
	}
	slices.Sort(names)
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	out := map[string]bool{}
	for _, n := range names[:10] {
		out[n] = true
	}
	var kept []Example
	for _, e := range trainSet {
		if !out[e.Intent] {
			kept = append(kept, e)
		}
	}
	c := Train(kept, Options{})
	type row struct {
		conf, sim, margin float64
		oos, correct      bool
	}
	var rows []row
	for _, e := range testSet {
		p := c.Classify(e.Text)
		rows = append(rows, row{p.Confidence, p.Similarity, p.Top[0].Confidence - p.Top[1].Confidence, out[e.Intent], p.Intent == e.Intent})
	}
	for _, sim := range []float64{0, 0.2, 0.25, 0.3, 0.35, 0.4} {
		for _, conf := range []float64{0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8} {
			var nOut, det, nIn, fa, wrongIn, wrongFlag int
			for _, r := range rows {
				flag := r.sim < sim || r.conf < conf
				if r.oos {
					nOut++
					if flag {
						det++
					}
				} else {
					nIn++
					if flag {
						fa++
					}
					if !r.correct {
						wrongIn++
						if flag {
							wrongFlag++
						}
					}
				}
			}
			t.Logf("sim<%.2f conf<%.2f detected %.3f false %.3f (in-scope errors caught %.3f)", sim, conf,
				float64(det)/float64(nOut), float64(fa)/float64(nIn), float64(wrongFlag)/float64(max(wrongIn, 1)))
		}
	}
}
