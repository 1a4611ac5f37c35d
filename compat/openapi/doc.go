// Package openapi decides, for two versions of an HTTP API described by OpenAPI (3.0.x,
// 3.1.x, or Swagger 2.0 converted to 3.0), which changes survive a mixed-version rollout
// and which do not, for the teams that release the API's servers and clients.
//
// Every element is judged with the roles HTTP gives it. In a request the client writes
// and the server reads; in a response the server writes and the client reads; in a
// callback or webhook the API provider's server writes the request and the client's
// receiver reads it. B (backward-safe) asks whether a new reader handles what an old
// writer produced, F (forward-safe) whether an old reader handles what a new writer
// produces. Servers can always be upgraded before the clients that call them, but the
// clients of a public API cannot be upgraded at all: with [Public] (the default), a
// change that old clients cannot read is breaking, with [Internal] it stays
// read-tolerant.
//
// Operations are matched by method and path template with parameter names ignored
// (/users/{id} is /users/{userId}); parameters by location and name, path parameters by
// their place in the template. Every schema is compared by compat/jsonschema, after
// OpenAPI 3.0's schema dialect is converted to JSON Schema 2020-12 (nullable, boolean
// exclusive bounds), with one memoizing comparison per role: readOnly properties are
// ignored where clients write, writeOnly where servers write. A change to a shared
// component is reported once, at the component, listing every operation and role it
// reaches.
//
// Subjects are spelled "METHOD /path" plus a pointer relative to the operation for
// operation-local elements ("GET /users/{id} #/parameters/query/limit",
// "POST /users #/requestBody/content/application~1json"), "/path #/parameters/in/name"
// for path-level parameters, the document pointer for shared components
// ("#/components/schemas/Pet/properties/status"), "file#/pointer" for other files, and
// "METHOD webhook:NAME" for webhooks.
//
// Input is read only through a compat.Source: remote references and references that
// climb out of the input tree are refused, never fetched; YAML alias expansion, nesting
// depth and reference chains are bounded, and every input problem is a positioned
// *compat.Error.
package openapi
