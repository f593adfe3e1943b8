-- The warehouse: one row per real child, episode and plan (DATA.md "Identity and merging across files").
-- The LA's own child id lives only in child_identity; every other table carries the surrogate child_key,
-- so a board-facing query can never select an identifier by accident.
-- Every CREATE is idempotent: opening an existing warehouse re-runs this file.

CREATE SEQUENCE IF NOT EXISTS child_key_seq START 1;
CREATE SEQUENCE IF NOT EXISTS record_key_seq START 1;
CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;

-- DATA.md: "Keep the LA child id only in an identity table readable by officer roles".
-- One row per child and per id, kept so by the loader alone (it registers only ids it has not seen,
-- one writer at a time). No PRIMARY KEY or UNIQUE: DuckDB's indexes would cost a first load of a
-- million children more than the rest of the children file (docs/BENCHMARKS.md), and
-- tests/etl/identity.test.ts checks the two keys stay unique.
CREATE TABLE IF NOT EXISTS child_identity (
  child_key   INTEGER NOT NULL,
  la_child_id VARCHAR NOT NULL
);

-- "the newest extract's characteristics win": ref_date records which extract a row came from.
CREATE TABLE IF NOT EXISTS children (
  child_key           INTEGER NOT NULL,
  birth_date          DATE,
  expected_birth_date DATE,
  sex                 VARCHAR,   -- male | female | unknown (METRICS.md §1)
  ethnicity           VARCHAR,   -- CIN census code as given (WBRI, MWBC, ...), NULL when missing
  disability          VARCHAR,
  ref_date            DATE,
  load_id             INTEGER,
  family_id           VARCHAR    -- DATA.md children.csv: siblings share it (audit samples draw one per family)
);
-- Warehouses made before family_id gain it at the end, where a new warehouse has it too.
ALTER TABLE children ADD COLUMN IF NOT EXISTS family_id VARCHAR;
-- CIN census validation rules (etl/validation/cinCensusRules.sql, DATA.md "Fields kept for rules"):
-- the death date, and a keyed hash of the UPN under the installation's key (SECURITY.md). Added at the
-- end, new warehouses too, so the column order is the same everywhere.
ALTER TABLE children ADD COLUMN IF NOT EXISTS death_date DATE;
ALTER TABLE children ADD COLUMN IF NOT EXISTS upn_key VARCHAR;
-- The UPN format rules a census's UPN broke, and its reason a UPN is missing (rules 1510–1560Q,
-- 8770Q, 8772): codes, never the UPN.
ALTER TABLE children ADD COLUMN IF NOT EXISTS upn_checks VARCHAR;
ALTER TABLE children ADD COLUMN IF NOT EXISTS upn_unknown VARCHAR;
-- Before the installation key, upn_key held only "shared with child key N" within one file: not a
-- hash, so it cannot be compared with later extracts' and goes.
UPDATE children SET upn_key = NULL WHERE upn_key LIKE 'shared with%';

CREATE TABLE IF NOT EXISTS early_help (
  eh_key         INTEGER NOT NULL DEFAULT nextval('record_key_seq'),
  child_key      INTEGER NOT NULL,
  source_id      VARCHAR,
  start_date     DATE NOT NULL,
  end_date       DATE,
  lead_agency    VARCHAR,
  neglect        BOOLEAN,
  factors        VARCHAR[],
  closure_reason VARCHAR,
  ref_date       DATE,
  load_id        INTEGER
);

-- A referral is one CIN episode (CIN census CINdetails): referral date to closure date.
CREATE TABLE IF NOT EXISTS referrals (
  referral_key   INTEGER NOT NULL DEFAULT nextval('record_key_seq'),
  child_key      INTEGER NOT NULL,
  source_id      VARCHAR,
  referral_date  DATE NOT NULL,
  source         VARCHAR,
  primary_need   VARCHAR,
  nfa            BOOLEAN,
  closure_date   DATE,
  closure_reason VARCHAR,
  ref_date       DATE,
  load_id        INTEGER
);

CREATE TABLE IF NOT EXISTS assessments (
  assessment_key     INTEGER NOT NULL DEFAULT nextval('record_key_seq'),
  referral_key       INTEGER,
  child_key          INTEGER NOT NULL,
  source_id          VARCHAR,
  start_date         DATE NOT NULL,
  authorisation_date DATE,
  factors            VARCHAR[],
  ref_date           DATE,
  load_id            INTEGER
);

CREATE TABLE IF NOT EXISTS section47 (
  s47_key           INTEGER NOT NULL DEFAULT nextval('record_key_seq'),
  referral_key      INTEGER,
  child_key         INTEGER NOT NULL,
  source_id         VARCHAR,
  start_date        DATE NOT NULL,
  icpc_date         DATE,
  icpc_not_required BOOLEAN,
  ref_date          DATE,
  load_id           INTEGER
);

