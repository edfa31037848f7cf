-- The question log behind /v1/insights: answer ids, redacted question text,
-- language, confidence, citations, cost and feedback on every answer log.
ALTER TABLE answer_logs ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN question TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN confidence REAL NOT NULL DEFAULT 0;
ALTER TABLE answer_logs ADD COLUMN citations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE answer_logs ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN cost REAL NOT NULL DEFAULT 0;
ALTER TABLE answer_logs ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE answer_logs ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN feedback TEXT;
CREATE INDEX answer_logs_tenant_id ON answer_logs (tenant_id, id);
CREATE INDEX answer_logs_created ON answer_logs (created_at);
