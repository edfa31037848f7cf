package intent

import (
	"slices"
	"testing"
)

// TestBuiltinsCrossValidated trains on four fifths of the built-in examples
// and classifies the rest, five times over. Examples at the same position in
// each language's list often say the same thing, and fall in the same fold,
// so this measures how the built-ins generalise to unseen wording, and that
// every intent stays separable from the others.
func TestBuiltinsCrossValidated(t *testing.T) {
	all := Builtins()
	const folds = 5
	hit := map[string]int{}
	total := map[string]int{}
	confused := map[[2]string]int{}
	var oosFlagged int
	for fold := range folds {
		var train, test []Example
		for i, e := range all {
			if i%folds == fold {
				test = append(test, e)
			} else {
				train = append(train, e)
			}
		}
		c := Train(train, Options{})
		for _, e := range test {
			p := c.Classify(e.Text)
			total[e.Intent]++
			if e.Intent == OutOfScopeIntent && p.OutOfScope {
				oosFlagged++
			}
			if p.Intent == e.Intent {
				hit[e.Intent]++
			} else {
				confused[[2]string{e.Intent, p.Intent}]++
			}
		}
	}
	var n, ok int
	names := make([]string, 0, len(total))
	for name := range total {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		n += total[name]
		ok += hit[name]
		recall := float64(hit[name]) / float64(total[name])
		t.Logf("%-24s recall %.2f (%d/%d)", name, recall, hit[name], total[name])
		if name != OutOfScopeIntent && recall < 0.55 {
			t.Errorf("%s: cross-validated recall %.2f, want at least 0.55", name, recall)
		}
	}
	pairs := make([][2]string, 0, len(confused))
	for pair := range confused {
		pairs = append(pairs, pair)
	}
	slices.SortFunc(pairs, func(a, b [2]string) int { return confused[b] - confused[a] })
	for _, pair := range pairs[:min(6, len(pairs))] {
		t.Logf("%s taken for %s %d times", pair[0], pair[1], confused[pair])
	}
	// Unseen out-of-scope questions must mostly be flagged, whichever way.
	if got := float64(oosFlagged) / float64(total[OutOfScopeIntent]); got < 0.6 {
		t.Errorf("held-out %s examples flagged out of scope %.2f, want at least 0.6", OutOfScopeIntent, got)
	} else {
		t.Logf("held-out %s examples flagged out of scope %.2f", OutOfScopeIntent, got)
	}
	acc := float64(ok) / float64(n)
	t.Logf("cross-validated accuracy %.3f (%d/%d)", acc, ok, n)
	if acc < 0.74 {
		t.Errorf("cross-validated accuracy %.3f, want at least 0.74", acc)
	}
}
