// Package guard holds the guardrails of the answer pipeline: redaction of
// personal data before anything is stored or sent to a model (Redact),
// routing of customers to a person (Route), the grounding check that rejects
// model answers stating facts the sources do not contain (Check), and the
// treatment of source text as data when building prompts (Neutralize,
// LooksLikeInjection).
//
// Everything here is pure: no I/O, no package state beyond read-only tables,
// safe for concurrent use. The six languages that matter are English,
// Italian, French, German, Polish and Spanish; for other languages Redact and
// the number checks of Check still work, Route and the sentence check
// degrade to "no opinion".
package guard
