package intent

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Report is the outcome of an evaluation on BANKING77 (Casanueva et al.,
// 2020): 77 online-banking intents, real customer wording.
type Report struct {
	// Shots is the number of training examples per intent (0: all of train.csv).
	Shots    int     `json:"shots"`
	Intents  int     `json:"intents"`
	Train    int     `json:"train"`
	Test     int     `json:"test"`
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
	// ECE is the expected calibration error of Confidence (10 bins).
	ECE float64 `json:"ece"`
	// MeanLatency is the mean time of one Classify call.
	MeanLatency time.Duration `json:"mean_latency_ns"`
	// TrainTime is how long Train took on the training set.
	TrainTime time.Duration `json:"train_time_ns"`

	// InScopeFalseOOS is the share of test questions of trained intents
	// flagged OutOfScope (all 77 intents trained).
	InScopeFalseOOS float64 `json:"in_scope_false_oos"`
	// AnsweredAccuracy is the accuracy on the questions not flagged
	// OutOfScope: what the fast lane would actually answer.
	AnsweredAccuracy float64 `json:"answered_accuracy"`

	// Out-of-scope behaviour, measured by a second classifier trained
	// without HeldOutIntents intents.
	HeldOutIntents int `json:"held_out_intents"`
	// OOSDetected is the share of the held-out intents' test questions
	// flagged OutOfScope; OOSMisclassified is the rest (answered as some
	// trained intent).
	OOSDetected      float64 `json:"oos_detected"`
	OOSMisclassified float64 `json:"oos_misclassified"`
	// OOSFalseRate is the share of the trained intents' test questions
	// flagged OutOfScope by that second classifier.
	OOSFalseRate float64 `json:"oos_false_rate"`

	// Right, Wrong and Refused split the test questions by what the fast
	// lane would do: answer with the right intent, answer with a wrong one,
	// or step aside (OutOfScope). They add up to 1.
	Right   float64 `json:"right"`
	Wrong   float64 `json:"wrong"`
	Refused float64 `json:"refused"`
	// Mode is "local" (lexical) or "semantic" (with an embedder).
	Mode string `json:"mode"`
}

// String formats the report on one line for logs.
func (r Report) String() string {
	return fmt.Sprintf("shots=%d intents=%d train=%d test=%d acc=%.4f macroF1=%.4f ece=%.3f latency=%v train_time=%v "+
		"false_oos=%.3f answered_acc=%.4f | held_out=%d oos_detected=%.3f oos_misclassified=%.3f oos_false=%.3f",
		r.Shots, r.Intents, r.Train, r.Test, r.Accuracy, r.MacroF1, r.ECE, r.MeanLatency, r.TrainTime,
		r.InScopeFalseOOS, r.AnsweredAccuracy, r.HeldOutIntents, r.OOSDetected, r.OOSMisclassified, r.OOSFalseRate)
}

// heldOutIntents is how many intents EvaluateBanking77 leaves out of training
// to measure out-of-scope detection.
const heldOutIntents = 10

// EvaluateBanking77 trains on dir/train.csv (all of it when shots is 0, else
// shots examples per intent drawn with seed) with the default Options and
// reports accuracy, macro-F1, calibration and latency on dir/test.csv. It
// then trains again without heldOutIntents intents (drawn with seed) to
// measure how their questions are flagged OutOfScope. Nothing is learnt from
// test.csv.
func EvaluateBanking77(dir string, shots int, seed int64) (Report, error) {
	return evaluateBanking77(dir, shots, seed, Options{})
}

func evaluateBanking77(dir string, shots int, seed int64, opts Options) (Report, error) {
	return evaluate(dir, shots, seed, func(train []Example) (func(i int, text string) Prediction, []string, error) {
		c := Train(train, opts)
		return func(_ int, text string) Prediction { return c.Classify(text) }, c.Intents(), nil
	})
}

// EvaluateBanking77Semantic is EvaluateBanking77 for the semantic lane:
// training and test questions are embedded with embed (through cache, under
// the name model) and classified by a Semantic over the lexical classifier.
// MeanLatency excludes the question's embedding (measured by the caller).
func EvaluateBanking77Semantic(ctx context.Context, dir string, shots int, seed int64, model string, embed EmbedFunc, cache *VectorCache, opts SemanticOptions) (Report, error) {
	testSet, err := readBanking77(filepath.Join(dir, "test.csv"))
	if err != nil {
		return Report{}, err
	}
	texts := make([]string, len(testSet))
	for i, e := range testSet {
		texts[i] = e.Text
	}
	qvecs, err := cache.Embed(ctx, model, texts, embed)
	if err != nil {
		return Report{}, err
	}
	r, err := evaluate(dir, shots, seed, func(train []Example) (func(i int, text string) Prediction, []string, error) {
		tt := make([]string, len(train))
		for i, e := range train {
			tt[i] = e.Text
		}
		vecs, err := cache.Embed(ctx, model, tt, embed)
		if err != nil {
			return nil, nil, err
		}
		c := Train(train, Options{})
		s, err := NewSemantic(c, train, vecs, opts)
		if err != nil {
			return nil, nil, err
		}
		return func(i int, text string) Prediction { return s.Classify(text, qvecs[i]) }, c.Intents(), nil
	})
	r.Mode = "semantic"
	return r, err
}

// evaluate runs an evaluation on BANKING77 with the classifier that build
// trains; the returned function classifies the i-th test question.
func evaluate(dir string, shots int, seed int64, build func(train []Example) (func(i int, text string) Prediction, []string, error)) (Report, error) {
	trainSet, err := readBanking77(filepath.Join(dir, "train.csv"))
	if err != nil {
		return Report{}, err
	}
	testSet, err := readBanking77(filepath.Join(dir, "test.csv"))
	if err != nil {
		return Report{}, err
	}
	if shots < 0 {
		return Report{}, fmt.Errorf("intent: evaluate banking77: shots %d is negative", shots)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 77))
	if shots > 0 {
		trainSet = sampleShots(trainSet, shots, rng)
	}
	r := Report{Shots: shots, Train: len(trainSet), Test: len(testSet), Mode: "local"}

	start := time.Now()
	classify, intents, err := build(trainSet)
	if err != nil {
		return Report{}, err
	}
	r.TrainTime = time.Since(start)
	r.Intents = len(intents)

	preds := make([]Prediction, len(testSet))
	start = time.Now()
	for i, e := range testSet {
		preds[i] = classify(i, e.Text)
	}
	r.MeanLatency = time.Since(start) / time.Duration(max(len(testSet), 1))

	var correct, flagged, answered, answeredOK int
	for i, e := range testSet {
		ok := preds[i].Intent == e.Intent
		if ok {
			correct++
		}
		if preds[i].OutOfScope {
			flagged++
		} else {
			answered++
			if ok {
				answeredOK++
			}
		}
	}
	r.Accuracy = ratio(correct, len(testSet))
	r.InScopeFalseOOS = ratio(flagged, len(testSet))
	r.Right = ratio(answeredOK, len(testSet))
	r.Wrong = ratio(answered-answeredOK, len(testSet))
	r.Refused = ratio(flagged, len(testSet))
	r.AnsweredAccuracy = ratio(answeredOK, answered)
	r.MacroF1 = macroF1(testSet, preds)
	r.ECE = expectedCalibrationError(testSet, preds, 10)

	// Out of scope: leave some intents out entirely.
	names := slices.Clone(intents)
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	out := make(map[string]bool, heldOutIntents)
	for _, n := range names[:min(heldOutIntents, len(names))] {
		out[n] = true
	}
	r.HeldOutIntents = len(out)
	var kept []Example
	for _, e := range trainSet {
		if !out[e.Intent] {
			kept = append(kept, e)
		}
	}
	classify2, _, err := build(kept)
	if err != nil {
		return Report{}, err
	}
	var nOut, nOutFlagged, nIn, nInFlagged int
	for i, e := range testSet {
		p := classify2(i, e.Text)
		if out[e.Intent] {
			nOut++
			if p.OutOfScope {
				nOutFlagged++
			}
			continue
		}
		nIn++
		if p.OutOfScope {
			nInFlagged++
		}
	}
	r.OOSDetected = ratio(nOutFlagged, nOut)
	r.OOSMisclassified = ratio(nOut-nOutFlagged, nOut)
	r.OOSFalseRate = ratio(nInFlagged, nIn)
	return r, nil
}

