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
	for _, shots := range []int{10, 0} {
		if shots == 0 && os.Getenv("I9_FULL") == "" {
			continue
		}
		r, err := evaluateBanking77(dir, shots, 1, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("shots=%d right %.1f wrong %.1f refused %.1f | oosDetected %.1f oosFalse %.1f", shots, 100*r.Right, 100*r.Wrong, 100*r.Refused, 100*r.OOSDetected, 100*r.OOSFalseRate)
	}
}
