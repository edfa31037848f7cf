-- Ticket triage: the assistant's triage rules and each answer's triage.
ALTER TABLE assistants ADD COLUMN triage jsonb;
ALTER TABLE answer_logs ADD COLUMN topic text NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN priority text NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN sentiment text NOT NULL DEFAULT '';
