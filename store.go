package ragkb

import (
	"context"
	"time"
)

// Store keeps everything except vectors: tenants, keys, resources, documents,
// chunks (with lexical search), jobs, events, assistants, intents, webhooks and
// answer logs. Backends: store/sqlite (embedded default) and store/postgres.
// Both pass store/storetest.
//
// Every method that takes a tenantID scopes its query by it; an object of
// another tenant is ENOTFOUND. Only methods documented so accept tenantID ""
// (meaning every tenant, for admins).
type Store interface {
	// Ping checks that the store is reachable (readiness).
	Ping(ctx context.Context) error
	Close() error

	CreateTenant(ctx context.Context, t *Tenant) error
	GetTenant(ctx context.Context, id string) (*Tenant, error)
	ListTenants(ctx context.Context) ([]*Tenant, error)
	// TenantVersion is a counter bumped whenever the tenant's documents or
	// intents change; caches (the intent classifier) use it to know when to rebuild.
	TenantVersion(ctx context.Context, tenantID string) (int64, error)

	CreateAPIKey(ctx context.Context, k *APIKey) error
	// GetAPIKeyByHash finds a key by the hash of its secret; ENOTFOUND if none.
	GetAPIKeyByHash(ctx context.Context, hash string) (*APIKey, error)
	// CountAPIKeys counts keys with the role (used to bootstrap the admin key).
	CountAPIKeys(ctx context.Context, role Role) (int, error)
	// ListAPIKeys lists a tenant's keys, oldest first; tenantID "" lists the
	// admin keys (which belong to no tenant).
	ListAPIKeys(ctx context.Context, tenantID string) ([]*APIKey, error)
	// DeleteAPIKey revokes a key of the tenant ("" = an admin key); ENOTFOUND
	// if the tenant has no such key.
	DeleteAPIKey(ctx context.Context, tenantID, id string) error
	// TouchAPIKey records that the key was used at t.
	TouchAPIKey(ctx context.Context, id string, t time.Time) error

	// CreateResource inserts r and, atomically with it, job.
	CreateResource(ctx context.Context, r *Resource, job *Job) error
	// GetResource returns the resource; tenantID "" matches any tenant (admin).
	GetResource(ctx context.Context, tenantID, id string) (*Resource, error)
	// ListResources lists resources, newest first; f.TenantID "" lists every tenant's.
	ListResources(ctx context.Context, f ResourceFilter) ([]*Resource, error)
	// UpdateResource saves every field of r (matched by r.TenantID and r.ID)
	// if r.Version is still the stored version (ECONFLICT otherwise, nothing
	// saved), and increments r.Version.
	// When job is non-nil, any pending or running job of the resource is
	// removed (its worker loses its lease) and job is enqueued, atomically.
	UpdateResource(ctx context.Context, r *Resource, job *Job) error
	// DeleteResource removes the resource with its documents, chunks and
	// jobs; ENOTFOUND if the tenant has no such resource. (Its vectors are
	// removed by VectorStore.DeleteResource, by resource id.)
	DeleteResource(ctx context.Context, tenantID, id string) error

	// ListDocuments lists documents (with hashes), ordered by resource then source id.
	ListDocuments(ctx context.Context, f DocumentFilter) ([]*Document, error)
	// ApplyIndex writes the result of an indexing run in one transaction:
	// upserts c.Upsert documents (by ID), replaces all chunks of those
	// documents with c.Chunks, deletes the c.Delete documents and their chunks,
	// updates the resource's document and chunk counts and bumps the tenant
	// version. It fails with ECONFLICT, writing nothing, unless c.Lease is
	// still held. It returns the ids of chunks that no longer exist after the
	// change (never an id the change writes again), so deleting their vectors
	// can never remove a new one.
	ApplyIndex(ctx context.Context, c IndexChange) (removedChunkIDs []string, err error)
	// GetChunks returns the tenant's chunks with these ids; unknown ids are skipped.
	GetChunks(ctx context.Context, tenantID string, ids []string) ([]*Chunk, error)
	// SearchLexical ranks the tenant's chunks by lexical relevance (BM25 or
	// equivalent); higher Score is better.
	SearchLexical(ctx context.Context, q LexicalQuery) ([]ChunkHit, error)

	// ClaimJob leases the oldest job that is not leased or whose lease has
	// expired, for lease from now, incrementing its Attempts. ENOTFOUND when
	// there is none. Two callers never hold the same job at once. Leases are
	// taken, extended and checked (ApplyIndex, ClaimJob) with the store's
	// own clock, never a caller's, so callers with skewed clocks agree.
	ClaimJob(ctx context.Context, owner string, lease time.Duration) (*Job, error)
	// ExtendLease pushes the lease to the store's now + lease; ECONFLICT if
	// the lease was lost.
	ExtendLease(ctx context.Context, l Lease, lease time.Duration) error
	// FinishJob saves r (as UpdateResource without a job, but guarded by the
	// lease instead of r.Version) and deletes the job, atomically; ECONFLICT
	// (and nothing saved) if the lease was lost. It increments r.Version.
	FinishJob(ctx context.Context, l Lease, r *Resource) error
	// ReleaseJob gives the job back so another worker can claim it at once.
	ReleaseJob(ctx context.Context, l Lease) error

	CreateEvent(ctx context.Context, e *Event) error
	// ListEvents lists events newest first; f.TenantID "" lists every tenant's.
	ListEvents(ctx context.Context, f EventFilter) ([]*Event, error)

	CreateAssistant(ctx context.Context, a *Assistant) error
	GetAssistant(ctx context.Context, tenantID, id string) (*Assistant, error)
	ListAssistants(ctx context.Context, tenantID string) ([]*Assistant, error)
	UpdateAssistant(ctx context.Context, a *Assistant) error
	DeleteAssistant(ctx context.Context, tenantID, id string) error

	// CreateIntent adds or replaces (by tenant and name) a tenant's intent.
	CreateIntent(ctx context.Context, d *IntentDef) error
	ListIntents(ctx context.Context, tenantID string) ([]*IntentDef, error)
	DeleteIntent(ctx context.Context, tenantID, name string) error

	CreateWebhook(ctx context.Context, w *Webhook) error
	ListWebhooks(ctx context.Context, tenantID string) ([]*Webhook, error)
	DeleteWebhook(ctx context.Context, tenantID, id string) error
	CreateDelivery(ctx context.Context, d *Delivery) error
	// RecordEvent stores e (filling ID and CreatedAt when empty) and ds
	// (each given e's tenant and ID) with one DeliveryJob per delivery, in
	// one transaction. A delivery whose webhook is not (or no longer) e's
	// tenant's is skipped; the event is kept.
	RecordEvent(ctx context.Context, e *Event, ds []*Delivery) error
	UpdateDelivery(ctx context.Context, d *Delivery) error
	// ListDeliveries lists a tenant's deliveries newest first (webhookID "" = all).
	ListDeliveries(ctx context.Context, tenantID, webhookID string, limit int) ([]*Delivery, error)
	// GetEvent returns one event (for webhook delivery).
	GetEvent(ctx context.Context, tenantID, id string) (*Event, error)
	// GetWebhook returns one webhook (for delivery).
	GetWebhook(ctx context.Context, tenantID, id string) (*Webhook, error)

	// CreateAccount inserts a connected account (Version set to 1).
	CreateAccount(ctx context.Context, a *Account) error
	// GetAccount returns the account; tenantID "" matches any tenant.
	GetAccount(ctx context.Context, tenantID, id string) (*Account, error)
	// ListAccounts lists accounts, newest first; f.TenantID "" lists every tenant's.
	ListAccounts(ctx context.Context, f AccountFilter) ([]*Account, error)
	// UpdateAccount saves every field of a (matched by a.TenantID and a.ID)
	// if a.Version is still the stored version, and increments a.Version;
	// ECONFLICT, writing nothing, if another update came first.
	UpdateAccount(ctx context.Context, a *Account) error
	// DeleteAccount removes the account (resources naming it are kept).
	DeleteAccount(ctx context.Context, tenantID, id string) error

	RecordAnswer(ctx context.Context, l *AnswerLog) error
	// ListAnswerLogs lists a tenant's answer logs created at or after since.
	ListAnswerLogs(ctx context.Context, tenantID string, since time.Time) ([]*AnswerLog, error)

	// RecordAnswers appends answer logs in one transaction (the question
	// log's batched writer); zero CreatedAt values are filled in.
	RecordAnswers(ctx context.Context, logs []*AnswerLog) error
	// FindAnswerLogs lists a tenant's answer logs in a time range, oldest first.
	FindAnswerLogs(ctx context.Context, f AnswerLogFilter) ([]*AnswerLog, error)
	// GetAnswerLog returns one answer log by its answer id; ENOTFOUND if the
	// tenant has none with that id.
	GetAnswerLog(ctx context.Context, tenantID, id string) (*AnswerLog, error)
	// SetAnswerFeedback replaces the feedback of one answer; ENOTFOUND if the
	// tenant has no answer with that id.
	SetAnswerFeedback(ctx context.Context, tenantID, id string, f *Feedback) error
	// DeleteAnswerLogs deletes answer logs (privacy requests, retention) and
	// returns how many went. EINVALID for d.TenantID "" without d.Before.
	DeleteAnswerLogs(ctx context.Context, d AnswerLogDeletion) (int64, error)
}