// readBanking77 reads a text,category CSV file.
func readBanking77(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("intent: read banking77: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("intent: read banking77 %s: %w", path, err)
	}
	if len(header) != 2 || header[0] != "text" || header[1] != "category" {
		return nil, fmt.Errorf("intent: read banking77 %s: header %q, want text,category", path, header)
	}
	var out []Example
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("intent: read banking77 %s: %w", path, err)
		}
		out = append(out, Example{Intent: rec[1], Text: rec[0]})
	}
	return out, nil
}

// sampleShots draws k examples per intent (all of them when fewer).
func sampleShots(all []Example, k int, rng *rand.Rand) []Example {
	by := make(map[string][]Example)
	var names []string
	for _, e := range all {
		if _, ok := by[e.Intent]; !ok {
			names = append(names, e.Intent)
		}
		by[e.Intent] = append(by[e.Intent], e)
	}
	slices.Sort(names)
	var out []Example
	for _, n := range names {
		es := by[n]
		rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		out = append(out, es[:min(k, len(es))]...)
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// macroF1 averages the per-intent F1 over the intents in the test set.
func macroF1(test []Example, preds []Prediction) float64 {
	tp := map[string]int{}
	fp := map[string]int{}
	fn := map[string]int{}
	for i, e := range test {
		if preds[i].Intent == e.Intent {
			tp[e.Intent]++
		} else {
			fp[preds[i].Intent]++
			fn[e.Intent]++
		}
	}
	seen := map[string]bool{}
	var sum float64
	for _, e := range test {
		if seen[e.Intent] {
			continue
		}
		seen[e.Intent] = true
		t := float64(tp[e.Intent])
		if t == 0 {
			continue
		}
		p := t / (t + float64(fp[e.Intent]))
		r := t / (t + float64(fn[e.Intent]))
		sum += 2 * p * r / (p + r)
	}
	return sum / float64(max(len(seen), 1))
}

// expectedCalibrationError bins predictions by confidence and averages
// |accuracy - confidence| weighted by bin size.
func expectedCalibrationError(test []Example, preds []Prediction, bins int) float64 {
	n := make([]int, bins)
	conf := make([]float64, bins)
	ok := make([]int, bins)
	for i, p := range preds {
		b := min(int(p.Confidence*float64(bins)), bins-1)
		n[b]++
		conf[b] += p.Confidence
		if p.Intent == test[i].Intent {
			ok[b]++
		}
	}
	var ece float64
	for b := range bins {
		if n[b] == 0 {
			continue
		}
		ece += float64(n[b]) / float64(len(preds)) * math.Abs(float64(ok[b])/float64(n[b])-conf[b]/float64(n[b]))
	}
	return ece
}
