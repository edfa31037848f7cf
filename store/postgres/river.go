package postgres

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ragkb/ragkb"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// migrateRiver applies River's migrations (its job tables: webhook
// deliveries are River jobs) through a short-lived pool on ccfg, each
// version in its own transaction (River's advice: a version may use an
// enum value the one before added). migrate calls it while holding the
// migration lock, so processes starting at once run them one at a time.
// Then it queues the deliveries left pending from before River (on conn).
func migrateRiver(ctx context.Context, ccfg *pgx.ConnConfig, conn *pgx.Conn) error {
	pcfg, err := pgxpool.ParseConfig("")
	if err != nil {
		return fmt.Errorf("postgres: river migrations: %w", err)
	}
	pcfg.ConnConfig = ccfg.Copy()
	pcfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return translate("river migrations", "database", err)
	}
	defer pool.Close()
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("postgres: river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("postgres: river migrations: %w", err)
	}
	return queueLegacyDeliveries(ctx, conn)
}

// queueLegacyDeliveries inserts a River job for every pending delivery
// that has none: those left by a version before River (and any whose job
// River gave up on while its outcome could not be saved), so none is
// stranded. It runs under the migration lock, so two processes starting at
// once do not both queue one. RecordEvent commits a delivery with its job,
// so a running system finds none.
func queueLegacyDeliveries(ctx context.Context, conn *pgx.Conn) error {
	jobs, err := jobClient(slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT d.id, d.tenant_id, d.webhook_id, d.event_id FROM deliveries d
			WHERE d.status = 'pending' AND NOT EXISTS (SELECT 1 FROM river_job j
				WHERE j.state NOT IN ('completed', 'cancelled', 'discarded') AND j.kind = $1
				AND j.args->>'delivery_id' = d.id)`, ragkb.DeliveryJob{}.Kind())
		params, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (river.InsertManyParams, error) {
			var j ragkb.DeliveryJob
			err := row.Scan(&j.DeliveryID, &j.TenantID, &j.WebhookID, &j.EventID)
			return river.InsertManyParams{Args: j}, err
		})
		if err != nil || len(params) == 0 {
			return err
		}
		_, err = jobs.InsertManyTx(ctx, tx, params)
		return err
	})
	return translate("queue pending deliveries", "database", err)
}

// Pool is the connection pool, for the webhook delivery worker's River client.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// jobClient is an insert-only River client: it inserts delivery jobs in
// the store's transactions.
func jobClient(log *slog.Logger) (*river.Client[pgx.Tx], error) {
	return river.NewClient(riverpgxv5.New(nil), &river.Config{MaxAttempts: ragkb.WebhookMaxAttempts, Logger: log})
}

// RecordEvent stores e and its deliveries, and inserts one River job
// (ragkb.DeliveryJob) per delivery, in one transaction: an event is never
// kept without the jobs that deliver it, nor a job queued for an event
// that was rolled back. A delivery whose webhook is not (or no longer)
// the event tenant's is skipped: the event is kept.
func (s *Store) RecordEvent(ctx context.Context, e *ragkb.Event, ds []*ragkb.Delivery) error {
	ragkb.PrepareRecord(e, ds, s.clock())
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO events (`+eventColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			e.ID, e.TenantID, string(e.Type), e.ResourceID, e.AssistantID, pgText(e.Question), pgText(e.Detail), e.CreatedAt, e.AccountID); err != nil {
			return translate("record event", "event", err)
		}
		for _, d := range ds {
			tag, err := tx.Exec(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
				SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
				WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $3 AND tenant_id = $2)`,
				d.ID, d.TenantID, d.WebhookID, d.EventID, d.Status, d.Attempts, d.LastCode, d.LastError, d.NextAttempt,
				d.CreatedAt, d.UpdatedAt)
			if err != nil {
				return translate("record event delivery", "delivery", err)
			}
			if tag.RowsAffected() == 0 {
				continue // the webhook was deleted meanwhile (or is not the tenant's): no delivery
			}
			if _, err := s.jobs.InsertTx(ctx, tx, ragkb.DeliveryJob{DeliveryID: d.ID, TenantID: d.TenantID,
				WebhookID: d.WebhookID, EventID: d.EventID}, nil); err != nil {
				return fmt.Errorf("postgres: queue delivery job: %w", err)
			}
		}
		return nil
	})
}
