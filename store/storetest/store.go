// Package storetest holds the conformance suites every backend runs against
// a real database: RunStore for ragkb.Store (and the vector suite for
// ragkb.VectorStore). Each subtest gets a fresh, empty store, so cases never
// depend on one another and may run against any backend.
//
// Times given to the store are whole microseconds in UTC (what PostgreSQL
// keeps) and compared with time.Time.Equal.
package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// RunStore runs the ragkb.Store conformance suite. newStore must return a
// new, empty store whose clock (for leases and default timestamps) is now;
// the suite closes it (register cleanup of files or databases with
// t.Cleanup). now is the real time until a case sets it: the job cases set
// it to lease, expire and take over jobs, since stores take and check
// leases with their own clock.
func RunStore(t *testing.T, newStore func(t *testing.T, now func() time.Time) ragkb.Store) {
	cases := []struct {
		name string
		run  func(t *testing.T, s ragkb.Store)
	}{
		{"TenantsAndKeys", testTenantsAndKeys},
		{"ResourceCRUD", testResourceCRUD},
		{"ResourceVersion", testResourceVersion},
		{"ResourceFilters", testResourceFilters},
		{"ResourceSpecRoundTrip", testResourceSpecRoundTrip},
		{"DeleteResource", testDeleteResource},
		{"ApplyIndex", testApplyIndex},
		{"ApplyIndexReusedChunkIDs", testApplyIndexReusedChunkIDs},
		{"ApplyIndexLeaseLost", testApplyIndexLeaseLost},
		{"TenantVersion", testTenantVersion},
		{"LexicalRanking", testLexicalRanking},
		{"LexicalMultilingual", testLexicalMultilingual},
		{"LexicalStopwords", testLexicalStopwords},
		{"LexicalFilters", testLexicalFilters},
		{"LexicalHostileQueries", testLexicalHostileQueries},
		{"JobClaimOrder", testJobClaimOrder},
		{"JobLeaseExpiry", testJobLeaseExpiry},
		{"JobExtendFinishRelease", testJobExtendFinishRelease},
		{"JobReplacedByUpdate", testJobReplacedByUpdate},
		{"JobConcurrentClaims", testJobConcurrentClaims},
		{"Events", testEvents},
		{"Assistants", testAssistants},
		{"Intents", testIntents},
		{"WebhooksAndDeliveries", testWebhooksAndDeliveries},
		{"RecordEvent", testRecordEvent},
		{"AnswerLogs", testAnswerLogs},
		{"QuestionLog", testQuestionLog},
		{"TenantIsolation", testTenantIsolation},
		{"Accounts", testAccounts},
		{"AccountConcurrentUpdates", testAccountConcurrentUpdates},
		{"AccountEvent", testAccountEvent},
		{"ResourcesByAccount", testResourcesByAccount},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := &testClock{}
			s := newStore(t, clk.Now)
			clocks.Store(s, clk)
			t.Cleanup(func() {
				clocks.Delete(s)
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			c.run(t, s)
		})
	}
}

// testClock is a store's clock in the suite: the real time until set.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now()
	}
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// clocks maps each store RunStore made to its clock.
var clocks sync.Map

// setClock sets s's clock to now (nothing for a store RunStore did not make).
func setClock(s ragkb.Store, now time.Time) {
	if c, ok := clocks.Load(s); ok {
		c.(*testClock).set(now)
	}
}

// storeNow is s's clock.
func storeNow(s ragkb.Store) time.Time {
	if c, ok := clocks.Load(s); ok {
		return c.(*testClock).Now()
	}
	return time.Now()
}

// claimAt sets s's clock to now and claims a job for lease.
func claimAt(s ragkb.Store, owner string, now time.Time, lease time.Duration) (*ragkb.Job, error) {
	setClock(s, now)
	return s.ClaimJob(context.Background(), owner, lease)
}

// extendTo extends l to until on s's clock.
func extendTo(s ragkb.Store, l ragkb.Lease, until time.Time) error {
	return s.ExtendLease(context.Background(), l, until.Sub(storeNow(s)))
}

