package ragkb

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// ResourceType is the kind of knowledge a resource holds.
type ResourceType string

// Resource types.
const (
	TypeKnowledgeBase ResourceType = "knowledge_base"
	TypeFAQPage       ResourceType = "faq_page"
	TypePolicy        ResourceType = "policy"
	TypeOffers        ResourceType = "offers"
	// TypeOrders is a live connection to the shop's orders: checked, never
	// indexed (no chunks), used to answer "where is my order?".
	TypeOrders ResourceType = "orders"
)

// ResourceStatus is the indexing state shown to merchants.
type ResourceStatus string

// Resource statuses. A resource is never left in StatusProcessing: its job is
// leased and taken over when a worker dies.
const (
	StatusProcessing ResourceStatus = "processing"
	StatusSuccess    ResourceStatus = "success"
	StatusFailed     ResourceStatus = "failed"
)

// Resource is one piece of knowledge a merchant gave the assistant.
//
// Content that was indexed successfully keeps answering while a newer version
// is processed, and after a failed refresh (chunks only change when a run
// succeeds).
type Resource struct {
	ID       string         `json:"id"`
	TenantID string         `json:"tenant_id,omitempty"`
	Name     string         `json:"name"`
	Type     ResourceType   `json:"type"`
	Language string         `json:"language,omitempty"`
	Status   ResourceStatus `json:"status"`
	Error    string         `json:"error,omitempty"`
	// Warnings lists partial failures of the last run (e.g. some offers unreadable).
	Warnings  []string  `json:"warnings,omitempty"`
	Attempts  int       `json:"attempts"`
	Documents int       `json:"documents"`
	Chunks    int       `json:"chunks"`
	LastRun   *RunStats `json:"last_run,omitempty"`

	KnowledgeBase *KnowledgeBase `json:"knowledge_base,omitempty"`
	FAQPage       *FAQPageSpec   `json:"faq_page,omitempty"`
	Policy        *PolicySpec    `json:"policy,omitempty"`
	Offers        *OffersSpec    `json:"offers,omitempty"`
	Orders        *OrdersSpec    `json:"orders,omitempty"`

	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	IndexedAt          *time.Time `json:"indexed_at,omitempty"`
	NextRefreshAt      *time.Time `json:"next_refresh_at,omitempty"`
	RefreshAvailableAt *time.Time `json:"refresh_available_at,omitempty"`
	// LastManualRefreshAt is when a merchant last asked for a refresh (offers: once a month).
	LastManualRefreshAt *time.Time `json:"last_manual_refresh_at,omitempty"`
	// Version counts the saves of the resource. UpdateResource saves only when
	// it still matches the stored one (optimistic concurrency), so two writers
	// that read the same version cannot silently undo each other.
	Version int64 `json:"-"`

	// ConfirmShrink is set by the worker for the run of a JobConfirmed job:
	// the merchant accepted that the source lost documents. Never stored.
	ConfirmShrink bool `json:"-"`
}

// RunStats says what the last successful indexing run did.
type RunStats struct {
	Added     int       `json:"added"`
	Changed   int       `json:"changed"`
	Removed   int       `json:"removed"`
	Unchanged int       `json:"unchanged"`
	Skipped   int       `json:"skipped,omitempty"`
	Embedded  int       `json:"embedded_chunks"`
	StartedAt time.Time `json:"started_at"`
	Duration  float64   `json:"duration_ms"`
}

// KnowledgeBase is the merchant questionnaire. Every field is optional.
type KnowledgeBase struct {
	DeliveryTime         string           `json:"delivery_time,omitempty"`
	StorePickup          string           `json:"store_pickup,omitempty"`
	DeliveryMethods      string           `json:"delivery_methods,omitempty"`
	Discounts            string           `json:"discounts,omitempty"`
	StoreLocation        string           `json:"store_location,omitempty"`
	NewProductsOnly      string           `json:"new_products_only,omitempty"`
	OriginalProductsOnly string           `json:"original_products_only,omitempty"`
	Warranty             string           `json:"warranty,omitempty"`
	Invoice              string           `json:"invoice,omitempty"`
	Custom               []CustomQuestion `json:"custom,omitempty"`
}

// CustomQuestion is a merchant's own question with its approved answer and
// other ways customers ask it.
type CustomQuestion struct {
	Question string   `json:"question"`
	Answer   string   `json:"answer"`
	Examples []string `json:"examples,omitempty"`
}

// FAQPageSpec points at a FAQ page, optionally crawling the site's sitemap.
type FAQPageSpec struct {
	URL      string `json:"url"`
	Sitemap  bool   `json:"sitemap,omitempty"`
	MaxPages int    `json:"max_pages,omitempty"`
}

// PolicySpec is a policy given by URL or inline content.
type PolicySpec struct {
	URL     string `json:"url,omitempty"`
	Title   string `json:"title,omitempty"`
	Content string `json:"content,omitempty"`
	Format  string `json:"format,omitempty"` // text, markdown, html
}

// OffersSpec selects a product offer source. Token is a secret: it is stored
// but never returned by the API.
type OffersSpec struct {
	Source string `json:"source"` // allegro, shopify, woocommerce, google_feed, schema_org
	URL    string `json:"url"`
	Token  string `json:"token,omitempty"`
	// AccountID names a connected account (allegro, shopify, woocommerce)
	// whose credentials are used instead of URL and Token.
	AccountID string `json:"account_id,omitempty"`
}

