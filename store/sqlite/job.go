package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ragkb/ragkb"
)

// insertJob enqueues job for resource r inside tx.
func (s *Store) insertJob(ctx context.Context, tx *sql.Tx, r *ragkb.Resource, job *ragkb.Job) error {
	if job.ID == "" {
		job.ID = ragkb.NewID("job")
	}
	job.TenantID, job.ResourceID = r.TenantID, r.ID
	if job.Kind == "" {
		job.Kind = ragkb.JobIndex
	}
	if job.CreatedAt.IsZero() {
		job.CreatedAt = s.now().UTC()
	}
	var until int64
	if job.LeaseOwner != "" && !job.LeaseUntil.IsZero() {
		until = job.LeaseUntil.UnixNano()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO jobs (id, tenant_id, resource_id, kind, attempts, lease_owner, lease_until, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, job.ID, job.TenantID, job.ResourceID, string(job.Kind), job.Attempts,
		job.LeaseOwner, until, job.CreatedAt.UnixNano())
	return err
}

// ClaimJob leases the oldest job that is not leased or whose lease expired
// at now. The single UPDATE ... RETURNING runs on the one writer connection,
// so two callers never claim the same job.
func (s *Store) ClaimJob(ctx context.Context, owner string, lease time.Duration) (*ragkb.Job, error) {
	if owner == "" {
		return nil, ragkb.Invalid("owner", "a lease owner is required")
	}
	if lease <= 0 {
		return nil, ragkb.Invalid("lease", "the lease duration must be positive")
	}
	now := s.now()
	var j ragkb.Job
	var kind string
	var until, created int64
	err := s.w.QueryRowContext(ctx, `UPDATE jobs SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
		WHERE seq = (SELECT seq FROM jobs WHERE lease_owner = '' OR lease_until <= ? ORDER BY created_at, seq LIMIT 1)
		RETURNING id, tenant_id, resource_id, kind, attempts, lease_owner, lease_until, created_at`,
		owner, now.Add(lease).UnixNano(), now.UnixNano()).
		Scan(&j.ID, &j.TenantID, &j.ResourceID, &kind, &j.Attempts, &j.LeaseOwner, &until, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("job")
	}
	if err != nil {
		return nil, translate("claim job", "job", err)
	}
	j.Kind = ragkb.JobKind(kind)
	j.LeaseUntil, j.CreatedAt = time.Unix(0, until).UTC(), time.Unix(0, created).UTC()
	return &j, nil
}

// errLeaseLost is returned when a worker no longer holds its job.
func errLeaseLost() error {
	return ragkb.Errorf(ragkb.ECONFLICT, "the job's lease was lost to another worker or the job was replaced")
}

// ExtendLease pushes the lease to the store's now + lease; ECONFLICT if the
// lease was lost.
func (s *Store) ExtendLease(ctx context.Context, l ragkb.Lease, lease time.Duration) error {
	if l.Owner == "" || l.JobID == "" {
		return errLeaseLost()
	}
	res, err := s.w.ExecContext(ctx, `UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?`,
		s.now().Add(lease).UnixNano(), l.JobID, l.Owner)
	if err != nil {
		return translate("extend lease", "job", err)
	}
	return leaseResult(res)
}

func leaseResult(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return translate("check lease", "job", err)
	}
	if n == 0 {
		return errLeaseLost()
	}
	return nil
}

// FinishJob saves r and deletes the job, atomically; ECONFLICT if the lease was lost.
func (s *Store) FinishJob(ctx context.Context, l ragkb.Lease, r *ragkb.Resource) error {
	if l.Owner == "" || l.JobID == "" {
		return errLeaseLost()
	}
	v := r.Version
	err := s.write(ctx, func(tx *sql.Tx) error {
		var resourceID string
		err := tx.QueryRowContext(ctx, `SELECT resource_id FROM jobs WHERE id = ? AND lease_owner = ?`, l.JobID, l.Owner).Scan(&resourceID)
		if errors.Is(err, sql.ErrNoRows) {
			return errLeaseLost()
		}
		if err != nil {
			return err
		}
		if resourceID != r.ID {
			return ragkb.Invalid("resource", "the job belongs to another resource")
		}
		if err := s.updateResource(ctx, tx, r, false); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, l.JobID)
		return err
	})
	if err != nil {
		r.Version = v // the transaction rolled back
	}
	return translate("finish job", "job", err)
}

// ReleaseJob gives the job back so that another worker can claim it at once.
func (s *Store) ReleaseJob(ctx context.Context, l ragkb.Lease) error {
	if l.Owner == "" || l.JobID == "" {
		return errLeaseLost()
	}
	res, err := s.w.ExecContext(ctx, `UPDATE jobs SET lease_owner = '', lease_until = 0 WHERE id = ? AND lease_owner = ?`,
		l.JobID, l.Owner)
	if err != nil {
		return translate("release job", "job", err)
	}
	return leaseResult(res)
}
