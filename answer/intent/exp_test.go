package intent

import (
	"os"
	"testing"
)

func TestExpLane(t *testing.T) {
	if os.Getenv("I9_EXP") == "" {
		t.Skip()
	}
	dir := banking77Dir(t)
	type v struct {
		name string
		o    Options
	}
	vs := []v{
		{"sup2 mc0.7", Options{SupportRatio: 2, MinConfidence: 0.7}},
		{"sup2 mc0.72", Options{SupportRatio: 2, MinConfidence: 0.72}},
		{"sup2 mc0.75", Options{SupportRatio: 2, MinConfidence: 0.75}},
	}
	for _, shots := range []int{10, 0} {
		if shots == 0 && os.Getenv("I9_FULL") == "" {
			continue
		}
		for _, x := range vs {
			r, err := evaluateBanking77(dir, shots, 1, x.o)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("shots=%d %-14s right %.1f wrong %.1f refused %.1f | oosDetected %.1f oosFalse %.1f", shots, x.name, 100*r.Right, 100*r.Wrong, 100*r.Refused, 100*r.OOSDetected, 100*r.OOSFalseRate)
		}
	}
}
