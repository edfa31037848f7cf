package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ragkb/ragkb/answer/intent"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"intent", benchIntent})
}

// benchIntent measures the intent lane's classifier on BANKING77 with the
// full training set and with 10 examples per intent.
func benchIntent(ctx context.Context, w io.Writer, progress io.Writer) error {
	dir, err := banking77Dir()
	if err != nil {
		fmt.Fprintf(w, "## Intent lane\n\nskipped: %v\n\n", err)
		return nil
	}
	fmt.Fprintf(w, "## Intent lane on BANKING77\n\n")
	fmt.Fprintf(w, "`answer/intent` trained on `train.csv` (all of it, or 10 examples per intent drawn with seed 1) and scored on all 3,080 questions of `test.csv` (`intent.EvaluateBanking77`; the same numbers are asserted as floors by `go test ./answer/intent -run Banking77`). Out of scope: a second classifier is trained without 10 intents; \"detected\" is the share of those intents' test questions it flags out of scope, \"false OOS\" the share of trained intents' questions it wrongly flags. Targets: ≥ 93%% full, ≥ 80%% at 10-shot, < 1 ms per question. Published anchors (Casanueva et al., 2020): BERT ≈ 93%% full, ≈ 83-85%% at 10-shot.\n\n")
	fmt.Fprintf(w, "| training | accuracy | macro-F1 | answered accuracy | false OOS (all trained) | held-out detected | false OOS (held-out run) | ECE | classify mean | train time |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, shots := range []int{0, 10} {
		fmt.Fprintf(progress, "bench: banking77, shots=%d...\n", shots)
		r, err := intent.EvaluateBanking77(dir, shots, 1)
		if err != nil {
			return err
		}
		name := "full (10,003)"
		if shots > 0 {
			name = fmt.Sprintf("%d per intent", shots)
		}
		fmt.Fprintf(w, "| %s | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.3f | %v | %v |\n", name,
			100*r.Accuracy, 100*r.MacroF1, 100*r.AnsweredAccuracy, 100*r.InScopeFalseOOS, 100*r.OOSDetected, 100*r.OOSFalseRate, r.ECE,
			r.MeanLatency.Round(1000), r.TrainTime.Round(1e6))
	}
	fmt.Fprintln(w)
	return nil
}
