package worker

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ragkb/ragkb"
)

// TestStartPollsForNewJobs runs the worker's polling loop on synctest's
// fake clock: a job enqueued while the worker is idle is run at the next
// poll, not before, and no real time passes.
func TestStartPollsForNewJobs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		var runs atomic.Int32
		run := runnerFunc(func(context.Context, ragkb.Lease, *ragkb.Resource) (*ragkb.IndexResult, error) {
			runs.Add(1)
			return &ragkb.IndexResult{}, nil
		})
		w, err := New(Config{Store: f.store, Runner: run, Events: f.events, Owner: "w", Lease: 10 * time.Second,
			Poll: time.Second, Concurrency: 1, Schedule: "off", Now: f.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		w.Start(context.Background())
		defer w.Stop()
		synctest.Wait() // the first look found nothing; the loop sleeps until the next poll
		r := f.resource(t, ragkb.TypeKnowledgeBase)
		time.Sleep(500 * time.Millisecond)
		synctest.Wait()
		if n := runs.Load(); n != 0 {
			t.Fatalf("ran %d jobs half a poll after the enqueue, want 0 (the loop waits for its ticker)", n)
		}
		time.Sleep(600 * time.Millisecond)
		synctest.Wait()
		if n := runs.Load(); n != 1 {
			t.Fatalf("ran %d jobs after the next poll, want 1", n)
		}
		if got := f.get(t, r.ID); got.Status != ragkb.StatusSuccess {
			t.Errorf("status after the run = %s, want success", got.Status)
		}
	})
}
