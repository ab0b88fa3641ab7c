//! `ketenregie genereer`: synthetic national-scale data for the briefing benchmark
//! (benches/load/BRIEFING.md). Everything is clearly synthetic: names from short lists,
//! BSNs generated to pass the elfproef from 900000000 up (a range, like every generated
//! number, that says nothing about real persons). Encrypted with the configured keys, so the
//! service started on the same configuration can search it.
//!
//! Shape, per family: two parents and one child registered by the gecertificeerde
//! instelling `gi-bench` (gezag, a court decision and an involvement signal per child);
//! the police (`politie-bench`) has its own record of one parent in the first families and
//! all incidents involve those records — so a few families carry many incidents, as the
//! report describes (one family: 60+ calls).

use chrono::{Duration, NaiveDate, Utc};

use diesel::prelude::*;
use ketenregie_case::personen::{self, NieuwePersoon};
use ketenregie_common::time::to_db;
use ketenregie_common::{Bsn, OrganisatieSoort, Rechtsregime, Vertrouwelijkheid, ids};
use ketenregie_privacy::versleuteling::Versleuteling;
use ketenregie_store::DbConnection;
use ketenregie_store::directory::{self, OrganisatieGegevens};
use ketenregie_store::schema::personen as persons;
use ketenregie_store::schema::{
    beschikkingen, betrokkenheden, gezag, gezinnen, gezinsleden, incident_betrokkenen, incidenten,
};
use std::io::Write;
use std::time::Instant;

/// A multi-row insert: diesel's MultiConnection cannot batch, so go to the backend's own
/// connection (both support multi-row `INSERT ... VALUES`).
macro_rules! in_blok {
    ($c:expr, $tabel:path, $rijen:expr) => {
        match $c {
            DbConnection::Pg(pg) => diesel::insert_into($tabel).values($rijen).execute(pg),
            DbConnection::Sqlite(sq) => diesel::insert_into($tabel).values($rijen).execute(sq),
        }
    };
}

const VOORNAMEN: [&str; 16] = [
    "Sem", "Noah", "Liam", "Lucas", "Emma", "Julia", "Mila", "Tess", "Daan", "Finn", "Sara", "Zoë",
    "Levi", "Nora", "Adam", "Yara",
];
const ACHTERNAMEN: [&str; 16] = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Yilmaz",
];

pub struct Omvang {
    pub gezinnen: usize,
    pub politie_personen: usize,
    pub incidenten: usize,
}

