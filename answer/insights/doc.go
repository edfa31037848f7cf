// Package insights is what a merchant learns from real traffic: the
// question log (written in the background by Writer, in batches, with a
// bounded queue whose drops are counted), feedback on answers, privacy
// deletions and retention, and GET /v1/insights (Service.Report): the
// questions the assistant could not answer grouped into topics across
// languages, and the rates per day and per intent (automated resolution,
// escalation, fallback, satisfaction, cost per conversation, latency
// percentiles). Service.Apply turns a topic into examples of a custom
// question, closing the gap in one call.
package insights
