-- Who may sign in, and every look at the data (docs/SECURITY.md). Idempotent: re-run whenever a
-- warehouse is opened for writing.

-- Passwords are never stored: password_hash is "scrypt$N$r$p$salt$hash" (server/auth/passwords.ts),
-- so the cost parameters travel with each hash and can be raised without invalidating old ones.
CREATE TABLE IF NOT EXISTS users (
  username             VARCHAR PRIMARY KEY,
  role                 VARCHAR NOT NULL CHECK (role IN ('board', 'lead', 'officer', 'admin')),
  password_hash        VARCHAR NOT NULL,
  -- Set for a generated one-time password: the user may do nothing but change it.
  must_change_password BOOLEAN NOT NULL DEFAULT false,
  disabled             BOOLEAN NOT NULL DEFAULT false,
  created_at           TIMESTAMP NOT NULL,   -- UTC
  disabled_at          TIMESTAMP             -- UTC
);

CREATE SEQUENCE IF NOT EXISTS access_log_seq START 1;

-- Append-only: the product only ever INSERTs here (tests/server/accessLog.test.ts checks the source
-- for any other statement naming this table). No primary key, so concurrent requests append
-- without contending on an index.
CREATE TABLE IF NOT EXISTS access_log (
  id            BIGINT NOT NULL DEFAULT nextval('access_log_seq'),
  logged_at     TIMESTAMP NOT NULL,   -- UTC
  username      VARCHAR,              -- NULL: nobody was signed in
  role          VARCHAR,
  client_ip     VARCHAR,
  method        VARCHAR NOT NULL,
  path          VARCHAR NOT NULL,
  params        VARCHAR NOT NULL,     -- JSON {"query": {...}, "route": {...}}
  status        INTEGER NOT NULL,
  rows_returned INTEGER,              -- NULL: the route did not say
  sensitivity   VARCHAR NOT NULL CHECK (sensitivity IN ('aggregate', 'case_list', 'identity', 'admin'))
);
