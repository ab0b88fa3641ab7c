//! The storage layer: the two migration trees never drift (tables, columns, indexes and
//! triggers), and several instances starting together on a new PostgreSQL database apply
//! each migration exactly once.

use crate::common;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use ketenregie_store::DbUrl;
use std::collections::BTreeSet;

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Kolom {
    #[diesel(sql_type = Text)]
    tabel: String,
    #[diesel(sql_type = Text)]
    kolom: String,
    #[diesel(sql_type = Text)]
    soort: String,
    #[diesel(sql_type = BigInt)]
    verplicht: i64,
    #[diesel(sql_type = BigInt)]
    sleutel: i64,
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Index {
    #[diesel(sql_type = Text)]
    tabel: String,
    #[diesel(sql_type = Text)]
    naam: String,
    #[diesel(sql_type = BigInt)]
    uniek: i64,
    #[diesel(sql_type = Text)]
    kolommen: String,
}

fn sqlite_schema(path: &str) -> (BTreeSet<Kolom>, BTreeSet<Index>) {
    let mut c = SqliteConnection::establish(path).unwrap();
    let kolommen = diesel::sql_query(
        "SELECT m.name AS tabel, p.name AS kolom, lower(p.type) AS soort, p.\"notnull\" AS verplicht, (p.pk > 0) AS sleutel
         FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
    )
    .load::<Kolom>(&mut c)
    .unwrap();
    let indexen = diesel::sql_query(
        "SELECT m.tbl_name AS tabel, m.name AS naam, il.\"unique\" AS uniek,
                (SELECT group_concat(name, ',') FROM (SELECT ii.name FROM pragma_index_info(m.name) ii ORDER BY ii.seqno)) AS kolommen
         FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) il ON il.name = m.name
         WHERE m.type = 'index' AND m.name NOT LIKE 'sqlite_autoindex%'",
    )
    .load::<Index>(&mut c)
    .unwrap();
    (
        kolommen.into_iter().collect(),
        indexen.into_iter().collect(),
    )
}

fn pg_schema(url: &str) -> (BTreeSet<Kolom>, BTreeSet<Index>) {
    let mut c = PgConnection::establish(url).unwrap();
    let kolommen = diesel::sql_query(
        "SELECT c.table_name::text AS tabel, c.column_name::text AS kolom,
                CASE c.data_type WHEN 'timestamp without time zone' THEN 'timestamp' ELSE c.data_type END::text AS soort,
                (c.is_nullable = 'NO')::int::int8 AS verplicht,
                EXISTS (SELECT 1 FROM information_schema.table_constraints tc
                        JOIN information_schema.key_column_usage k
                          ON tc.constraint_name = k.constraint_name AND tc.table_schema = k.table_schema
                        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
                          AND k.table_name = c.table_name AND k.column_name = c.column_name)::int::int8 AS sleutel
         FROM information_schema.columns c
         WHERE c.table_schema = current_schema() AND c.table_name <> '__diesel_schema_migrations'
           AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = c.table_name AND p.relispartition)",
    )
    .load::<Kolom>(&mut c)
    .unwrap();
    let indexen = diesel::sql_query(
        "SELECT t.relname::text AS tabel, i.relname::text AS naam, ix.indisunique::int::int8 AS uniek,
                string_agg(a.attname::text, ',' ORDER BY array_position(ix.indkey::int2[], a.attnum)) AS kolommen
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey)
         WHERE n.nspname = current_schema() AND NOT ix.indisprimary AND t.relname <> '__diesel_schema_migrations'
           AND NOT t.relispartition
         GROUP BY t.relname, i.relname, ix.indisunique",
    )
    .load::<Index>(&mut c)
    .unwrap();
    (
        kolommen.into_iter().collect(),
        indexen.into_iter().collect(),
    )
}

/// A trigger: the table it guards and the event (UPDATE, DELETE, INSERT).
#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Trigger {
    #[diesel(sql_type = Text)]
    tabel: String,
    #[diesel(sql_type = Text)]
    gebeurtenis: String,
}

/// SQLite keeps a trigger's event only in its SQL text (`BEFORE UPDATE ON ...`).
fn sqlite_triggers(path: &str) -> BTreeSet<Trigger> {
    let mut c = SqliteConnection::establish(path).unwrap();
    diesel::sql_query(
        "SELECT tbl_name AS tabel,
                CASE WHEN upper(sql) LIKE '% UPDATE %ON%' THEN 'UPDATE'
                     WHEN upper(sql) LIKE '% DELETE %ON%' THEN 'DELETE'
                     ELSE 'INSERT' END AS gebeurtenis
         FROM sqlite_master WHERE type = 'trigger'",
    )
    .load::<Trigger>(&mut c)
    .unwrap()
    .into_iter()
    .collect()
}

