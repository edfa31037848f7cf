-- The question log behind /v1/insights: answer ids, redacted question text,
-- language, confidence, citations, cost and feedback on every answer log.
ALTER TABLE answer_logs
	ADD COLUMN id text NOT NULL DEFAULT '',
	ADD COLUMN question text NOT NULL DEFAULT '',
	ADD COLUMN language text NOT NULL DEFAULT '',
	ADD COLUMN confidence double precision NOT NULL DEFAULT 0,
	ADD COLUMN citations jsonb NOT NULL DEFAULT '[]',
	ADD COLUMN model text NOT NULL DEFAULT '',
	ADD COLUMN cost double precision NOT NULL DEFAULT 0,
	ADD COLUMN turn integer NOT NULL DEFAULT 0,
	ADD COLUMN reason text NOT NULL DEFAULT '',
	ADD COLUMN feedback jsonb;
CREATE INDEX answer_logs_tenant_id ON answer_logs (tenant_id, id);
CREATE INDEX answer_logs_created ON answer_logs (created_at);
