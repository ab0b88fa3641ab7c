//! The indexes of the three log tables (issue 17, h18idx; ARCHITECTURE.md "Index entries
//! per log row"): every row the log writer inserts costs an entry in each index it enters,
//! so the logs have only indexes a query needs, and every query on them keeps an index
//! plan without the ones dropped.
//!
//! - `elke_logvraag_heeft_een_indexplan`: each query the code runs on `audittrail`,
//!   `verwerkingslog` and `verstrekkingen` (written here as the code writes it, with the
//!   function named), planned on an empty migrated database, reads its log table through
//!   an index: on PostgreSQL with `enable_seqscan = off` (the planner then takes an index
//!   path whenever one exists, so a `Seq Scan` of a log table means no index serves the
//!   query), on SQLite without a full `SCAN` of the table.
//! - `een_gewone_logrij_komt_in_weinig_indexen`: the indexes a read's row enters (those
//!   without a condition, plus the chain position index of sealed rows) are the ones the
//!   section lists; a new one must say which query needs it.

use crate::common;

use common::{Db, TestApp};
use diesel::prelude::*;
use diesel::sql_types::Text;
use std::collections::BTreeSet;

/// One line of a plan.
#[derive(QueryableByName)]
struct Regel {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// The log queries of the code, by function, with `{t}` for a timestamp literal. Values
/// are literals: the partial-index conditions (`doorbraak`, `resultaat >= 400`) are SQL text
/// in the code too (`logboek::lezen::geweigerd`).
const VRAGEN: &[(&str, &str)] = &[
    (
        "logboek::lezen::audittrail_van",
        "SELECT * FROM audittrail WHERE object_type = 'convenanten' AND object_id = 'x' \
         AND tijdstip >= {t} ORDER BY tijdstip, id LIMIT 21",
    ),
    (
        "logboek::lezen::doorbraken (als lezer)",
        "SELECT * FROM audittrail WHERE audittrail.doorbraak AND organisatie = 'o' \
         ORDER BY tijdstip DESC, id DESC LIMIT 21",
    ),
    (
        "logboek::lezen::doorbraken (als eigenaar)",
        "SELECT * FROM audittrail WHERE audittrail.doorbraak AND eigenaar = 'o' \
         AND organisatie <> 'o' ORDER BY tijdstip DESC, id DESC LIMIT 21",
    ),
    (
        "logboek::lezen::zoek_verwerkingen (person and period)",
        "SELECT * FROM verwerkingslog WHERE organisatie = 'o' AND activiteit <> 'bewaring-ijkpunt' \
         AND betrokkene = 'p' AND start_op >= {t} ORDER BY start_op DESC, id DESC LIMIT 21",
    ),
    (
        "logboek::lezen::zoek_verwerkingen (no person)",
        "SELECT * FROM verwerkingslog WHERE organisatie = 'o' AND activiteit <> 'bewaring-ijkpunt' \
         ORDER BY start_op DESC, id DESC LIMIT 21",
    ),
    (
        "logboek::lezen::weigeringen",
        "SELECT * FROM audittrail WHERE eigenaar = 'o' AND audittrail.resultaat >= 400 \
         AND organisatie <> 'o' AND tijdstip >= {t} ORDER BY tijdstip DESC, id DESC LIMIT 21",
    ),
    (
        "logboek::lezen::verwerkt_onder",
        "SELECT c.column1 AS soort, c.column2 AS id FROM (VALUES ('zorgmeldingen', 'x')) AS c \
         WHERE EXISTS (SELECT 1 FROM audittrail a JOIN verwerkingslog v ON v.trace_id = a.trace_id \
         WHERE a.object_type = c.column1 AND a.object_id = c.column2 \
         AND a.resultaat BETWEEN 200 AND 299 AND v.betrokkene IN ('p', 'q'))",
    ),
    (
        "logboek::lezen::verwerkingen_van_betrokkene (inzage)",
        "SELECT * FROM verwerkingslog WHERE betrokkene IN ('p', 'q') ORDER BY start_op, id",
    ),
    (
        "inzage::ontving_van (the person's traces)",
        "SELECT DISTINCT trace_id FROM verwerkingslog WHERE betrokkene IN ('p', 'q') \
         AND organisatie = 'o'",
    ),
    (
        "inzage::ontving_van (allowed reads in them)",
        "SELECT count(*) FROM audittrail WHERE trace_id IN ('t', 'u') AND organisatie = 'o' \
         AND eigenaar = 'e' AND resultaat BETWEEN 200 AND 299",
    ),
    (
        "inzage::audit_van_traces",
        "SELECT * FROM audittrail WHERE trace_id IN ('t', 'u')",
    ),
    (
        "inzage::herkomst::grondslag_ontvangen",
        "SELECT grondslag FROM audittrail WHERE organisatie = 'o' AND object_type = 'zorgmeldingen' \
         AND object_id = 'x' AND resultaat BETWEEN 200 AND 299 AND grondslag IS NOT NULL \
         ORDER BY tijdstip, volgnummer LIMIT 1",
    ),
    (
        "logboek::lezen::tel_objecten",
        "SELECT DISTINCT organisatie, object_id FROM audittrail WHERE object_type = 'briefings' \
         AND resultaat < 400 AND tijdstip >= {t} AND tijdstip < {t}",
    ),
    (
        "verstrekking::van_eigenaar",
        "SELECT * FROM verstrekkingen WHERE eigenaar = 'e' AND tijdstip >= {t} \
         AND ontvanger = 'o' ORDER BY tijdstip DESC, id DESC LIMIT 21",
    ),
    (
        "verstrekking::Verstrekkingbron (retention)",
        "SELECT id FROM verstrekkingen WHERE eigenaar = 'e' AND tijdstip < {t}",
    ),
    (
        "verificatie (the unsealed window)",
        "SELECT count(*), min(start_op) FROM verwerkingslog WHERE volgnummer = 0",
    ),
    (
        "verificatie (a chain in order)",
        "SELECT * FROM audittrail WHERE keten = 'k' AND volgnummer > 0 ORDER BY volgnummer",
    ),
    (
        "logboek::bewaring (a chain's prefix past the term)",
        "SELECT min(volgnummer) FROM verwerkingslog WHERE keten = 'k' AND volgnummer > 0 \
         AND eind_op >= {t}",
    ),
];

/// The tables whose full scan the test refuses (PostgreSQL: also their partitions).
const LOGTABELLEN: &[&str] = &["audittrail", "verwerkingslog", "verstrekkingen"];

/// The plan of `sql` as lines (PostgreSQL: `EXPLAIN (COSTS OFF)` with sequential scans
/// disabled; SQLite: `EXPLAIN QUERY PLAN`'s details).
fn plan(app: &TestApp, sql: &str) -> Vec<String> {
    let mut c = app.pool.get().unwrap();
    match app.db {
        Db::Postgres => {
            use diesel::connection::SimpleConnection;
            // EXPLAIN cannot be a subquery: a function returns its lines as rows.
            c.batch_execute(
                "CREATE OR REPLACE FUNCTION pg_temp.plan(q text) RETURNS SETOF text \
                 LANGUAGE plpgsql AS $$ DECLARE r text; BEGIN \
                 SET LOCAL enable_seqscan = off; \
                 FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP RETURN NEXT r; END LOOP; \
                 END $$",
            )
            .unwrap();
            let sql = sql.replace("{t}", "TIMESTAMP '2030-01-01 00:00:00'");
            c.transaction(|c| {
                diesel::sql_query("SELECT pg_temp.plan($1) AS detail")
                    .bind::<Text, _>(&sql)
                    .load::<Regel>(c)
            })
            .unwrap()
            .into_iter()
            .map(|r| r.detail)
            .collect()
        }
        Db::Sqlite => {
            let sql = sql.replace("{t}", "'2030-01-01 00:00:00'");
            diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                .load::<Regel>(&mut *c)
                .unwrap()
                .into_iter()
                .map(|r| r.detail)
                .collect()
        }
    }
}

/// Whether a plan line reads a whole log table (or a partition of one) without an index.
fn volle_scan(db: Db, regel: &str) -> bool {
    let r = regel.trim_start().trim_start_matches("->").trim_start();
    LOGTABELLEN.iter().any(|t| match db {
        // `Seq Scan on audittrail_p2030_01 audittrail_1`, `Seq Scan on verwerkingslog v`
        Db::Postgres => r.starts_with(&format!("Seq Scan on {t}")),
        // `SCAN audittrail`, `SCAN a` (an alias): every bare SCAN of a table is one of the
        // log tables in these queries; `SCAN ... USING INDEX` reads an index.
        Db::Sqlite => {
            r.starts_with("SCAN ")
                && !r.contains("USING")
                && !r.contains("CONSTANT ROW")
                && !r.starts_with("SCAN c")
        }
    })
}

async fn elke_logvraag_heeft_een_indexplan(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    let mut fouten = Vec::new();
    for (waar, sql) in VRAGEN {
        let regels = plan(&app, sql);
        if regels.iter().any(|r| volle_scan(db, r)) {
            fouten.push(format!("{waar}:\n    {}", regels.join("\n    ")));
        }
    }
    assert!(
        fouten.is_empty(),
        "log queries without an index plan ({db:?}):\n{}",
        fouten.join("\n")
    );
}

/// One index: its table, its name (without the partition's part) and whether it has a
/// condition.
#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    #[diesel(sql_type = Text)]
    tabel: String,
    #[diesel(sql_type = Text)]
    naam: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    gedeeltelijk: bool,
}

