// Package assets serves the front-end files built from web/ (npm packages
// pinned by web/package-lock.json, plus our own JS and CSS) and embedded in
// the binary. URLs carry a content hash (?v=…), so the files can be cached
// for a year and a new build is picked up at once.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Set is the embedded files with their content hashes.
type Set struct {
	files fs.FS
	hash  map[string]string
}

// Load hashes the embedded files once at startup. A binary built without
// `npm run build` has none: pages then work, just without script and style.
func Load() *Set {
	sub, _ := fs.Sub(dist, "dist")
	return newSet(sub)
}

func newSet(files fs.FS) *Set {
	s := &Set{files: files, hash: map[string]string{}}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		b, err := fs.ReadFile(files, p)
		if err == nil {
			sum := sha256.Sum256(b)
			s.hash[p] = hex.EncodeToString(sum[:6])
		}
		return nil
	})
	return s
}

// URL returns the cache-busting URL of an asset ("app.css" → "/assets/app.css?v=…").
func (s *Set) URL(name string) string {
	if h, ok := s.hash[name]; ok {
		return "/assets/" + name + "?v=" + h
	}
	return "/assets/" + name
}

// Has reports whether an asset was built into this binary.
func (s *Set) Has(name string) bool { _, ok := s.hash[name]; return ok }

// ServeHTTP serves GET /assets/{name}.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/assets/")
	if _, ok := s.hash[name]; !ok {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(s.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if r.URL.Query().Get("v") == s.hash[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Header().Set("ETag", `"`+s.hash[name]+`"`)
	if r.Header.Get("If-None-Match") == `"`+s.hash[name]+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(b)
}