/// A tiny deterministic generator: reproducible data without another dependency.
struct Lcg(u64);
impl Lcg {
    fn volgende(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn onder(&mut self, n: usize) -> usize {
        (self.volgende() % n as u64) as usize
    }
}

/// The `n`th synthetic BSN: the `n`th number from 900000000 up that passes the elfproef.
struct Bsns(u64);
impl Bsns {
    fn volgende(&mut self) -> Bsn {
        loop {
            self.0 += 1;
            if let Ok(b) = Bsn::parse(&self.0.to_string()) {
                return b;
            }
        }
    }
}

fn organisatie(
    conn: &mut DbConnection,
    code: &str,
    soort: OrganisatieSoort,
    regime: Rechtsregime,
) -> anyhow::Result<()> {
    if directory::organisatie_op_code(conn, code)?.is_none() {
        directory::maak_organisatie(
            conn,
            OrganisatieGegevens {
                code: code.into(),
                naam: format!("{code} (synthetisch)"),
                oin: None,
                soort,
                rechtsregime: regime,
                gemeenten: vec![],
            },
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

pub fn genereer(
    conn: &mut DbConnection,
    v: &Versleuteling,
    o: &Omvang,
    sleutels: &std::path::Path,
) -> anyhow::Result<()> {
    let start = Instant::now();
    let bestaand: i64 = persons::table.count().get_result(conn)?;
    anyhow::ensure!(
        bestaand == 0,
        "the database already holds {bestaand} persons; generate into an empty database"
    );
    organisatie(
        conn,
        "gi-bench",
        OrganisatieSoort::GecertificeerdeInstelling,
        Rechtsregime::Jeugdwet,
    )?;
    organisatie(
        conn,
        "politie-bench",
        OrganisatieSoort::Politie,
        Rechtsregime::Wpg,
    )?;
    let mut rng = Lcg(20261129);
    let mut bsns = Bsns(900_000_000);
    let nu = Utc::now();
    let nu_db = to_db(nu);
    let vandaag = ketenregie_common::werkdagen::nl_datum(nu);
    let mut uit = std::io::BufWriter::new(std::fs::File::create(sleutels)?);
    writeln!(uit, "bsn,voornamen,achternaam,geboortedatum,incidenten")?;
    let politie_gezinnen = o.politie_personen.min(o.gezinnen);
    let per_politiepersoon = o.incidenten / politie_gezinnen.max(1);
    let mut politie_ids: Vec<String> = Vec::with_capacity(politie_gezinnen);

    const BLOK: usize = 2000;
    let mut f = 0;
    while f < o.gezinnen {
        let n = BLOK.min(o.gezinnen - f);
        let mut pers = Vec::with_capacity(n * 4);
        let mut gez = Vec::with_capacity(n);
        let mut leden = Vec::with_capacity(n * 3);
        let mut gezag_ = Vec::with_capacity(n);
        let mut besch = Vec::with_capacity(n);
        let mut betr = Vec::with_capacity(n);
        for i in 0..n {
            let nr = f + i;
            let achternaam = ACHTERNAMEN[rng.onder(16)];
            let gid = ids::new_id().to_string();
            let mut ids_ = Vec::new();
            for (rol, jaar) in [("ouder", 1975), ("ouder", 1977), ("kind", 2010)] {
                let geboren = NaiveDate::from_ymd_opt(
                    jaar + rng.onder(12) as i32,
                    1 + rng.onder(12) as u32,
                    1 + rng.onder(28) as u32,
                )
                .expect("valid date");
                let p = NieuwePersoon {
                    bsn: Some(bsns.volgende()),
                    voornamen: VOORNAMEN[rng.onder(16)].into(),
                    achternaam: achternaam.into(),
                    geboortedatum: geboren,
                    adres: None,
                    vertrouwelijkheid: Vertrouwelijkheid::STANDAARD,
                };
                let s = personen::versleutel(v, &p);
                let pid = ids::new_id().to_string();
                pers.push((
                    persons::id.eq(pid.clone()),
                    persons::eigenaar.eq("gi-bench"),
                    persons::betrokkene.eq(s.betrokkene.to_string()),
                    persons::bsn_hash.eq(s.bsn_hash.clone()),
                    persons::naam_hash.eq(s.naam_hash.clone()),
                    persons::gegevens.eq(s.gegevens.clone()),
                    persons::vertrouwelijkheid.eq("zaakvertrouwelijk"),
                    persons::aangemaakt_op.eq(nu_db),
                    persons::gewijzigd_op.eq(nu_db),
                ));
                leden.push((
                    gezinsleden::gezin_id.eq(gid.clone()),
                    gezinsleden::persoon_id.eq(pid.clone()),
                    gezinsleden::relatie.eq(rol),
                ));
                if rol == "kind" {
                    let incidenten = if nr < politie_gezinnen {
                        per_politiepersoon
                    } else {
                        0
                    };
                    if nr % 97 == 0 || nr < 50 {
                        writeln!(
                            uit,
                            "{},{},{},{},{incidenten}",
                            p.bsn.as_ref().map(Bsn::expose).unwrap_or(""),
                            p.voornamen,
                            p.achternaam,
                            geboren
                        )?;
                    }
                    gezag_.push((
                        gezag::id.eq(ids::new_id().to_string()),
                        gezag::eigenaar.eq("gi-bench"),
                        gezag::kind_id.eq(pid.clone()),
                        gezag::vorm.eq("gezamenlijk"),
                        gezag::houders.eq(format!("[\"{}\",\"{}\"]", ids_[0], ids_[1])),
                        gezag::bron.eq("brp"),
                        gezag::geverifieerd_op.eq(vandaag),
                        gezag::aangemaakt_op.eq(nu_db),
                    ));
                    besch.push((
                        beschikkingen::id.eq(ids::new_id().to_string()),
                        beschikkingen::eigenaar.eq("gi-bench"),
                        beschikkingen::gezin_id.eq(gid.clone()),
                        beschikkingen::rechtbank.eq("Rechtbank (synthetisch)"),
                        beschikkingen::zaaknummer.eq(format!("SYN/{nr}")),
                        beschikkingen::datum.eq(vandaag - Duration::days(100)),
                        beschikkingen::soort.eq(if nr % 3 == 0 { "ots" } else { "omgang" }),
                        beschikkingen::van.eq(vandaag - Duration::days(100)),
                        beschikkingen::tot.eq(Some(vandaag + Duration::days(200))),
                        beschikkingen::uitvoerbaar_bij_voorraad.eq(true),
                        beschikkingen::sterke_arm.eq(nr % 2 == 0),
                        beschikkingen::kinderen.eq(format!("[\"{pid}\"]")),
                        beschikkingen::aangemaakt_op.eq(nu_db),
                    ));
                    betr.push((
                        betrokkenheden::id.eq(ids::new_id().to_string()),
                        betrokkenheden::organisatie.eq("gi-bench"),
                        betrokkenheden::persoon_id.eq(pid.clone()),
                        betrokkenheden::betrokkene.eq(s.betrokkene.to_string()),
                        // Encrypted as the service stores it, so the benchmark pays
                        // for decrypting the contact.
                        betrokkenheden::contact_naam.eq(v.versleutel("Gezinsvoogd (synthetisch)")),
                        betrokkenheden::contact_telefoon.eq(Some(v.versleutel("088 000 0000"))),
                        betrokkenheden::sinds.eq(vandaag - Duration::days(30)),
                        betrokkenheden::vervalt_op.eq(vandaag + Duration::days(600)),
                        betrokkenheden::aangemaakt_op.eq(nu_db),
                    ));
                }
                if rol == "ouder" && ids_.is_empty() && nr < politie_gezinnen {
                    // The police's own record of this parent.
                    let pid2 = ids::new_id().to_string();
                    pers.push((
                        persons::id.eq(pid2.clone()),
                        persons::eigenaar.eq("politie-bench"),
                        persons::betrokkene.eq(s.betrokkene.to_string()),
                        persons::bsn_hash.eq(s.bsn_hash.clone()),
                        persons::naam_hash.eq(s.naam_hash.clone()),
                        persons::gegevens.eq(s.gegevens.clone()),
                        persons::vertrouwelijkheid.eq("zaakvertrouwelijk"),
                        persons::aangemaakt_op.eq(nu_db),
                        persons::gewijzigd_op.eq(nu_db),
                    ));
                    politie_ids.push(pid2);
                }
                ids_.push(pid);
            }
            gez.push((
                gezinnen::id.eq(gid),
                gezinnen::eigenaar.eq("gi-bench"),
                gezinnen::vertrouwelijkheid.eq("zaakvertrouwelijk"),
                gezinnen::aangemaakt_op.eq(nu_db),
                gezinnen::gewijzigd_op.eq(nu_db),
            ));
        }
        conn.transaction::<_, anyhow::Error, _>(|c| {
            for deel in pers.chunks(1000) {
                in_blok!(c, persons::table, deel)?;
            }
            in_blok!(c, gezinnen::table, &gez)?;
            in_blok!(c, gezinsleden::table, &leden)?;
            in_blok!(c, gezag::table, &gezag_)?;
            in_blok!(c, beschikkingen::table, &besch)?;
            in_blok!(c, betrokkenheden::table, &betr)?;
            Ok(())
        })?;
        f += n;
        if f % 50_000 < BLOK {
            eprintln!("{f} gezinnen ({:.0} s)", start.elapsed().as_secs_f64());
        }
    }

    // Incidents: spread over the police's records.
    let mut k = 0;
    while k < o.incidenten && !politie_ids.is_empty() {
        let n = 2000.min(o.incidenten - k);
        let mut inc = Vec::with_capacity(n);
        let mut betr = Vec::with_capacity(n);
        for j in 0..n {
            let nr = k + j;
            let iid = ids::new_id().to_string();
            let dagen = rng.onder(3650) as i64;
            inc.push(
                (
                    incidenten::id.eq(iid.clone()),
                    incidenten::eigenaar.eq("politie-bench"),
                    incidenten::tijdstip.eq(to_db(nu - Duration::days(dagen))),
                    incidenten::soort.eq([
                        "ruzie",
                        "overdracht-kind-mislukt",
                        "bedreiging",
                        "onttrekking-gezag",
                        "mishandeling",
                    ][nr % 5]),
                    incidenten::politie_referentie.eq(format!("SYN-{nr}")),
                    incidenten::inhoud.eq(
                        v.versleutel("{\"plaats\":null,\"samenvatting\":\"synthetisch incident\"}")
                    ),
                    incidenten::wederhoor.eq(if nr % 4 == 0 { "nee" } else { "ja" }),
                    incidenten::vertrouwelijkheid.eq("zaakvertrouwelijk"),
                    incidenten::aangemaakt_op.eq(nu_db),
                ),
            );
            betr.push((
                incident_betrokkenen::incident_id.eq(iid),
                incident_betrokkenen::persoon_id.eq(politie_ids[nr % politie_ids.len()].clone()),
                incident_betrokkenen::rol.eq("ouder"),
            ));
        }
        conn.transaction::<_, anyhow::Error, _>(|c| {
            in_blok!(c, incidenten::table, &inc)?;
            in_blok!(c, incident_betrokkenen::table, &betr)?;
            Ok(())
        })?;
        k += n;
        if k % 250_000 < 2000 {
            eprintln!("{k} incidenten ({:.0} s)", start.elapsed().as_secs_f64());
        }
    }
    uit.flush()?;
    eprintln!(
        "klaar: {} gezinnen, {} personen, {} incidenten in {:.0} s; zoeksleutels in {}",
        o.gezinnen,
        o.gezinnen * 3 + politie_ids.len(),
        k,
        start.elapsed().as_secs_f64(),
        sleutels.display()
    );
    Ok(())
}