// ResourceFilter selects resources. Empty fields match everything.
type ResourceFilter struct {
	TenantID string
	Status   ResourceStatus
	Types    []ResourceType
	// AccountID selects the resources that read through this account.
	AccountID string
	Limit     int // 0 = no limit
	// NoSpec leaves out the knowledge base of the resources (a large one
	// holds every custom question): for callers that need names and
	// statuses only.
	NoSpec bool
}

// DocumentFilter selects documents of one tenant.
type DocumentFilter struct {
	TenantID    string // required
	ResourceIDs []string
	Kind        DocKind
}

// EventFilter selects events.
type EventFilter struct {
	TenantID string
	Type     EventType
	Limit    int // 0 = a backend default of 100
}

// Lease identifies a job held by a worker.
type Lease struct {
	JobID string
	Owner string
}

// IndexChange is the outcome of one indexing run, applied atomically.
type IndexChange struct {
	TenantID   string
	ResourceID string
	Lease      Lease
	Upsert     []*Document // new or changed documents
	Chunks     []*Chunk    // all chunks of the Upsert documents
	Delete     []string    // ids of documents gone from the source
}

// LexicalQuery is a full-text query over one tenant's chunks.
type LexicalQuery struct {
	TenantID    string
	ResourceIDs []string // empty = all the tenant's resources
	Text        string
	Limit       int
}