CREATE TABLE IF NOT EXISTS cin_plans (
  cin_plan_key INTEGER NOT NULL DEFAULT nextval('record_key_seq'),
  referral_key INTEGER,
  child_key    INTEGER NOT NULL,
  source_id    VARCHAR,
  start_date   DATE NOT NULL,
  end_date     DATE,
  ref_date     DATE,
  load_id      INTEGER
);

CREATE TABLE IF NOT EXISTS cp_plans (
  cp_plan_key      INTEGER NOT NULL DEFAULT nextval('record_key_seq'),
  referral_key     INTEGER,
  child_key        INTEGER NOT NULL,
  source_id        VARCHAR,
  start_date       DATE NOT NULL,
  end_date         DATE,
  initial_category VARCHAR,  -- NEG | PHY | EMO | SAB | MUL
  latest_category  VARCHAR,
  previous_plans   INTEGER,  -- CIN census NumberOfPreviousCPP
  ref_date         DATE,
  load_id          INTEGER
);

-- Kept for the validation rules: the ICPC target date (text, as sent) and CP review dates ('YYYY-MM-DD;...').
ALTER TABLE section47 ADD COLUMN IF NOT EXISTS icpc_target_date VARCHAR;
ALTER TABLE cp_plans ADD COLUMN IF NOT EXISTS review_dates VARCHAR;

-- Children looked after: one row per SSDA903 episode (DATA.md "SSDA903 (children looked after)",
-- looked_after.csv, Annex A List 8), keyed by (child, start date) like every other episode.
-- Postcodes, UPNs and URNs of the return are read past and never stored. Codes are SSDA903's: RNE
-- (S = started to be looked after), LS legal status, CIN category of need N1-N8, PL placement type,
-- REC reason ceased.
CREATE TABLE IF NOT EXISTS looked_after (
  lac_key            INTEGER NOT NULL DEFAULT nextval('record_key_seq'),
  child_key          INTEGER NOT NULL,
  source_id          VARCHAR,
  start_date         DATE NOT NULL,
  end_date           DATE,
  reason_new_episode VARCHAR,
  legal_status       VARCHAR,
  category_of_need   VARCHAR,
  placement_type     VARCHAR,
  reason_ceased      VARCHAR,
  ref_date           DATE,
  load_id            INTEGER
);

-- Partner agencies' aggregates (METRICS.md §11, DATA.md partner_measures.csv): no child-level data.
-- One row per (measure, agency, period_start, period_end); a later load of the same key replaces it.
CREATE TABLE IF NOT EXISTS partner_measures (
  measure      VARCHAR NOT NULL,
  agency       VARCHAR NOT NULL,
  period_start DATE NOT NULL,
  period_end   DATE NOT NULL,
  numerator    DOUBLE NOT NULL,
  denominator  DOUBLE,
  unit         VARCHAR NOT NULL,   -- percent | rate_per_10k | count
  load_id      INTEGER
);

-- Children 0-17 by dimension; a loaded population.csv (source 'local') overrides the bundled ONS estimate.
CREATE TABLE IF NOT EXISTS population (
  year      INTEGER NOT NULL,   -- mid-year estimate: 30 June of this year
  dimension VARCHAR NOT NULL,   -- all | age_band | sex | ethnicity
  "group"   VARCHAR NOT NULL,
  count     INTEGER NOT NULL,
  source    VARCHAR NOT NULL,
  load_id   INTEGER
);

-- DATA.md "What a load must do": every load recorded, every rejected row kept with its reason.
CREATE TABLE IF NOT EXISTS loads (
  load_id        INTEGER PRIMARY KEY,
  file           VARCHAR NOT NULL,
  content_hash   VARCHAR NOT NULL,
  format         VARCHAR NOT NULL,
  reference_date DATE,
  loaded_at      TIMESTAMP NOT NULL,
  loaded_by      VARCHAR NOT NULL,
  rows_read      INTEGER NOT NULL,
  rows_accepted  INTEGER NOT NULL,
  rows_rejected  INTEGER NOT NULL,
  rows_merged    INTEGER NOT NULL,
  status         VARCHAR NOT NULL,   -- loaded | failed
  message        VARCHAR
);

CREATE TABLE IF NOT EXISTS rejects (
  load_id INTEGER NOT NULL,
  file    VARCHAR NOT NULL,
  "row"   VARCHAR NOT NULL,   -- CSV line number or XML element path
  field   VARCHAR,
  value   VARCHAR,
  reason  VARCHAR NOT NULL
);
-- The DfE CIN census rule a reject broke (etl/validation/cinCensusRules.sql), NULL for the loader's own checks.
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS rule VARCHAR;

