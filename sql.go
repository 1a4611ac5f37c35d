package compatcheck

import "errors"

// ErrSQLNeedsCgo is returned for a SQL comparison by a build without cgo. The SQL
// engine parses migrations with libpg_query, PostgreSQL's own parser, which is C; every
// other engine is pure Go and works in such a build.
var ErrSQLNeedsCgo = errors.New("this compatcheck was built without cgo; the SQL engine needs the C parser: rebuild with CGO_ENABLED=1 and a C compiler")
