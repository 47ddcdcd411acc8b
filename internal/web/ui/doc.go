// Package ui is the browser side of Tandem: one handler per file, named
// <noun>_<verb>.go. A handler decodes the form, calls one domain function in
// a transaction and renders a view component. Every action works as a plain
// form post with a redirect; htmx requests get fragments instead, so small
// actions never reload the page.
package ui