-- Records loaded AND flagged: a DfE CIN census rule across records of one child broke (overlapping
-- plans, a plan after death...). Re-worked out for a child at each census load that carries them, so
-- a later extract that fixes the record clears the flag (etl/validation/rules.ts, METRICS.md §16).
CREATE TABLE IF NOT EXISTS validation_flags (
  load_id      INTEGER NOT NULL,
  rule         VARCHAR NOT NULL,
  child_key    INTEGER NOT NULL,
  record_table VARCHAR NOT NULL,
  record_key   INTEGER,
  fields       VARCHAR,
  message      VARCHAR NOT NULL
);

-- The census loads whose flags are written. A census load's records commit in its own transaction
-- and its flags in the next (etl/validation/rules.ts, flagCensusRecords); a load missing here had
-- its process stopped in between, and the next census load writes its flags first. Created holding every
-- census load already in the warehouse: before this table their flags were written with them.
CREATE TABLE IF NOT EXISTS flagged_loads AS
  SELECT load_id, loaded_at AS flagged_at FROM loads WHERE format = 'cin-census-xml' AND status = 'loaded';

-- England and Wales bank holidays, for working-day measures (METRICS.md §1).
CREATE TABLE IF NOT EXISTS bank_holidays (
  date DATE PRIMARY KEY,
  name VARCHAR
);

-- Key/value settings of this warehouse (the LA it describes).
CREATE TABLE IF NOT EXISTS settings (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR
);

-- Commentary officers write on a quarter's board pack (issue 10), one text per quarter end.
-- Append-only (what users write is versioned with author and time, never overwritten):
-- an edit adds the next version and the pack shows the highest; the product never UPDATEs or
-- DELETEs here (tests/server/commentary.test.ts checks the source). The unique pair makes two
-- officers saving on the same version at once fail one of them instead of losing a text.
CREATE SEQUENCE IF NOT EXISTS commentary_id_seq START 1;
CREATE TABLE IF NOT EXISTS commentary (
  id          INTEGER NOT NULL DEFAULT nextval('commentary_id_seq'),
  quarter_end DATE NOT NULL,
  version     INTEGER NOT NULL,
  body        VARCHAR NOT NULL,    -- plain text as written; pages show it as text, never as markup
  author      VARCHAR NOT NULL,    -- username of the officer or admin who saved it
  written_at  TIMESTAMP NOT NULL,  -- UTC
  UNIQUE (quarter_end, version)
);

-- What happened in practice (METRICS.md §13): dated notes such as "Graded Care Profile 2 training
-- for all health visitors", optionally marked as a change in the process for the figures named,
-- from which SPC limits are recalculated. Append-only like commentary: an edit adds the next
-- version of the same annotation_id, and readers take each id's highest version.
CREATE TABLE IF NOT EXISTS annotations (
  annotation_id  INTEGER NOT NULL,
  version        INTEGER NOT NULL,
  noted_on       DATE NOT NULL,
  body           VARCHAR NOT NULL,
  process_change BOOLEAN NOT NULL,
  figures        VARCHAR[] NOT NULL,   -- figure paths the process change applies to
  withdrawn      BOOLEAN NOT NULL,     -- a later version can withdraw a note without erasing it
  author         VARCHAR NOT NULL,
  written_at     TIMESTAMP NOT NULL,   -- UTC
  UNIQUE (annotation_id, version)
);

