package postgres

import (
	"context"
)

// VectorResources lists, by tenant, the resources that hold vectors (for
// indexer.RemoveOrphanVectors).
func (v *VectorStore) VectorResources(ctx context.Context) (map[string][]string, error) {
	if err := v.check("list vector resources"); err != nil {
		return nil, err
	}
	rows, err := v.s.pool.Query(ctx, `SELECT DISTINCT tenant_id, resource_id FROM vectors ORDER BY tenant_id, resource_id`)
	if err != nil {
		return nil, translate("list vector resources", "vector", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var tenant, resource string
		if err := rows.Scan(&tenant, &resource); err != nil {
			return nil, translate("list vector resources", "vector", err)
		}
		out[tenant] = append(out[tenant], resource)
	}
	return out, translate("list vector resources", "vector", rows.Err())
}
