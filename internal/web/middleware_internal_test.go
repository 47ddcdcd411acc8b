package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// countingWriter counts the statuses passed to WriteHeader.
type countingWriter struct {
	*httptest.ResponseRecorder
	codes []int
}

func (c *countingWriter) WriteHeader(code int) {
	c.codes = append(c.codes, code)
	c.ResponseRecorder.WriteHeader(code)
}

// TestStatusWriterOneFinalStatus: after a response's status went out, a
// second one (huma's 499 when the client left mid-body) is not passed on
// for net/http to log as superfluous, and the first stays the one logged;
// informational statuses before it still go through.
func TestStatusWriterOneFinalStatus(t *testing.T) {
	for _, c := range []struct {
		name   string
		do     func(w http.ResponseWriter)
		passed []int
		status int
	}{
		{"explicit then again", func(w http.ResponseWriter) { w.WriteHeader(200); _, _ = w.Write([]byte("x")); w.WriteHeader(499) }, []int{200}, 200},
		{"implicit by a write", func(w http.ResponseWriter) { _, _ = w.Write([]byte("x")); w.WriteHeader(499) }, nil, 200},
		{"early hints first", func(w http.ResponseWriter) { w.WriteHeader(103); w.WriteHeader(404) }, []int{103, 404}, 404},
	} {
		cw := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
		sw := &statusWriter{ResponseWriter: cw}
		c.do(sw)
		if len(cw.codes) != len(c.passed) || (len(c.passed) > 0 && cw.codes[len(cw.codes)-1] != c.passed[len(c.passed)-1]) {
			t.Errorf("%s: passed on %v, want %v", c.name, cw.codes, c.passed)
		}
		if sw.status != c.status {
			t.Errorf("%s: logged status %d, want %d", c.name, sw.status, c.status)
		}
	}
}