-- The neglect strategy's success indicators (METRICS.md §13 "Indicators and targets", issue 12): each
-- follows one figure (a figure path, one group of a split, or a partner measure of one agency), with
-- its better direction, a baseline fixed when it is created, an optional target, an owner (an agency
-- or role, never a person's name) and why it matters. Append-only like annotations: a change adds the
-- next version of the same indicator_id, naming what it changed, who and when; readers take each id's
-- highest version, and the product never UPDATEs or DELETEs here.
CREATE TABLE IF NOT EXISTS indicators (
  indicator_id   INTEGER NOT NULL,
  version        INTEGER NOT NULL,
  title          VARCHAR NOT NULL,
  kind           VARCHAR NOT NULL,   -- figure | split_group | partner
  figure         VARCHAR NOT NULL,   -- figure path (figure, split_group) or partner measure id
  figure_group   VARCHAR,            -- split_group: the group; partner: the agency
  better         VARCHAR NOT NULL,   -- up | down
  baseline_from  DATE,               -- null until the data can answer the figure
  baseline_to    DATE,
  baseline_value DOUBLE,
  target_value   DOUBLE,
  target_date    DATE,
  owner          VARCHAR NOT NULL,
  rationale      VARCHAR NOT NULL,
  retired        BOOLEAN NOT NULL,   -- a later version can retire an indicator without erasing it
  change         VARCHAR NOT NULL,   -- what this version changed, in words
  author         VARCHAR NOT NULL,
  written_at     TIMESTAMP NOT NULL, -- UTC
  UNIQUE (indicator_id, version)
);

-- Audits (issue 13, METRICS.md §13 "Audit samples"): a stratified sample drawn from a case list, the
-- judgements officers record on each child, and the audit's closing. Append-only like commentary:
-- the product only INSERTs into these tables (tests/server/audits.test.ts checks the source), so who
-- drew, judged and closed what, and when, is never overwritten.
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE IF NOT EXISTS audits (
  audit_id      INTEGER NOT NULL DEFAULT nextval('audit_id_seq'),
  theme         VARCHAR NOT NULL,
  figure        VARCHAR NOT NULL,     -- the case list's figure path (server/routes/cases.ts caseLists)
  period_from   DATE NOT NULL,
  period_to     DATE NOT NULL,        -- the as-at date of the age strata
  strata        VARCHAR NOT NULL,     -- JSON: {"by": "age", "ranges": [...]} or {"by": "ethnicity"|"sex", "n"}
  seed          VARCHAR NOT NULL,
  lookback_days INTEGER NOT NULL,
  drawn_by      VARCHAR NOT NULL,
  drawn_at      TIMESTAMP NOT NULL,   -- UTC; its date dates the audit for later look-backs
  draw          VARCHAR NOT NULL,     -- JSON: the strata as drawn (population, skipped, short) for the sample page
  UNIQUE (audit_id)
);
-- The sample: one row per child drawn.
CREATE TABLE IF NOT EXISTS audit_children (
  audit_id  INTEGER NOT NULL,
  child_key INTEGER NOT NULL,
  stratum   VARCHAR NOT NULL,
  rank      INTEGER NOT NULL,
  order_key VARCHAR NOT NULL,         -- sha256(seed || ':' || la_child_id), hex
  UNIQUE (audit_id, child_key)
);
-- Judgements on a sampled child: each save is the next version; the highest is the judgement.
CREATE TABLE IF NOT EXISTS audit_judgements (
  audit_id     INTEGER NOT NULL,
  child_key    INTEGER NOT NULL,
  version      INTEGER NOT NULL,
  quality      VARCHAR NOT NULL,
  drift        VARCHAR NOT NULL,
  missed       VARCHAR[] NOT NULL,
  progress     VARCHAR NOT NULL,
  tool         VARCHAR NOT NULL,
  voice        VARCHAR NOT NULL,
  multi_agency VARCHAR NOT NULL,
  step_down    VARCHAR NOT NULL,
  note         VARCHAR NOT NULL,      -- plain text; officers and admins only, never in board output
  author       VARCHAR NOT NULL,
  written_at   TIMESTAMP NOT NULL,    -- UTC
  UNIQUE (audit_id, child_key, version)
);
-- Closing an audit is a row, not an UPDATE: one per audit, after which judgements are read-only.
CREATE TABLE IF NOT EXISTS audit_closures (
  audit_id  INTEGER NOT NULL,
  closed_by VARCHAR NOT NULL,
  closed_at TIMESTAMP NOT NULL,       -- UTC
  UNIQUE (audit_id)
);

-- Results precomputed after a load, the way a static site's data loader builds its pages once
-- (issue 17; metrics/precomputed.ts): the latest quarter's board pack and strategy scorecard, board
-- and officer output, as the JSON the server sends. Each row names the fingerprint of everything it
-- was computed from (the loads, indicators, notes of practice, settings and the metric code), and is
-- read only while that fingerprint is current; anything else is computed afresh.
CREATE TABLE IF NOT EXISTS precomputed (
  key          VARCHAR PRIMARY KEY,   -- e.g. board-pack:2026-03-31:board
  fingerprint  VARCHAR NOT NULL,
  built_at     TIMESTAMP NOT NULL,    -- UTC
  seconds      DOUBLE NOT NULL,       -- what computing it took
  result       VARCHAR NOT NULL       -- JSON
);

-- Per-quarter facts (issue 17; metrics/periodResults.ts): each metric query's rows for one period,
-- kept once computed, so a quarter's figures and a 20-quarter trend read a few stored rows rather
-- than every record. A query's rows for a period depend on that period and the data alone
-- (tests/metrics/periodResults.test.ts holds this for every query), so each period's are kept on
-- their own, under the fingerprint of the data and the metric code they were computed from, and
-- read only while that fingerprint is current.
CREATE TABLE IF NOT EXISTS period_results (
  query        VARCHAR NOT NULL,      -- the registry's name, e.g. cp_open
  params       VARCHAR NOT NULL,      -- the query's other parameters, as JSON ('null' for none)
  period_from  VARCHAR NOT NULL,      -- YYYY-MM-DD
  period_to    VARCHAR NOT NULL,
  fingerprint  VARCHAR NOT NULL,
  rows         VARCHAR NOT NULL       -- JSON: the query's rows for this period, in its own order
);