// OrdersSpec connects the shop's order API (source shopify, woocommerce or
// allegro). Token is a secret: stored, never returned. Templates override
// the default per-status answers: status (paid, processing, shipped, ...) →
// language ("en", "pl", ...) → text with {order}, {carrier},
// {tracking_number}, {tracking_url} and {estimated_delivery} placeholders.
type OrdersSpec struct {
	Source    string                       `json:"source"`
	URL       string                       `json:"url,omitempty"`
	Token     string                       `json:"token,omitempty"`
	Templates map[string]map[string]string `json:"templates,omitempty"`
}

// Offer sources.
const (
	SourceAllegro     = "allegro"
	SourceShopify     = "shopify"
	SourceWooCommerce = "woocommerce"
	SourceGoogleFeed  = "google_feed"
	SourceSchemaOrg   = "schema_org"
)

// Public returns a copy of r that is safe to show (secrets removed).
func (r *Resource) Public() *Resource {
	c := *r
	if r.Offers != nil {
		o := *r.Offers
		if o.Token != "" {
			o.Token = "********"
		}
		c.Offers = &o
	}
	if r.Orders != nil {
		o := *r.Orders
		if o.Token != "" {
			o.Token = "********"
		}
		c.Orders = &o
	}
	return &c
}

// DocKind says what a document is; it decides how it can be used to answer.
type DocKind string

// Document kinds.
const (
	// DocQA is an approved question and answer (questionnaire field, custom
	// question, FAQ entry): its Text may be returned verbatim.
	DocQA DocKind = "qa"
	// DocPage is prose (a policy section, a page).
	DocPage DocKind = "page"
	// DocOffer is a product offer.
	DocOffer DocKind = "offer"
)

// Document is one unit of knowledge produced by a connector: a question and
// answer, a policy section or an offer. SourceID is stable across runs so that
// incremental indexing can compare Hash values.
type Document struct {
	ID         string  `json:"id"`
	TenantID   string  `json:"tenant_id,omitempty"`
	ResourceID string  `json:"resource_id,omitempty"`
	SourceID   string  `json:"source_id"`
	Kind       DocKind `json:"kind"`
	Title      string  `json:"title"`
	URL        string  `json:"url,omitempty"`
	// Text is the content. For DocQA it is the approved answer, verbatim.
	Text     string `json:"text"`
	Language string `json:"language,omitempty"`
	// Intent ties a questionnaire answer to a built-in intent (e.g. "invoice").
	Intent string `json:"intent,omitempty"`
	// Examples are other phrasings of the Title question (custom questions).
	Examples []string `json:"examples,omitempty"`
	// Offer holds typed metadata for DocOffer documents.
	Offer *Offer `json:"offer,omitempty"`
	// Hash is the content hash used for incremental indexing (see ComputeHash).
	Hash      string    `json:"hash"`
	UpdatedAt time.Time `json:"updated_at,omitempty"`
}

// Offer is typed product metadata. Prices are decimal strings in major units
// ("1299.00") so that they can be checked against answers exactly.
type Offer struct {
	ID           string `json:"id,omitempty"`
	Price        string `json:"price,omitempty"`
	SalePrice    string `json:"sale_price,omitempty"`
	Currency     string `json:"currency,omitempty"`
	Availability string `json:"availability,omitempty"` // in_stock, out_of_stock, preorder, backorder
	Condition    string `json:"condition,omitempty"`    // new, used, refurbished
	Warranty     string `json:"warranty,omitempty"`
	Returns      string `json:"returns,omitempty"`
	Delivery     string `json:"delivery,omitempty"`
	Brand        string `json:"brand,omitempty"`
	SKU          string `json:"sku,omitempty"`
	GTIN         string `json:"gtin,omitempty"`
	ImageURL     string `json:"image_url,omitempty"`
}

// ComputeHash sets d.Hash from the fields that matter for answers and returns it.
func (d *Document) ComputeHash() string {
	payload := struct {
		Kind     DocKind
		Title    string
		URL      string
		Text     string
		Language string
		Intent   string
		Examples []string
		Offer    *Offer
	}{d.Kind, d.Title, d.URL, d.Text, d.Language, d.Intent, d.Examples, d.Offer}
	b, _ := json.Marshal(payload)
	sum := sha256.Sum256(b)
	d.Hash = hex.EncodeToString(sum[:16])
	return d.Hash
}

// Chunk is a retrievable passage of a document. Vectors live in a VectorStore
// under the same ID.
type Chunk struct {
	ID         string  `json:"id"`
	TenantID   string  `json:"tenant_id,omitempty"`
	ResourceID string  `json:"resource_id"`
	DocumentID string  `json:"document_id"`
	Ordinal    int     `json:"ordinal"`
	Kind       DocKind `json:"kind"`
	Title      string  `json:"title"`
	URL        string  `json:"url,omitempty"`
	Text       string  `json:"text"`
	Language   string  `json:"language,omitempty"`
}

// JobKind says why a resource is (re)indexed.
type JobKind string

// Job kinds.
const (
	JobIndex   JobKind = "index"   // created, updated or retried
	JobRefresh JobKind = "refresh" // fetch the source again
	// JobConfirmed is a retry, refresh or update the merchant confirmed
	// (confirm=true): a source that ended early or shrank by more than half is
	// indexed as it was read.
	JobConfirmed JobKind = "confirmed"
)

// Job is a unit of work on a resource, leased by one worker at a time. A job
// whose lease expired (its worker died) is claimed again by another worker.
type Job struct {
	ID         string    `json:"id"`
	TenantID   string    `json:"tenant_id"`
	ResourceID string    `json:"resource_id"`
	Kind       JobKind   `json:"kind"`
	Attempts   int       `json:"attempts"`
	LeaseOwner string    `json:"lease_owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until"`
	CreatedAt  time.Time `json:"created_at"`
}
