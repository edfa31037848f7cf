package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// newJobResource creates a resource with a job created at created.
func newJobResource(t *testing.T, s ragkb.Store, tenantID, name string, created time.Time) (*ragkb.Resource, *ragkb.Job) {
	t.Helper()
	r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: tenantID, Name: name, Type: ragkb.TypePolicy,
		Status: ragkb.StatusProcessing, CreatedAt: t0, UpdatedAt: t0}
	job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: tenantID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: created}
	must(t, s.CreateResource(context.Background(), r, job), "CreateResource with job")
	return r, job
}

func testJobClaimOrder(t *testing.T, s ragkb.Store) {
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	_, err := claimAt(s, "w", t0, time.Minute)
	isNotFound(t, err, "ClaimJob on an empty queue")
	// Inserted out of order: claims follow CreatedAt, across tenants.
	_, j3 := newJobResource(t, s, a.ID, "third", at(3*time.Second))
	_, j1 := newJobResource(t, s, b.ID, "first", at(1*time.Second))
	_, j2 := newJobResource(t, s, a.ID, "second", at(2*time.Second))
	for i, want := range []*ragkb.Job{j1, j2, j3} {
		now := at(time.Duration(10+i) * time.Second)
		got, err := claimAt(s, "w", now, time.Minute)
		must(t, err, "ClaimJob")
		if got.ID != want.ID || got.ResourceID != want.ResourceID || got.TenantID != want.TenantID {
			t.Fatalf("claim %d = job %s of %s, want %s of %s", i, got.ID, got.ResourceID, want.ID, want.ResourceID)
		}
		if got.Attempts != 1 || got.LeaseOwner != "w" || !got.LeaseUntil.Equal(now.Add(time.Minute)) ||
			!got.CreatedAt.Equal(want.CreatedAt) || got.Kind != ragkb.JobIndex {
			t.Errorf("claim %d = %+v, want attempts 1, owner w, lease until %v, created %v", i, got, now.Add(time.Minute), want.CreatedAt)
		}
	}
	_, err = claimAt(s, "w", at(20*time.Second), time.Minute)
	isNotFound(t, err, "ClaimJob when every job is leased")
}

func testJobLeaseExpiry(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "A")
	r, job := newJobResource(t, s, ten.ID, "r", t0)

	j, err := claimAt(s, "w1", at(time.Minute), time.Minute)
	must(t, err, "ClaimJob w1")
	if j.ID != job.ID {
		t.Fatalf("ClaimJob = %s, want %s", j.ID, job.ID)
	}
	_, err = claimAt(s, "w2", at(90*time.Second), time.Minute)
	isNotFound(t, err, "ClaimJob while the lease is held")
	// w1 died: at the lease's end another worker takes the job over.
	j, err = claimAt(s, "w2", at(2*time.Minute), time.Minute)
	must(t, err, "ClaimJob after expiry")
	if j.ID != job.ID || j.LeaseOwner != "w2" || j.Attempts != 2 {
		t.Errorf("takeover = %+v, want job %s owned by w2 with 2 attempts", j, job.ID)
	}
	old := ragkb.Lease{JobID: job.ID, Owner: "w1"}
	wantCode(t, extendTo(s, old, at(time.Hour)), ragkb.ECONFLICT, "ExtendLease by the old owner")
	r.Status = ragkb.StatusSuccess
	wantCode(t, s.FinishJob(ctx, old, r), ragkb.ECONFLICT, "FinishJob by the old owner")
	wantCode(t, s.ReleaseJob(ctx, old), ragkb.ECONFLICT, "ReleaseJob by the old owner")
	got, err := s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource")
	if got.Status != ragkb.StatusProcessing {
		t.Errorf("status after the old owner's FinishJob = %s, want processing (nothing saved)", got.Status)
	}
	// The new owner still holds the job.
	must(t, extendTo(s, ragkb.Lease{JobID: job.ID, Owner: "w2"}, at(time.Hour)), "ExtendLease by the new owner")
}

