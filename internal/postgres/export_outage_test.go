package postgres

// WithTx exposes withTx to the tests of package postgres_test.
var WithTx = (*DB).withTx
