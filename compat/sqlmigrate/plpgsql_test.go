package sqlmigrate

import (
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConstantString checks which EXECUTE expressions fold into the SQL they run: only
// expressions whose value needs nothing known at run time.
func TestConstantString(t *testing.T) {
	tests := []struct {
		expr, want string
		ok         bool
	}{
		{`'ALTER TABLE users DROP COLUMN fax'`, `ALTER TABLE users DROP COLUMN fax`, true},
		{`'ALTER TABLE ' || 'users' || ' DROP COLUMN fax'`, `ALTER TABLE users DROP COLUMN fax`, true},
		{`format('ALTER TABLE %I.%I DROP COLUMN %I', 'auth', 'Users', 'fax')`, `ALTER TABLE "auth"."Users" DROP COLUMN "fax"`, true},
		{`format('UPDATE t SET a = %L WHERE b = %s', 'it''s', 42)`, `UPDATE t SET a = 'it''s' WHERE b = 42`, true},
		{`format('%2$s %1$s', 'b', 'a')`, `a b`, true},
		{`format('100%% %s', 'x')`, `100% x`, true},
		{`concat('DROP ', 'TABLE ', quote_ident('t'))`, `DROP TABLE "t"`, true},
		{`'SELECT ' || 1::text`, `SELECT 1`, true},
		{`'ALTER TABLE ' || tbl || ' DROP COLUMN x'`, "", false},
		{`format('ALTER TABLE %I', r.tablename)`, "", false},
		{`format('%10s', 'x')`, "", false},
		{`format('%s %s', 'only one')`, "", false},
		{`current_setting('app.ddl')`, "", false},
		{`upper('drop table t')`, "", false},
		{`(SELECT 'DROP TABLE t')`, "", false},
		{`'unterminated`, "", false},
	}
	for _, tt := range tests {
		got, ok := constantString(tt.expr)
		assert.Equal(t, tt.ok, ok, tt.expr)
		assert.Equal(t, tt.want, got, tt.expr)
	}
}

// TestGuards decides DO block conditions against a replayed catalog: present objects
// exist, absent ones do not, and anything else is undecided.
func TestGuards(t *testing.T) {
	baseline := `
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text, tags text[]);
CREATE TABLE partial (LIKE auth.users);
CREATE TYPE mood AS ENUM ('happy');
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE SEQUENCE ticket_seq;
CREATE INDEX users_email_idx ON auth.users (email);
CREATE VIEW v AS SELECT 1;
ALTER TABLE auth.users ADD CONSTRAINT users_email_key UNIQUE (email);
`
	tests := []struct {
		cond string
		want tri
	}{
		{`EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = 'users' AND column_name = 'email')`, triTrue},
		{`NOT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'phone')`, triTrue},
		{`EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email' AND data_type = 'text')`, triTrue},
		{`EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email' AND data_type = 'uuid')`, triFalse},
		{`EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'tags' AND data_type = 'ARRAY')`, triTrue},
		{`EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' AND column_name = 'email')`, triFalse},
		{`EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'partial' AND column_name = 'email')`, triUnknown},
		{`EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email' AND is_nullable = 'YES')`, triUnknown},
		{`EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'auth' AND table_name = 'users')`, triTrue},
		{`EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'v' AND table_type = 'VIEW')`, triTrue},
		{`EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'v' AND table_type = 'BASE TABLE')`, triFalse},
		{`EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'auth' AND tablename = 'sessions')`, triFalse},
		{`EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'users_email_idx')`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_class WHERE relname = 'ticket_seq' AND relkind = 'S')`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_class WHERE relname = 'ticket_seq' AND relkind = 'r')`, triFalse},
		{`EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relname = 'v')`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_type WHERE typname = 'positive')`, triTrue},
		{`NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'aal_level')`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = 'mood'::regtype AND enumlabel = 'sad')`, triFalse},
		{`EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'users_email_key')`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'users_email_key' AND contype = 'u')`, triUnknown},
		{`EXISTS (SELECT 1 FROM information_schema.table_constraints WHERE constraint_name = 'nope' AND table_name = 'users')`, triFalse},
		{`EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'auth.users'::regclass AND attname = 'email' AND NOT attisdropped)`, triTrue},
		{`to_regclass('auth.users') IS NOT NULL`, triTrue},
		{`to_regclass('public.users') IS NULL`, triTrue},
		{`to_regtype('mood') IS NULL`, triFalse},
		{`(SELECT 1 FROM pg_type WHERE typname = 'mood') IS NULL`, triFalse},
		{`(SELECT count(*) FROM pg_type WHERE typname = 'mood') = 0`, triFalse},
		{`(SELECT count(*) FROM pg_type WHERE typname = 'mood') > 0`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') AND NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'nope')`, triTrue},
		{`EXISTS (SELECT 1 FROM pg_type WHERE typname = 'nope') OR v_flag`, triUnknown},
		{`EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') OR v_flag`, triTrue},
		{`EXISTS (SELECT 1 FROM auth.users WHERE email IS NULL)`, triUnknown},
		{`(SELECT count(*) FROM auth.users) > 0`, triUnknown},
		{`EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = 'mood')`, triUnknown},
		{`v_count = 0`, triUnknown},
		{`true`, triTrue},
	}
	r := &replayer{cat: newCatalog(), pg: DefaultPGVersion}
	tree, err := pg_query.Parse(baseline)
	require.NoError(t, err)
	r.m = &migration{file: "base.sql", lines: newLineIndex(baseline)}
	for _, raw := range tree.GetStmts() {
		r.apply(&statement{node: raw.GetStmt()})
	}
	for _, tt := range tests {
		tree, err := pg_query.Parse("SELECT " + tt.cond)
		require.NoError(t, err, tt.cond)
		got := r.decide(tree.GetStmts()[0].GetStmt().GetSelectStmt().GetTargetList()[0].GetResTarget().GetVal())
		assert.Equal(t, tt.want, got, tt.cond)
	}
	// Once a schema change was not analyzed, absence proves nothing; presence still does.
	r.cat.opaque = true
	for cond, want := range map[string]tri{
		`NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'aal_level')`: triUnknown,
		`EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')`:          triTrue,
	} {
		tree, err := pg_query.Parse("SELECT " + cond)
		require.NoError(t, err)
		assert.Equal(t, want, r.decide(tree.GetStmts()[0].GetStmt().GetSelectStmt().GetTargetList()[0].GetResTarget().GetVal()), cond)
	}
}
