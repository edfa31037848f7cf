-- Ticket triage: the assistant's triage rules and each answer's triage.
ALTER TABLE assistants ADD COLUMN triage TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN priority TEXT NOT NULL DEFAULT '';
ALTER TABLE answer_logs ADD COLUMN sentiment TEXT NOT NULL DEFAULT '';