// ChunkHit is a ranked chunk id; higher Score is better.
type ChunkHit struct {
	ChunkID string
	Score   float64
}

// VectorStore keeps chunk vectors and finds nearest neighbours by cosine
// similarity within one tenant. Backends: store/vectorindex (embedded),
// store/postgres (pgvector, through postgres.Store.Vectors: a separate type
// because the two DeleteResource contracts differ: the Store's is ENOTFOUND
// for an unknown resource, the VectorStore's succeeds and removes vectors
// whose resource rows are already gone, which orphan clean-up relies on) and
// store/qdrant. All pass storetest.RunVectorStore: K <= 0 and vectors of the
// wrong dimension are EINVALID, an empty tenant has no hits and no error.
type VectorStore interface {
	// Upsert inserts or replaces vectors by ChunkID.
	Upsert(ctx context.Context, recs []VectorRecord) error
	// Delete removes the tenant's vectors with these chunk ids (unknown ids are ignored).
	Delete(ctx context.Context, tenantID string, chunkIDs []string) error
	// DeleteResource removes every vector of a resource; a resource with
	// no vectors (or no longer in the Store) is not an error.
	DeleteResource(ctx context.Context, tenantID, resourceID string) error
	// Search returns up to q.K hits, best first, never from another tenant.
	Search(ctx context.Context, q VectorQuery) ([]VectorHit, error)
	Close() error
}

// VectorRecord is one chunk's vector and the keys it is filtered by.
type VectorRecord struct {
	ChunkID    string
	TenantID   string
	ResourceID string
	DocumentID string
	Vector     []float32
}

