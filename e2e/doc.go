// Package e2e tests Tandem from the outside: the real binary, started as a
// process on port 0 with its own data directory (or PostgreSQL database), and
// driven over HTTP or by Debian's Chromium through chromedp.
//
// The binary is built once per test run. Browser tests skip when Chromium is
// missing, except in CI (CI=true), where they fail.
package e2e