fn pg_triggers(url: &str) -> BTreeSet<Trigger> {
    let mut c = PgConnection::establish(url).unwrap();
    diesel::sql_query(
        "SELECT event_object_table::text AS tabel, event_manipulation::text AS gebeurtenis
         FROM information_schema.triggers WHERE trigger_schema = current_schema()
           AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = event_object_table AND p.relispartition)",
    )
    .load::<Trigger>(&mut c)
    .unwrap()
    .into_iter()
    .collect()
}

#[test]
fn migratiebomen_lopen_niet_uiteen() {
    let Some(base) = common::pg_url() else {
        eprintln!("skipped: KETENREGIE_TEST_PG_URL is not set, schema parity not checked");
        return;
    };
    let dir = common::temp_dir();
    let sqlite_path = dir.join("parity.db");
    ketenregie_store::migrate::run(
        &DbUrl::parse(&format!("sqlite://{}", sqlite_path.display())).unwrap(),
    )
    .unwrap();
    let (schema, pg) = common::pg_schema(&base);
    ketenregie_store::migrate::run(&DbUrl::parse(&pg).unwrap()).unwrap();

    let (sk, mut si) = sqlite_schema(sqlite_path.to_str().unwrap());
    let (pk, pi) = pg_schema(&pg);
    // The logs are partitioned by month on PostgreSQL (issue 17 point 6, migration
    // 2026-12-03-000101): the partition key is part of the primary key, and the unique
    // chain positions are an index of each partition (a unique index on the parent must
    // contain the partition key), made with the partition. The partitions themselves are
    // left out above; here the parent tables are compared, these differences allowed.
    let pk: BTreeSet<Kolom> = pk
        .into_iter()
        .map(|mut k| {
            if (k.tabel == "verwerkingslog" && k.kolom == "start_op")
                || (k.tabel == "audittrail" && k.kolom == "tijdstip")
            {
                k.sleutel = 0;
            }
            k
        })
        .collect();
    for tabel in ["verwerkingslog", "audittrail"] {
        let naam = format!("{tabel}_keten_volgnummer_uk");
        assert!(
            si.iter().any(|i| i.naam == naam && i.uniek == 1),
            "SQLite has {naam}"
        );
        si.retain(|i| i.naam != naam);
        let mut c = PgConnection::establish(&pg).unwrap();
        let zonder = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
             WHERE i.inhparent = '{tabel}'::regclass AND NOT EXISTS (
                 SELECT 1 FROM pg_index x JOIN pg_class xi ON xi.oid = x.indexrelid
                 WHERE x.indrelid = p.oid AND x.indisunique AND xi.relname = p.relname || '_keten_volgnummer_uk')"
        ))
        .get_result::<Aantal>(&mut c)
        .unwrap()
        .n;
        assert_eq!(
            zonder, 0,
            "every partition of {tabel} has its unique chain positions"
        );
    }
    assert!(
        !sk.is_empty() && !si.is_empty(),
        "introspection found the tables"
    );
    let alleen_sqlite: Vec<_> = sk.difference(&pk).collect();
    let alleen_pg: Vec<_> = pk.difference(&sk).collect();
    assert!(
        alleen_sqlite.is_empty() && alleen_pg.is_empty(),
        "columns differ:\n only SQLite: {alleen_sqlite:#?}\n only PostgreSQL: {alleen_pg:#?}"
    );
    let alleen_sqlite: Vec<_> = si.difference(&pi).collect();
    let alleen_pg: Vec<_> = pi.difference(&si).collect();
    assert!(
        alleen_sqlite.is_empty() && alleen_pg.is_empty(),
        "indexes differ:\n only SQLite: {alleen_sqlite:#?}\n only PostgreSQL: {alleen_pg:#?}"
    );

    // Triggers: the same guards on the same tables and events; and every log table
    // refuses UPDATE and DELETE on both backends (issue 14, finding 4).
    let st = sqlite_triggers(sqlite_path.to_str().unwrap());
    let pt = pg_triggers(&pg);
    let alleen_sqlite: Vec<_> = st.difference(&pt).collect();
    let alleen_pg: Vec<_> = pt.difference(&st).collect();
    assert!(
        alleen_sqlite.is_empty() && alleen_pg.is_empty(),
        "triggers differ:\n only SQLite: {alleen_sqlite:#?}\n only PostgreSQL: {alleen_pg:#?}"
    );
    for tabel in ["audittrail", "verwerkingslog", "logketens"] {
        for gebeurtenis in ["UPDATE", "DELETE"] {
            let t = Trigger {
                tabel: tabel.into(),
                gebeurtenis: gebeurtenis.into(),
            };
            assert!(
                st.contains(&t),
                "no {gebeurtenis} trigger on {tabel}: {st:#?}"
            );
        }
    }

    let mut c = PgConnection::establish(&base).unwrap();
    diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut c)
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[derive(QueryableByName)]
struct Aantal {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Issue 14, finding 7: three instances started together on an empty database, with the
/// reference data loaded at start (as in production), five times over: every instance
/// comes up, each migration is recorded once, and the reference data is there once (342
/// municipalities, 26 Veilig Thuis organisations). Everything done at start runs under the
/// start-up advisory lock (`migrate::start`).
#[actix_web::test]
async fn drie_instanties_tegelijk_op_lege_database() {
    let Some(base) = common::pg_url() else {
        eprintln!("skipped: KETENREGIE_TEST_PG_URL is not set, concurrent start not checked");
        return;
    };
    for ronde in 1..=5 {
        let (schema, url) = common::pg_schema(&base);
        let dirs: Vec<_> = (0..3).map(|_| common::temp_dir()).collect();
        let configs: Vec<_> = dirs
            .iter()
            .map(|d| common::test_config(&url, d, "# referentiedata"))
            .collect();
        assert!(configs[0].reference_data.load_at_start);
        let (a, b, c) = tokio::join!(
            ketenregie_api::Application::build(configs[0].clone()),
            ketenregie_api::Application::build(configs[1].clone()),
            ketenregie_api::Application::build(configs[2].clone()),
        );
        let apps = [
            a.unwrap_or_else(|e| panic!("round {ronde}, instance 1: {e}")),
            b.unwrap_or_else(|e| panic!("round {ronde}, instance 2: {e}")),
            c.unwrap_or_else(|e| panic!("round {ronde}, instance 3: {e}")),
        ];
        let ports: Vec<u16> = apps.iter().map(|a| a.port()).collect();
        for app in apps {
            actix_web::rt::spawn(app.run_until_stopped());
        }
        let client = reqwest::Client::new();
        for port in ports {
            let res = client
                .get(format!("http://127.0.0.1:{port}/health/ready"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "round {ronde}");
        }
        let mut conn = PgConnection::establish(&url).unwrap();
        let tel = |conn: &mut PgConnection, sql: &str| {
            diesel::sql_query(sql).get_result::<Aantal>(conn).unwrap().n
        };
        let gedaan = tel(
            &mut conn,
            "SELECT count(*) AS n FROM __diesel_schema_migrations",
        );
        let bekend = std::fs::read_dir(format!(
            "{}/migrations/postgres",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
        .count() as i64;
        assert_eq!(gedaan, bekend, "each migration recorded exactly once");
        assert_eq!(tel(&mut conn, "SELECT count(*) AS n FROM gemeenten"), 342);
        assert_eq!(
            tel(
                &mut conn,
                "SELECT count(*) AS n FROM organisaties WHERE soort = 'veilig-thuis'"
            ),
            26
        );
        let mut c = PgConnection::establish(&base).unwrap();
        diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&mut c)
            .unwrap();
        for d in dirs {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

#[test]
fn sqlite_pragmas_per_verbinding() {
    let dir = common::temp_dir();
    let url = DbUrl::parse(&format!("sqlite://{}", dir.join("p.db").display())).unwrap();
    ketenregie_store::migrate::run(&url).unwrap();
    let mut c = url.connect().unwrap();
    #[derive(QueryableByName)]
    struct Waarde {
        #[diesel(sql_type = Text)]
        w: String,
    }
    let q = |c: &mut ketenregie_store::DbConnection, sql: &str| {
        diesel::sql_query(sql).get_result::<Waarde>(c).unwrap().w
    };
    assert_eq!(
        q(
            &mut c,
            "SELECT CAST(timeout AS TEXT) AS w FROM pragma_busy_timeout"
        ),
        "10000"
    );
    assert_eq!(
        q(
            &mut c,
            "SELECT CAST(foreign_keys AS TEXT) AS w FROM pragma_foreign_keys"
        ),
        "1"
    );
    assert_eq!(
        q(
            &mut c,
            "SELECT CAST(synchronous AS TEXT) AS w FROM pragma_synchronous"
        ),
        "2",
        "FULL"
    );
    assert_eq!(
        q(&mut c, "SELECT journal_mode AS w FROM pragma_journal_mode"),
        "wal"
    );
    let _ = std::fs::remove_dir_all(dir);
}
