-- Orders resources: the live order connection (source, url, token, templates).
ALTER TABLE resources ADD COLUMN orders jsonb;
