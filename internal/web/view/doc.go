// Package view holds Tandem's HTML: templ components and the typed view
// models they take. Components are pure functions of their parameters; they
// know nothing about requests or the database. Fragments (a table row, a
// form) are named components reused by the full pages, so an htmx swap and a
// full page render can never disagree.
package view
