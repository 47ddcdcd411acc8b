// Package web is Tandem's HTTP edge: NewServer builds the one http.Handler
// that serves the browser UI (package ui, with components in package view),
// the JSON API, health and metrics. routes.go lists the whole surface.
// Handlers are thin: decode, call one domain function, render. Errors become
// HTTP statuses only in package respond.
package web