async fn een_gewone_logrij_komt_in_weinig_indexen(db: Db) {
    let Some(app) = common::spawn(db).await else {
        return;
    };
    let mut c = app.pool.get().unwrap();
    let indexen: Vec<Index> = match db {
        // The parents' indexes, and the chain position index each partition has of its
        // own (`<table>_<partition>_keten_volgnummer_uk`), named once.
        Db::Postgres => diesel::sql_query(
            "SELECT DISTINCT coalesce(p.relname, t.relname)::text AS tabel,
                    regexp_replace(i.relname, '^(audittrail|verwerkingslog)_(p[0-9]{4}_[0-9]{2}|standaard)_', '\\1_')::text AS naam,
                    x.indpred IS NOT NULL AS gedeeltelijk
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             LEFT JOIN pg_inherits h ON h.inhrelid = t.oid LEFT JOIN pg_class p ON p.oid = h.inhparent
             WHERE coalesce(p.relname, t.relname) IN ('audittrail', 'verwerkingslog', 'verstrekkingen')
               AND t.relnamespace = current_schema()::regnamespace
               AND (h.inhparent IS NULL OR i.relname LIKE '%keten_volgnummer_uk')",
        )
        .load(&mut *c)
        .unwrap(),
        Db::Sqlite => diesel::sql_query(
            "SELECT m.tbl_name AS tabel, l.name AS naam, l.partial AS gedeeltelijk
             FROM sqlite_master m JOIN pragma_index_list(m.name) l
             WHERE m.type = 'table' AND m.name IN ('audittrail', 'verwerkingslog', 'verstrekkingen')",
        )
        .load(&mut *c)
        .unwrap(),
    };
    // A sealed read's row enters every index without a condition and the chain position
    // index (`WHERE volgnummer > 0`); the other partial ones hold only unsealed, refused,
    // break-glass or long rows.
    let rij_komt_in: BTreeSet<(String, String)> = indexen
        .iter()
        .filter(|i| !i.gedeeltelijk || i.naam.ends_with("keten_volgnummer_uk"))
        .map(|i| {
            // The primary key's name differs (PostgreSQL `<table>_pkey`, SQLite
            // `sqlite_autoindex_<table>_1`): named alike.
            let naam = if i.naam.ends_with("_pkey") || i.naam.starts_with("sqlite_autoindex") {
                "primary key".to_string()
            } else {
                i.naam.clone()
            };
            (i.tabel.clone(), naam)
        })
        .collect();
    let verwacht: BTreeSet<(String, String)> = [
        ("audittrail", "primary key"),
        ("audittrail", "audittrail_keten_volgnummer_uk"),
        ("audittrail", "audittrail_object_idx"),
        ("audittrail", "audittrail_trace_idx"),
        ("verwerkingslog", "primary key"),
        ("verwerkingslog", "verwerkingslog_keten_volgnummer_uk"),
        ("verwerkingslog", "verwerkingslog_organisatie_idx"),
        (
            "verwerkingslog",
            "verwerkingslog_organisatie_betrokkene_idx",
        ),
        ("verwerkingslog", "verwerkingslog_betrokkene_trace_idx"),
        ("verstrekkingen", "primary key"),
        ("verstrekkingen", "verstrekkingen_eigenaar_idx"),
    ]
    .into_iter()
    .map(|(t, n)| (t.to_string(), n.to_string()))
    .collect();
    assert_eq!(
        rij_komt_in, verwacht,
        "the indexes a logged read's rows enter ({db:?}); a new one costs every log row an \
         entry: name the query that needs it (ARCHITECTURE.md \"Index entries per log row\")"
    );
}

op_beide_backends!(
    elke_logvraag_heeft_een_indexplan,
    een_gewone_logrij_komt_in_weinig_indexen
);
