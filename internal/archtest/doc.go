// Package archtest holds the test that keeps the import rule of ragkb: the
// root package is the only thing adapters share.
//
// Every package of the module has one role:
//
//   - the root (package ragkb): the domain and the contracts; it imports no
//     other package of the module;
//   - libraries: internal/..., store (SQL helpers of the store backends),
//     connectors (the SSRF-safe fetcher and parsing helpers every source
//     shares) and the answering toolkit answer/guard, answer/lang,
//     answer/intent and answer/triage (pure functions over root types: no
//     backend of their own). They import the root and other libraries only;
//   - composition roots: cmd/..., app and connectors/all (the registry that
//     routes by resource type). They may import anything: wiring is their job;
//   - adapters: everything else (store/sqlite, store/postgres,
//     store/vectorindex, store/qdrant, embed, answer/llm, answer, indexer,
//     retriever, worker, webhook, accounts, server, client, each connector).
//     An adapter imports the root and libraries, never another adapter:
//     types two adapters exchange live in the root (SearchQuery, SearchHit,
//     ChatRequest, IndexResult, EventRecorder, Pinger, ...), and the
//     composition root connects them.
//
// The test reads the imports with `go list -json`. No import breaks the
// rule today; the test still has a debt list (importer -> imported, with
// the reason and the way out) that it checks is never stale, so that an
// exception, if one is ever needed, is written down and can only go.
package archtest