func testJobExtendFinishRelease(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "A")
	r, job := newJobResource(t, s, ten.ID, "r", t0)
	l := ragkb.Lease{JobID: job.ID, Owner: "w1"}

	_, err := claimAt(s, "w1", t0, time.Minute)
	must(t, err, "ClaimJob")
	must(t, extendTo(s, l, at(10*time.Minute)), "ExtendLease")
	_, err = claimAt(s, "w2", at(5*time.Minute), time.Minute)
	isNotFound(t, err, "ClaimJob within the extended lease")
	wantCode(t, extendTo(s, ragkb.Lease{JobID: "job_missing", Owner: "w1"}, at(time.Hour)), ragkb.ECONFLICT, "ExtendLease(unknown job)")

	// Released: claimable at once, attempts keep counting.
	must(t, s.ReleaseJob(ctx, l), "ReleaseJob")
	j, err := claimAt(s, "w2", at(5*time.Minute), time.Minute)
	must(t, err, "ClaimJob after release")
	if j.ID != job.ID || j.Attempts != 2 || j.LeaseOwner != "w2" {
		t.Errorf("ClaimJob after release = %+v, want job %s, attempts 2, owner w2", j, job.ID)
	}
	wantCode(t, s.ReleaseJob(ctx, l), ragkb.ECONFLICT, "ReleaseJob by a former owner")

	// Finish saves the resource and removes the job.
	l2 := ragkb.Lease{JobID: job.ID, Owner: "w2"}
	r.Status, r.Attempts, r.IndexedAt, r.UpdatedAt = ragkb.StatusSuccess, 2, ptr(at(6*time.Minute)), at(6*time.Minute)
	must(t, s.FinishJob(ctx, l2, r), "FinishJob")
	got, err := s.GetResource(ctx, ten.ID, r.ID)
	must(t, err, "GetResource")
	if got.Status != ragkb.StatusSuccess || got.Attempts != 2 || got.IndexedAt == nil || !got.IndexedAt.Equal(at(6*time.Minute)) {
		t.Errorf("resource after FinishJob = %+v, want success, 2 attempts, indexed at %v", got, at(6*time.Minute))
	}
	_, err = claimAt(s, "w3", at(time.Hour), time.Minute)
	isNotFound(t, err, "ClaimJob after FinishJob")
	wantCode(t, s.FinishJob(ctx, l2, r), ragkb.ECONFLICT, "FinishJob twice")
	wantCode(t, extendTo(s, l2, at(time.Hour)), ragkb.ECONFLICT, "ExtendLease of a finished job")
}

func testJobReplacedByUpdate(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "A")
	r, old := newJobResource(t, s, ten.ID, "r", t0)
	_, err := claimAt(s, "w1", t0, time.Hour)
	must(t, err, "ClaimJob")

	// The merchant edits the resource while w1 indexes it.
	r.Name = "edited"
	newJob := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: ten.ID, ResourceID: r.ID, Kind: ragkb.JobRefresh, CreatedAt: at(time.Minute)}
	must(t, s.UpdateResource(ctx, r, newJob), "UpdateResource with job")
	wantCode(t, extendTo(s, ragkb.Lease{JobID: old.ID, Owner: "w1"}, at(2*time.Hour)), ragkb.ECONFLICT, "ExtendLease of a replaced job")

	j, err := claimAt(s, "w2", at(2*time.Minute), time.Minute)
	must(t, err, "ClaimJob of the new job")
	if j.ID != newJob.ID || j.Kind != ragkb.JobRefresh || j.Attempts != 1 {
		t.Errorf("ClaimJob = %+v, want the new job %s (refresh, 1 attempt)", j, newJob.ID)
	}
	_, err = claimAt(s, "w3", at(150*time.Second), time.Minute)
	isNotFound(t, err, "ClaimJob: the replaced job is gone")

	// Replacing a pending (unclaimed) job leaves exactly one job too.
	newer := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: ten.ID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: at(4 * time.Minute)}
	must(t, s.UpdateResource(ctx, r, newer), "UpdateResource again")
	newest := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: ten.ID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: at(5 * time.Minute)}
	must(t, s.UpdateResource(ctx, r, newest), "UpdateResource once more")
	j, err = claimAt(s, "w4", at(6*time.Minute), time.Minute)
	must(t, err, "ClaimJob")
	if j.ID != newest.ID {
		t.Errorf("ClaimJob = %s, want the newest job %s", j.ID, newest.ID)
	}
	_, err = claimAt(s, "w5", at(6*time.Minute), time.Minute)
	isNotFound(t, err, "ClaimJob: only one job per resource")
}

func testJobConcurrentClaims(t *testing.T, s ragkb.Store) {
	ten := newTenant(t, s, "A")
	const jobs, workers = 24, 6
	want := make(map[string]bool)
	for i := range jobs {
		_, j := newJobResource(t, s, ten.ID, "r", at(time.Duration(i)*time.Millisecond))
		want[j.ID] = true
	}
	var mu sync.Mutex
	claimed := make(map[string][]string) // job id -> owners
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		owner := string(rune('a'+w)) + "-worker"
		wg.Go(func() {
			for {
				j, err := claimAt(s, owner, time.Now(), time.Hour)
				if ragkb.IsNotFound(err) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				claimed[j.ID] = append(claimed[j.ID], owner)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("ClaimJob under concurrency: %v", err)
	}
	if len(claimed) != jobs {
		t.Errorf("claimed %d distinct jobs, want %d", len(claimed), jobs)
	}
	for id, owners := range claimed {
		if !want[id] {
			t.Errorf("claimed unknown job %s", id)
		}
		if len(owners) != 1 {
			t.Errorf("job %s claimed by %v, want exactly one owner", id, owners)
		}
	}
}
