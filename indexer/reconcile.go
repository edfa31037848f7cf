package indexer

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/ragkb/ragkb"
)

// VectorOwners is implemented by vector stores that can list which
// resources hold vectors (the embedded index and pgvector).
type VectorOwners interface {
	VectorResources(ctx context.Context) (map[string][]string, error)
	DeleteResource(ctx context.Context, tenantID, resourceID string) error
}

// ResourceGetter finds a resource (ragkb.Store).
type ResourceGetter interface {
	GetResource(ctx context.Context, tenantID, id string) (*ragkb.Resource, error)
}

// RemoveOrphanVectors deletes the vectors of every resource (or tenant) that
// no longer exists. An indexing run writes vectors before it applies its
// documents and chunks, so a resource deleted while it was being indexed,
// with the process killed before the run noticed, leaves vectors behind:
// they are never returned (searches drop hits without a chunk) but take
// space and would count against the tenant. Run at start. It returns how
// many resources' vectors were removed.
func RemoveOrphanVectors(ctx context.Context, store ResourceGetter, vectors ragkb.VectorStore, log *slog.Logger) (int, error) {
	vo, ok := vectors.(VectorOwners)
	if !ok {
		return 0, nil // e.g. Qdrant: not supported
	}
	owners, err := vo.VectorResources(ctx)
	if err != nil {
		return 0, fmt.Errorf("indexer: list vector owners: %w", err)
	}
	n := 0
	for tenant, resources := range owners {
		for _, id := range resources {
			_, err := store.GetResource(ctx, tenant, id)
			if err == nil {
				continue
			}
			if !ragkb.IsNotFound(err) {
				return n, fmt.Errorf("indexer: check resource %s: %w", id, err)
			}
			if err := vo.DeleteResource(ctx, tenant, id); err != nil {
				return n, fmt.Errorf("indexer: delete orphan vectors of %s: %w", id, err)
			}
			log.Info("removed the vectors of a deleted resource", "tenant_id", tenant, "resource_id", id)
			n++
		}
	}
	return n, nil
}

// dropIfDeleted removes the resource's vectors when a failed run finds that
// the resource was deleted meanwhile (its vectors were written after the
// DELETE removed the others). A resource that still exists keeps them:
// a newer run may be writing the same chunk ids.
func (ix *Indexer) dropIfDeleted(r *ragkb.Resource) {
	g, ok := ix.cfg.Store.(ResourceGetter)
	d, ok2 := ix.cfg.Vectors.(interface {
		DeleteResource(ctx context.Context, tenantID, resourceID string) error
	})
	if !ok || !ok2 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := g.GetResource(ctx, r.TenantID, r.ID); !ragkb.IsNotFound(err) {
		return
	}
	if err := d.DeleteResource(ctx, r.TenantID, r.ID); err != nil {
		ix.cfg.Logger.Warn("indexer: delete the vectors of a resource deleted while it was indexed", "resource_id", r.ID, "err", err)
		return
	}
	ix.cfg.Logger.Info("indexer: the resource was deleted while it was indexed; its new vectors were removed", "resource_id", r.ID)
}
