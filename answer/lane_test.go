package answer

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/sqlite"
)

func laneTestService(t *testing.T, budget int64) (*Service, *sqlite.Store, *Metrics) {
	t.Helper()
	st, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "lane.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	m := NewMetrics(prometheus.NewRegistry())
	s, err := New(Config{Store: st, Searcher: noHits{}, Events: discard{}, Metrics: m, LaneCacheBytes: budget})
	if err != nil {
		t.Fatal(err)
	}
	return s, st, m
}

func laneTenant(t *testing.T, st *sqlite.Store, name string) string {
	t.Helper()
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: name}
	if err := st.CreateTenant(context.Background(), ten); err != nil {
		t.Fatal(err)
	}
	return ten.ID
}

// TestLaneServedDuringRebuild: after a tenant's intents change, an answer
// is given from the previous lane while the new one is still being built
// (the build is held until the answer has returned), and the next answer
// after the build uses the new lane.
func TestLaneServedDuringRebuild(t *testing.T) {
	ctx := context.Background()
	s, st, m := laneTestService(t, 0)
	tenant := laneTenant(t, st, "Rebuild")
	if _, err := s.Answer(ctx, tenant, &ragkb.AnswerRequest{Question: "Do you issue invoices?"}); err != nil {
		t.Fatal(err)
	}
	first := s.lanes.peek(tenant)
	if first == nil {
		t.Fatal("no lane after the first answer")
	}

	started, release, done := make(chan string, 1), make(chan struct{}), make(chan struct{})
	s.SetLaneBuildHook(func(string) {
		started <- "build"
		<-release
	})
	if err := st.CreateIntent(ctx, &ragkb.IntentDef{TenantID: tenant, Name: "engraving", Tier: "fast",
		Examples: []string{"Can you engrave my ring?", "Do you offer engraving?", "Is engraving possible on the watch?"}}); err != nil {
		t.Fatal(err)
	}
	answered := make(chan *ragkb.AnswerResponse, 1)
	go func() {
		a, err := s.Answer(ctx, tenant, &ragkb.AnswerRequest{Question: "Do you offer engraving?"})
		if err != nil {
			t.Error(err)
		}
		answered <- a
	}()
	<-started // the rebuild is running and cannot finish before release
	a := <-answered
	if s.lanes.peek(tenant) != first {
		t.Fatal("the lane changed while its rebuild was held")
	}
	if a == nil || a.Intent != nil && a.Intent.Name == "engraving" {
		t.Fatalf("answer during the rebuild %+v: want one from the previous lane, which has no engraving intent", a)
	}
	go func() {
		// Wait for the held build to be stored.
		for s.lanes.peek(tenant) == first {
			time.Sleep(5 * time.Millisecond)
		}
		close(done)
	}()
	close(release)
	<-done
	s.SetLaneBuildHook(nil)
	if got := s.lanes.peek(tenant).tenantIntents["engraving"]; got == nil {
		t.Fatal("the new lane has no engraving intent")
	}
	if n := testutil.ToFloat64(m.laneBuilds.WithLabelValues("ok")); n != 2 {
		t.Errorf("lane builds %v, want 2", n)
	}
}

// TestLaneCoalescedFirstBuild: concurrent first questions of a tenant share
// one build.
func TestLaneCoalescedFirstBuild(t *testing.T) {
	ctx := context.Background()
	s, st, m := laneTestService(t, 0)
	tenant := laneTenant(t, st, "Coalesced")
	started, release := make(chan struct{}, 8), make(chan struct{})
	s.SetLaneBuildHook(func(string) {
		started <- struct{}{}
		<-release
	})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := s.Answer(ctx, tenant, &ragkb.AnswerRequest{Question: "Where is my parcel?"})
			errs <- err
		}()
	}
	<-started
	close(release)
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := testutil.ToFloat64(m.laneBuilds.WithLabelValues("ok")); n != 1 {
		t.Errorf("%v builds for 8 concurrent first questions, want 1", n)
	}
}

// TestLaneEviction: under a budget smaller than one lane, the cache keeps
// only the most recent tenant's lane; an evicted tenant's next question
// builds its lane again.
func TestLaneEviction(t *testing.T) {
	ctx := context.Background()
	s, st, m := laneTestService(t, 1)
	var tenants []string
	for _, name := range []string{"A", "B", "C"} {
		id := laneTenant(t, st, name)
		tenants = append(tenants, id)
		if err := st.CreateIntent(ctx, &ragkb.IntentDef{TenantID: id, Name: "engraving", Tier: "fast",
			Examples: []string{"Can you engrave my ring?", "Do you offer engraving?"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Answer(ctx, id, &ragkb.AnswerRequest{Question: "Do you offer engraving?"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.lanes.lanes.Len(); n != 1 {
		t.Errorf("%d lanes cached under a 1-byte budget, want 1", n)
	}
	if s.lanes.peek(tenants[2]) == nil {
		t.Error("the most recent tenant's lane was evicted")
	}
	if n := testutil.ToFloat64(m.laneEvictions); n != 2 {
		t.Errorf("%v evictions, want 2", n)
	}
	if _, err := s.Answer(ctx, tenants[0], &ragkb.AnswerRequest{Question: "Do you offer engraving?"}); err != nil {
		t.Fatal(err)
	}
	if n := testutil.ToFloat64(m.laneBuilds.WithLabelValues("ok")); n != 4 {
		t.Errorf("%v builds, want 4 (three tenants, then the evicted first one again)", n)
	}
	if got := testutil.ToFloat64(m.laneBytes); got <= 0 || int64(got) != s.lanes.bytes {
		t.Errorf("lane cache bytes gauge %v, accounted %d", got, s.lanes.bytes)
	}
}
