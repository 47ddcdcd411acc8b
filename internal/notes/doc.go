// Package notes owns notes on records: Markdown written by people, rendered
// once on write to HTML that has been sanitised with our own policy (no raw
// HTML, no scripts, no remote images, links that cannot act on our origin),
// @mentions of teammates, and pinning. It knows nothing about HTTP.
package notes
