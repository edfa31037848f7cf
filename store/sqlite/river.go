package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ragkb/ragkb"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrateRiver applies River's own migrations (its job tables) on the
// writer connection, after ours: webhook deliveries are River jobs.
func (s *Store) migrateRiver(ctx context.Context) error {
	m, err := rivermigrate.New(riversqlite.New(s.w), nil)
	if err != nil {
		return fmt.Errorf("sqlite: river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("sqlite: river migrations: %w", err)
	}
	jobs, err := river.NewClient(riversqlite.New(s.w), &river.Config{MaxAttempts: ragkb.WebhookMaxAttempts, Logger: s.log})
	if err != nil {
		return fmt.Errorf("sqlite: river client: %w", err)
	}
	s.jobs = jobs
	return s.queueLegacyDeliveries(ctx)
}

// queueLegacyDeliveries inserts a River job for every pending delivery
// that has none: those left by a version before River (and any whose job
// River gave up on while its outcome could not be saved), so none is
// stranded. RecordEvent commits a delivery with its job, so a running
// system finds none.
func (s *Store) queueLegacyDeliveries(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: queue pending deliveries: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT d.id, d.tenant_id, d.webhook_id, d.event_id FROM deliveries d
		WHERE d.status = 'pending' AND NOT EXISTS (SELECT 1 FROM river_job j
			WHERE j.state NOT IN ('completed', 'cancelled', 'discarded') AND j.kind = ?
			AND json_extract(j.args, '$.delivery_id') = d.id)`, ragkb.DeliveryJob{}.Kind())
	if err != nil {
		return fmt.Errorf("sqlite: queue pending deliveries: %w", err)
	}
	var params []river.InsertManyParams
	for rows.Next() {
		var j ragkb.DeliveryJob
		if err := rows.Scan(&j.DeliveryID, &j.TenantID, &j.WebhookID, &j.EventID); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: queue pending deliveries: %w", err)
		}
		params = append(params, river.InsertManyParams{Args: j})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: queue pending deliveries: %w", err)
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := s.jobs.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("sqlite: queue pending deliveries: %w", err)
	}
	s.log.Info("sqlite: queued pending deliveries that had no River job", "deliveries", len(params))
	return tx.Commit()
}

// RiverDB is the database River's SQLite driver runs on (the single writer
// connection: SQLite has one writer), for the webhook delivery worker.
func (s *Store) RiverDB() *sql.DB { return s.w }

// RecordEvent stores e and its deliveries, and inserts one River job
// (ragkb.DeliveryJob) per delivery, in one transaction: an event is never
// kept without the jobs that deliver it, nor a job queued for an event
// that was rolled back. A delivery whose webhook is not (or no longer)
// the event tenant's is skipped: the event is kept.
func (s *Store) RecordEvent(ctx context.Context, e *ragkb.Event, ds []*ragkb.Delivery) error {
	ragkb.PrepareRecord(e, ds, s.now().UTC())
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return translate("record event", "event", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.TenantID, string(e.Type), e.ResourceID, e.AssistantID, e.Question, e.Detail, ts(e.CreatedAt), e.AccountID); err != nil {
		return translate("record event", "event", err)
	}
	for _, d := range ds {
		res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ? AND tenant_id = ?)`,
			d.ID, d.TenantID, d.WebhookID, d.EventID, d.Status, d.Attempts, d.LastCode, d.LastError, tsp(d.NextAttempt),
			ts(d.CreatedAt), ts(d.UpdatedAt), d.WebhookID, d.TenantID)
		if err != nil {
			return translate("record event delivery", "delivery", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			continue // the webhook was deleted meanwhile (or is not the tenant's): no delivery
		}
		if _, err := s.jobs.InsertTx(ctx, tx, ragkb.DeliveryJob{DeliveryID: d.ID, TenantID: d.TenantID,
			WebhookID: d.WebhookID, EventID: d.EventID}, nil); err != nil {
			return fmt.Errorf("sqlite: queue delivery job: %w", err)
		}
	}
	return translate("record event", "event", tx.Commit())
}
