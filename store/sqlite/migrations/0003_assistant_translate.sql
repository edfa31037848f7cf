-- issue 19: assistants may translate answers into the customer's language.
ALTER TABLE assistants ADD COLUMN translate INTEGER NOT NULL DEFAULT 0;
