package intent

import (
	"os"
	"testing"
)

// TestTune is a manual tuning harness: INTENT_TUNE=1 go test -run TestTune -v.
func TestTune(t *testing.T) {
	if os.Getenv("INTENT_TUNE") == "" {
		t.Skip("set INTENT_TUNE=1")
	}
	dir := "../../../shared/data/banking77"
	for _, shots := range []int{0, 10} {
		r, err := evaluateBanking77(dir, shots, 1, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Log(r)
	}
}
