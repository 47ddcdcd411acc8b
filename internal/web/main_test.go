package web_test

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestMain drops the per-package PostgreSQL template database after the tests.
func TestMain(m *testing.M) { testdb.Main(m) }
