package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/answer/triage"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"triage", benchTriage})
}

// ticketsPath finds testdata/triage/tickets.jsonl from the working
// directory or one of its parents (the repository root when run by make).
func ticketsPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "testdata", "triage", "tickets.jsonl")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testdata/triage/tickets.jsonl not found (run from the repository)")
		}
		dir = parent
	}
}

// benchTriage reports ticket triage on the labelled tickets, the dev half
// (tuned on) and the held-out half (only reported), and its cost.
func benchTriage(ctx context.Context, w io.Writer, progress io.Writer) error {
	path, err := ticketsPath()
	if err != nil {
		fmt.Fprintf(w, "## Ticket triage\n\nskipped: %v\n\n", err)
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	tickets, err := triage.ReadTickets(f)
	f.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "bench: triage, %d tickets...\n", len(tickets))
	classify := triage.WithBuiltins()
	langs := map[string]int{}
	for _, t := range tickets {
		langs[t.Lang]++
	}
	var langList []string
	for l, n := range langs {
		langList = append(langList, fmt.Sprintf("%s %d", l, n))
	}
	slices.Sort(langList)

	fmt.Fprintf(w, "## Ticket triage\n\n")
	fmt.Fprintf(w, "`answer/triage` (no model call) after language detection and the built-in intent lane, on the %d hand-labelled tickets of `testdata/triage/tickets.jsonl` (%s). "+
		"Weights and markers were tuned on the dev half only; the held-out half was never inspected, only scored. "+
		"Right = priority and needs_agent both as labelled (what routes the ticket), wrong = otherwise; triage never abstains, so refused is 0. "+
		"Missed urgent = urgent tickets rated normal or low. Floors: `go test ./answer/triage -run Evaluation`. "+
		"Cost added to an answer: `go test ./answer -run '^$' -bench TriageTurn`.\n\n", len(tickets), strings.Join(langList, ", "))
	fmt.Fprintf(w, "| half | tickets | right | wrong | refused | missed urgent | urgent P | urgent R | needs_agent P | needs_agent R | sentiment acc. | priority acc. | topic acc. |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	byLang := map[string]map[string]float64{}
	for _, half := range []string{"dev", "heldout"} {
		var part []triage.Ticket
		for _, t := range tickets {
			if t.Split == half {
				part = append(part, t)
			}
		}
		r := triage.Evaluate(part, classify)
		byLang[half] = r.ByLanguage
		fmt.Fprintf(w, "| %s | %d | %.1f%% | %.1f%% | 0.0%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", half, r.Tickets,
			100*r.Right, 100*r.Wrong, 100*r.MissedUrgent, 100*r.UrgentPrecision, 100*r.UrgentRecall, 100*r.AgentPrecision, 100*r.AgentRecall,
			100*r.SentimentAccuracy, 100*r.PriorityAccuracy, 100*r.TopicAccuracy)
	}
	fmt.Fprintf(w, "\nRight share per language:\n\n| half | en | pl | it | de | fr | es |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, half := range []string{"dev", "heldout"} {
		fmt.Fprintf(w, "| %s |", half)
		for _, l := range []string{"en", "pl", "it", "de", "fr", "es"} {
			fmt.Fprintf(w, " %.1f%% |", 100*byLang[half][l])
		}
		fmt.Fprintln(w)
	}

	// Cost: triage features alone (routing supplied, as on /v1/answer,
	// where the guardrail already ran) and with the guard's routing (as on
	// /v1/triage).
	none := &guard.Routing{}
	// The best of several passes: the machine is shared, the minimum is
	// the cost without interference.
	perTicket := func(routing *guard.Routing, passes int) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range passes {
			start := time.Now()
			for _, t := range tickets {
				triage.Classify(triage.Input{Text: t.Text, Routing: routing})
			}
			best = min(best, time.Since(start)/time.Duration(len(tickets)))
		}
		return best
	}
	features := perTicket(none, 20)
	withGuard := perTicket(nil, 3)
	fmt.Fprintf(w, "\nMean time per ticket (best of 20 and 3 passes): triage features %v; with the guardrail's routing patterns (POST /v1/triage) %v.\n\n", features.Round(time.Microsecond), withGuard.Round(time.Microsecond))
	return nil
}
