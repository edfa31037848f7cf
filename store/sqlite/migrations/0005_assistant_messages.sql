-- Per-language fallback and agent messages and the agent opt-outs of an assistant (issue 9).
ALTER TABLE assistants ADD COLUMN fallback_messages TEXT NOT NULL DEFAULT 'null';
ALTER TABLE assistants ADD COLUMN agent_messages TEXT NOT NULL DEFAULT 'null';
ALTER TABLE assistants ADD COLUMN agent_opt_out TEXT NOT NULL DEFAULT 'null';
