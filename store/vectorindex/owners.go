package vectorindex

import (
	"context"
	"slices"
)

// VectorResources lists, by tenant, the resources that hold live vectors
// (for indexer.RemoveOrphanVectors).
func (s *Store) VectorResources(ctx context.Context) (map[string][]string, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errClosed
	}
	parts := make(map[string]*partition, len(s.parts))
	for t, p := range s.parts {
		parts[t] = p
	}
	s.mu.Unlock()
	out := map[string][]string{}
	for tenant, p := range parts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.mu.RLock()
		for i, name := range p.ix.resNames {
			if len(p.ix.resSlots[i]) > 0 {
				out[tenant] = append(out[tenant], name)
			}
		}
		p.mu.RUnlock()
		slices.Sort(out[tenant])
	}
	return out, nil
}
