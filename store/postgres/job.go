package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
)

const jobColumns = `id, tenant_id, resource_id, kind, attempts, lease_owner, lease_until, created_at`

func scanJob(row pgx.Row) (*ragkb.Job, error) {
	var j ragkb.Job
	var until *time.Time
	if err := row.Scan(&j.ID, &j.TenantID, &j.ResourceID, &j.Kind, &j.Attempts, &j.LeaseOwner, &until, &j.CreatedAt); err != nil {
		return nil, err
	}
	if until != nil {
		j.LeaseUntil = until.UTC()
	}
	j.CreatedAt = utc(j.CreatedAt)
	return &j, nil
}

// insertJob inserts job for resource r inside tx, filling in its id, tenant,
// resource and creation time when unset.
func insertJob(ctx context.Context, tx pgx.Tx, r *ragkb.Resource, job *ragkb.Job, now time.Time) error {
	if job.ID == "" {
		job.ID = ragkb.NewID("job")
	}
	job.TenantID, job.ResourceID = r.TenantID, r.ID
	if job.Kind == "" {
		job.Kind = ragkb.JobIndex
	}
	if job.CreatedAt.IsZero() {
		job.CreatedAt = now
	}
	var until *time.Time
	if job.LeaseOwner != "" && !job.LeaseUntil.IsZero() {
		until = &job.LeaseUntil
	}
	_, err := tx.Exec(ctx, `INSERT INTO jobs (`+jobColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		job.ID, job.TenantID, job.ResourceID, string(job.Kind), job.Attempts, job.LeaseOwner,
		until, job.CreatedAt)
	return err
}

// ClaimJob leases the oldest job that is not leased or whose lease expired
// before now. The row is chosen and locked with FOR UPDATE SKIP LOCKED, so
// concurrent claimers (in any process) each get a different job.
func (s *Store) ClaimJob(ctx context.Context, owner string, lease time.Duration) (*ragkb.Job, error) {
	if owner == "" {
		return nil, ragkb.Invalid("owner", "a lease owner is required")
	}
	if lease <= 0 {
		return nil, ragkb.Invalid("lease", "the lease duration must be positive")
	}
	now := s.now()
	j, err := scanJob(s.pool.QueryRow(ctx, `UPDATE jobs SET lease_owner = $1, lease_until = $3, attempts = attempts + 1
		WHERE id = (
			SELECT id FROM jobs
			WHERE lease_owner = '' OR lease_until IS NULL OR lease_until <= $2
			ORDER BY created_at, seq
			LIMIT 1
			FOR UPDATE SKIP LOCKED)
		RETURNING `+jobColumns, owner, now, now.Add(lease)))
	if err != nil {
		return nil, translate("claim job", "job", err)
	}
	return j, nil
}

// ExtendLease pushes the lease to the store's now + lease; ECONFLICT if the
// lease was lost.
func (s *Store) ExtendLease(ctx context.Context, l ragkb.Lease, lease time.Duration) error {
	if l.JobID == "" || l.Owner == "" {
		return leaseLost(l)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE jobs SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 AND lease_owner <> ''`,
		l.JobID, l.Owner, s.now().Add(lease))
	if err != nil {
		return translate("extend lease", "job", err)
	}
	if tag.RowsAffected() == 0 {
		return leaseLost(l)
	}
	return nil
}

// FinishJob saves r and deletes the job in one transaction; ECONFLICT (and
// nothing saved) if the lease was lost.
func (s *Store) FinishJob(ctx context.Context, l ragkb.Lease, r *ragkb.Resource) error {
	v := r.Version
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		resourceID, err := checkLease(ctx, tx, l)
		if err != nil {
			return err
		}
		if resourceID != r.ID {
			return ragkb.Invalid("resource", "the job belongs to another resource")
		}
		if err := s.updateResource(ctx, tx, r, false); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM jobs WHERE id = $1`, l.JobID)
		return err
	})
	if err != nil {
		r.Version = v // the transaction rolled back
	}
	return translate("finish job", "job", err)
}

// ReleaseJob gives the job back so another worker can claim it at once;
// ECONFLICT if the lease was lost.
func (s *Store) ReleaseJob(ctx context.Context, l ragkb.Lease) error {
	if l.JobID == "" || l.Owner == "" {
		return leaseLost(l)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE jobs SET lease_owner = '', lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND lease_owner <> ''`,
		l.JobID, l.Owner)
	if err != nil {
		return translate("release job", "job", err)
	}
	if tag.RowsAffected() == 0 {
		return leaseLost(l)
	}
	return nil
}
