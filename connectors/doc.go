// Package connectors holds what every source connector shares: the safe HTTP
// Fetcher (SSRF guard, robots.txt, per-host politeness, retries, conditional
// GET, size caps), sitemap discovery and HTML-to-text helpers. Each source
// lives in its own sub-package (faqpage, policy, allegro, shopify,
// woocommerce, googlefeed, schemaorg) and implements ragkb.Connector;
// connectors/all routes a resource to the right one.
package connectors
