package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// BenchmarkListResources lists a tenant of 150 policies of 8 KB inline
// content each, as the answer path does on every request: in full and
// without specs (ragkb.ResourceFilter.NoSpec, what /v1/search and
// /v1/answer use).
func BenchmarkListResources(b *testing.B) {
	ctx := context.Background()
	s := newTestStore(b)
	ten := &ragkb.Tenant{Name: "shop"}
	if err := s.CreateTenant(ctx, ten); err != nil {
		b.Fatal(err)
	}
	content := strings.Repeat("Returns are accepted within 30 days of delivery. ", 8<<10/50)
	for i := range 150 {
		r := &ragkb.Resource{TenantID: ten.ID, Name: fmt.Sprintf("Policy %d", i), Type: ragkb.TypePolicy, Status: ragkb.StatusSuccess,
			Policy: &ragkb.PolicySpec{Content: content}, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := s.CreateResource(ctx, r, nil); err != nil {
			b.Fatal(err)
		}
	}
	for _, noSpec := range []bool{false, true} {
		b.Run(fmt.Sprintf("no_spec=%v", noSpec), func(b *testing.B) {
			for b.Loop() {
				rs, err := s.ListResources(ctx, ragkb.ResourceFilter{TenantID: ten.ID, NoSpec: noSpec})
				if err != nil || len(rs) != 150 {
					b.Fatalf("ListResources = %d, %v", len(rs), err)
				}
			}
		})
	}
}
