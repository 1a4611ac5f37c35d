package sqlmigrate_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
)

func Example() {
	released := fstest.MapFS{
		"0001_users.up.sql": {Data: []byte("CREATE TABLE users (id bigint PRIMARY KEY, email text);\n")},
	}
	change := fstest.MapFS{
		"0001_users.up.sql": released["0001_users.up.sql"],
		"0002_email.up.sql": {Data: []byte("SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n")},
	}
	report, err := sqlmigrate.Compare(context.Background(),
		compat.Source{FS: released, Name: "old"}, compat.Source{FS: change, Name: "new"},
		sqlmigrate.Options{PGVersion: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s %s: %s\n", f.Class(), f.Rule, f.Subject, f.Message)
		for _, h := range f.Hazards {
			fmt.Printf("  hazard %s (%s, scans: %v)\n", h.Rule, h.Lock, h.Scans)
		}
		for i, step := range f.Advice {
			fmt.Printf("  %d. %s\n", i+1, step)
		}
	}
	// Output:
	// breaking NOT_NULL_ADDED users.email: column email becomes NOT NULL; released writers that omit it or write NULL now fail
	//   hazard NOT_NULL_SCANS_TABLE (ACCESS EXCLUSIVE, scans: true)
	//   1. release writers that always fill the column
	//   2. backfill NULL rows in batches
	//   3. ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later migration
	//   4. SET NOT NULL (no scan on PostgreSQL 12 and later) and drop the CHECK
}

// A migration PostgreSQL would refuse fails every policy, even one that fails on nothing:
// the hazard is marked Rejected. Here golang-migrate sends both statements as one query,
// an implicit transaction, and CREATE INDEX CONCURRENTLY cannot run in one.
func Example_refused() {
	released := fstest.MapFS{
		"0001_users.up.sql": {Data: []byte("CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n")},
	}
	change := fstest.MapFS{
		"0001_users.up.sql": released["0001_users.up.sql"],
		"0002_indexes.up.sql": {Data: []byte("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n" +
			"CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n")},
	}
	report, err := sqlmigrate.Compare(context.Background(),
		compat.Source{FS: released, Name: "old"}, compat.Source{FS: change, Name: "new"}, sqlmigrate.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("verdict:", report.Verdict())
	for _, f := range report.Failures(compat.FailOn(compat.None)) {
		for _, h := range f.Hazards {
			fmt.Printf("%s fails: %s rejected=%v\n", f.Subject, h.Rule, h.Rejected)
		}
	}
	// Output:
	// verdict: additive
	// users_email_idx fails: STATEMENT_NOT_ALLOWED_IN_TRANSACTION rejected=true
	// users_name_idx fails: STATEMENT_NOT_ALLOWED_IN_TRANSACTION rejected=true
}
