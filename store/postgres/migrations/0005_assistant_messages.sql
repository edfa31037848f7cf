-- Per-language fallback and agent messages and the agent opt-outs of an assistant (issue 9).
ALTER TABLE assistants ADD COLUMN fallback_messages jsonb;
ALTER TABLE assistants ADD COLUMN agent_messages jsonb;
ALTER TABLE assistants ADD COLUMN agent_opt_out jsonb;