// VectorQuery is a nearest-neighbour query.
type VectorQuery struct {
	TenantID    string
	ResourceIDs []string // empty = all the tenant's resources
	Vector      []float32
	K           int
}

// VectorHit is a neighbour; Score is the cosine similarity (higher is better).
type VectorHit struct {
	ChunkID string
	Score   float64
}

// Embedder turns texts into L2-normalised vectors of Dimensions() floats.
// Implementations: embed.Local (pure Go) and embed.OpenAI (any
// OpenAI-compatible /v1/embeddings).
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	Dimensions() int
	// Name identifies the model, so an index built by another model is noticed.
	Name() string
}

// QueryEmbedder is an optional capability of an Embedder whose model embeds
// search queries differently from the passages they should find (e5, bge,
// nomic…): Embed is for passages, EmbedQuery for queries. Use EmbedQueries,
// which falls back to Embed for embedders without it.
type QueryEmbedder interface {
	EmbedQuery(ctx context.Context, texts []string) ([][]float32, error)
}

// EmbedQueries embeds texts as search queries: with EmbedQuery when e has
// it, else with Embed.
func EmbedQueries(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
	if q, ok := e.(QueryEmbedder); ok {
		return q.EmbedQuery(ctx, texts)
	}
	return e.Embed(ctx, texts)
}

// Connector reads a resource's source into documents. Documents carry a
// stable SourceID and a Hash (Document.ComputeHash). A failure the merchant
// must act on is a *Error whose Message says what to do; partial failures
// (some items unreadable) are reported in FetchResult.Warnings.
type Connector interface {
	Fetch(ctx context.Context, r *Resource) (*FetchResult, error)
}

// ConnectorFunc adapts a function to Connector.
type ConnectorFunc func(ctx context.Context, r *Resource) (*FetchResult, error)

// Fetch calls f.
func (f ConnectorFunc) Fetch(ctx context.Context, r *Resource) (*FetchResult, error) {
	return f(ctx, r)
}

// FetchResult is what a connector read.
type FetchResult struct {
	Documents []*Document
	Warnings  []string
	// Skipped counts items that could not be read (each should have a warning).
	Skipped int
	// Incomplete says, in words a merchant can act on, why the source was
	// read only in part: a feed cut off halfway, a sitemap or listing that
	// ended early. What was not read is unknown, not gone: the indexer then
	// deletes nothing unless the merchant confirmed the run.
	Incomplete []string
	// Unread are the SourceIDs of items the source still lists but that could
	// not be read this time (a page that timed out): their indexed documents
	// are kept as they are.
	Unread []string
}

// Check verifies that every document and chunk of c belongs to c's tenant
// and resource (filling keys left empty) and that every chunk belongs to an
// upserted document. Backends call it first in ApplyIndex.
func (c *IndexChange) Check() error {
	if c.TenantID == "" || c.ResourceID == "" {
		return Invalid("resource_id", "the tenant and resource of an index change are required")
	}
	docs := make(map[string]bool, len(c.Upsert))
	for _, d := range c.Upsert {
		if d.ID == "" {
			return Invalid("documents", "a document has no id")
		}
		if (d.TenantID != "" && d.TenantID != c.TenantID) || (d.ResourceID != "" && d.ResourceID != c.ResourceID) {
			return Invalid("documents", "document %s belongs to another resource", d.ID)
		}
		d.TenantID, d.ResourceID = c.TenantID, c.ResourceID
		docs[d.ID] = true
	}
	for _, ch := range c.Chunks {
		if ch.ID == "" {
			return Invalid("chunks", "a chunk has no id")
		}
		if !docs[ch.DocumentID] {
			return Invalid("chunks", "chunk %s does not belong to an upserted document", ch.ID)
		}
		if (ch.TenantID != "" && ch.TenantID != c.TenantID) || (ch.ResourceID != "" && ch.ResourceID != c.ResourceID) {
			return Invalid("chunks", "chunk %s belongs to another resource", ch.ID)
		}
		ch.TenantID, ch.ResourceID = c.TenantID, c.ResourceID
	}
	return nil
}