// t0 is the suite's reference time.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// at returns t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

func ptr[T any](v T) *T { return &v }

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code ragkb.ErrorCode, what string) {
	t.Helper()
	if got := ragkb.ErrorCodeOf(err); got != code {
		t.Fatalf("%s: error code = %q (%v), want %q", what, got, err, code)
	}
}

// must fails the test on err.
func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func newTenant(t *testing.T, s ragkb.Store, name string) *ragkb.Tenant {
	t.Helper()
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: name, CreatedAt: t0}
	must(t, s.CreateTenant(context.Background(), ten), "CreateTenant")
	return ten
}

// newResource creates a policy resource (without a job) created at created.
func newResource(t *testing.T, s ragkb.Store, tenantID, name string, created time.Time) *ragkb.Resource {
	t.Helper()
	r := &ragkb.Resource{
		ID: ragkb.NewID("res"), TenantID: tenantID, Name: name, Type: ragkb.TypePolicy,
		Status: ragkb.StatusProcessing, Policy: &ragkb.PolicySpec{Title: name, Content: "text", Format: "text"},
		CreatedAt: created, UpdatedAt: created,
	}
	must(t, s.CreateResource(context.Background(), r, nil), "CreateResource")
	return r
}

// lease enqueues a job for r and claims it, skipping (and leaving leased)
// other jobs; the lease lasts an hour of real time.
func lease(t *testing.T, s ragkb.Store, r *ragkb.Resource) ragkb.Lease {
	t.Helper()
	ctx := context.Background()
	cur, err := s.GetResource(ctx, r.TenantID, r.ID)
	must(t, err, "GetResource before lease")
	job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: r.TenantID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: t0}
	must(t, s.UpdateResource(ctx, cur, job), "UpdateResource with job")
	for range 100 {
		j, err := claimAt(s, "indexer", time.Now(), time.Hour)
		must(t, err, "ClaimJob")
		if j.ID == job.ID {
			return ragkb.Lease{JobID: j.ID, Owner: "indexer"}
		}
	}
	t.Fatalf("the job of resource %s was never claimed", r.ID)
	return ragkb.Lease{}
}

// doc is a document with its chunks, for index fixtures.
type doc struct {
	d      *ragkb.Document
	chunks []*ragkb.Chunk
}

// newDoc returns a page document whose chunks hold texts (chunk title = title).
func newDoc(source, title string, texts ...string) doc {
	d := &ragkb.Document{ID: ragkb.NewID("doc"), SourceID: source, Kind: ragkb.DocPage, Title: title,
		Text: title, UpdatedAt: t0}
	d.ComputeHash()
	var chunks []*ragkb.Chunk
	for i, text := range texts {
		chunks = append(chunks, &ragkb.Chunk{ID: ragkb.NewID("chk"), DocumentID: d.ID, Ordinal: i, Kind: d.Kind,
			Title: title, Text: text})
	}
	return doc{d, chunks}
}

// index writes docs into r under a fresh lease and returns the removed chunk ids.
func index(t *testing.T, s ragkb.Store, r *ragkb.Resource, docs []doc, del ...string) []string {
	t.Helper()
	c := ragkb.IndexChange{TenantID: r.TenantID, ResourceID: r.ID, Lease: lease(t, s, r), Delete: del}
	for _, d := range docs {
		c.Upsert = append(c.Upsert, d.d)
		c.Chunks = append(c.Chunks, d.chunks...)
	}
	removed, err := s.ApplyIndex(context.Background(), c)
	must(t, err, "ApplyIndex")
	return removed
}

func chunkIDs(docs ...doc) []string {
	var ids []string
	for _, d := range docs {
		for _, c := range d.chunks {
			ids = append(ids, c.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func resourceIDs(rs []*ragkb.Resource) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	return ids
}

func hitIDs(hits []ragkb.ChunkHit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ChunkID)
	}
	return ids
}

// isNotFound fails unless err is ENOTFOUND.
func isNotFound(t *testing.T, err error, what string) {
	t.Helper()
	wantCode(t, err, ragkb.ENOTFOUND, what)
}
