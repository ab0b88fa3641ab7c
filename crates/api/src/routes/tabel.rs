//! The one route list of the API (issue 12 point 6): each resource with its methods and
//! handlers, written once. [`routetabel!`] turns it into both the actix-web routes
//! ([`api_routes`], mounted under `/api/v1` by `app::routes`) and the paths of the OpenAPI
//! document ([`RoutePaden`], merged into the document by `openapi::document_json`), so a
//! route cannot be served without being documented, nor documented without being served.
//!
//! A resource may carry extra configuration in `met [...]` (a larger body limit, a quota
//! middleware), applied to the resource before its routes. Unmatched methods on a known
//! path answer 405 with `Allow` (the resource's default service).

use super::{
    abonnementen, berichten, betrokkenheden, bewaartermijnen, briefings, contactpunten,
    convenanten, demo_klok, dode_berichten, eigen_verklaringen, gezinnen, incidenten, inzage,
    organisaties, personen, quotumoverschrijdingen, rapportages, sluitingsdagen, terugkoppelingen,
    verwerkingen, zorgmeldingen,
};
use crate::app::{ZORGMELDING_MAX_BODY, json_fout, resource};
use actix_web::middleware::from_fn;
use actix_web::web;

/// `"pad" [met [.config(..)..]] => { methode: module::handler, .. }` per resource: the
/// actix-web routes and the OpenAPI paths from one list.
macro_rules! routetabel {
    ($( $pad:literal $(met [$($extra:tt)*])? => { $( $methode:ident : $($h:ident)::+ ),+ $(,)? } )*) => {
        /// Every API resource on `scope`, each answering 405 with `Allow` to other methods.
        pub fn api_routes(scope: actix_web::Scope) -> actix_web::Scope {
            scope $(
                .service(
                    resource($pad)
                        $($($extra)*)?
                        $( .route(web::$methode().to($($h)::+)) )+
                )
            )*
        }

        /// The OpenAPI paths of the same handlers (their `#[utoipa::path]` annotations).
        #[derive(utoipa::OpenApi)]
        #[openapi(paths( $( $( $($h)::+ ),+ ),* ))]
        pub struct RoutePaden;
    };
}

routetabel! {
    "/organisaties" => { get: organisaties::lijst, post: organisaties::registreer }
    "/organisaties/{id}" => { get: organisaties::een, put: organisaties::wijzig }
    "/organisaties/{id}/contactpunten" => { post: contactpunten::voeg_toe }
    "/contactpunten" => { get: contactpunten::zoek }
    "/contactpunten/{id}" => { get: contactpunten::een, put: contactpunten::wijzig, delete: contactpunten::verwijder }
    "/convenanten" => { get: convenanten::lijst, post: convenanten::maak }
    "/convenanten/{id}" => { get: convenanten::een, put: convenanten::wijzig }
    "/convenanten/{id}/versies" => { post: convenanten::nieuwe_versie }
    "/convenanten/{id}/ondertekeningen" => { post: convenanten::onderteken }
    "/convenanten/{id}/uittredingen" => { post: convenanten::treed_uit }
    "/convenanten/{id}/intrekkingen" => { post: convenanten::trek_in }
    "/convenanten/{id}/audittrail" => { get: convenanten::audittrail }
    "/verwerkingen/_zoek" => { post: verwerkingen::zoek }
    "/verwerkingen/doorbraken" => { get: verwerkingen::doorbraken }
    "/verwerkingen/verstrekkingen" => { get: verwerkingen::verstrekkingen }
    "/verwerkingen/verstrekkingen/{id}" => { get: verwerkingen::verstrekking }
    "/personen/{id}/inzage" => { get: inzage::inzage }
    "/personen/{id}/eigen-verklaringen" met [.wrap(from_fn(crate::limieten::quotum_persoon))] => { get: eigen_verklaringen::lijst, post: eigen_verklaringen::voeg_toe }
    "/zorgmeldingen" met [.app_data(web::PayloadConfig::new(ZORGMELDING_MAX_BODY))] => { get: zorgmeldingen::lijst, post: zorgmeldingen::maak }
    "/zorgmeldingen/{id}" met [.app_data(web::JsonConfig::default().limit(ZORGMELDING_MAX_BODY).error_handler(json_fout))] => { get: zorgmeldingen::een, put: zorgmeldingen::wijzig, delete: zorgmeldingen::verwijder }
    "/zorgmeldingen/{id}/indieningen" => { post: zorgmeldingen::indien }
    "/zorgmeldingen/{id}/kwaliteitsbeoordelingen" => { post: zorgmeldingen::kwaliteit }
    "/zorgmeldingen/{id}/ontvangsten" => { post: zorgmeldingen::ontvang }
    "/zorgmeldingen/{id}/beoordelingen" => { post: zorgmeldingen::beoordeel }
    "/zorgmeldingen/{id}/overdrachten" => { post: zorgmeldingen::draag_over }
    "/zorgmeldingen/{id}/acceptaties" => { post: zorgmeldingen::accepteer }
    "/zorgmeldingen/{id}/afwijzingen" => { post: zorgmeldingen::wijs_af }
    "/zorgmeldingen/{id}/afsluitingen" => { post: zorgmeldingen::sluit_af }
    "/zorgmeldingen/{id}/annuleringen" => { post: zorgmeldingen::annuleer }
    "/zorgmeldingen/{id}/opschortingen" => { post: zorgmeldingen::schort_op }
    "/zorgmeldingen/{id}/hervattingen" => { post: zorgmeldingen::hervat }
    "/zorgmeldingen/{id}/mislukkingen" => { post: zorgmeldingen::mislukt }
    "/zorgmeldingen/{id}/stappen" => { get: zorgmeldingen::stappen }
    "/zorgmeldingen/{id}/eigen-verklaringen" => { get: eigen_verklaringen::zorgmelding_lijst, post: eigen_verklaringen::zorgmelding_voeg_toe }
    "/kwaliteitscontrole" => { put: zorgmeldingen::zet_kwaliteitscontrole }
    "/personen" => { post: personen::registreer }
    "/personen/{id}" met [.wrap(from_fn(crate::limieten::quotum_persoon))] => { get: personen::een }
    "/personen/{id}/gezag" met [.wrap(from_fn(crate::limieten::quotum_persoon))] => { post: personen::gezag_vastleggen, get: personen::gezag_lijst }
    "/gezinnen" => { post: gezinnen::maak }
    "/gezinnen/{id}" met [.wrap(from_fn(crate::limieten::quotum_persoon))] => { get: gezinnen::een }
    "/gezinnen/{id}/beschikkingen" => { post: gezinnen::beschikking }
    "/gezinnen/{id}/regelingen" => { post: gezinnen::regeling }
    "/incidenten" => { post: incidenten::maak }
    "/incidenten/{id}" met [.wrap(from_fn(crate::limieten::quotum_persoon))] => { get: incidenten::een }
    "/incidenten/{id}/verklaringen" => { post: incidenten::verklaring }
    "/incidenten/{id}/wederhoor" => { put: incidenten::wederhoor }
    "/incidenten/{id}/eigen-verklaringen" met [.wrap(from_fn(crate::limieten::quotum_persoon))] => { get: eigen_verklaringen::incident_lijst, post: eigen_verklaringen::incident_voeg_toe }
    "/beschikkingen/{id}/eigen-verklaringen" met [.wrap(from_fn(crate::limieten::quotum_persoon))] => { get: eigen_verklaringen::beschikking_lijst, post: eigen_verklaringen::beschikking_voeg_toe }
    "/betrokkenheden" met [.wrap(from_fn(crate::limieten::quotum_betrokkenheid))] => { post: betrokkenheden::registreer }
    "/betrokkenheden/{id}" => { delete: betrokkenheden::beeindig }
    "/matches" => { get: betrokkenheden::lijst }
    "/matches/{id}" => { get: betrokkenheden::een }
    "/briefings/_zoek" met [.wrap(from_fn(crate::limieten::quotum_briefing))] => { post: briefings::zoek }
    "/demo-klok/verschuivingen" => { post: demo_klok::verschuif }
    "/zorgmeldingen/{id}/terugkoppelingen" => { get: terugkoppelingen::lijst, post: terugkoppelingen::geef }
    "/terugkoppelingen/{id}/eigen-verklaringen" => { get: eigen_verklaringen::terugkoppeling_lijst, post: eigen_verklaringen::terugkoppeling_voeg_toe }
    "/abonnementen" => { get: abonnementen::lijst, post: abonnementen::maak }
    "/abonnementen/{id}" => { get: abonnementen::een, delete: abonnementen::verwijder }
    "/dode-berichten" => { get: dode_berichten::lijst }
    "/dode-berichten/{id}/_opnieuw" => { post: dode_berichten::opnieuw }
    "/rapportages/terugkoppeling" => { get: rapportages::terugkoppeling }
    "/berichten" => { get: berichten::lijst }
    "/quotumoverschrijdingen/{id}" => { get: quotumoverschrijdingen::een }
    "/termijnen" => { get: zorgmeldingen::termijnen_lijst }
    "/bewaartermijnen" => { get: bewaartermijnen::lijst }
    "/bewaartermijnen/{soort}" => { get: bewaartermijnen::een, put: bewaartermijnen::zet }
    "/sluitingsdagen" => { get: sluitingsdagen::lijst }
    "/sluitingsdagen/{datum}" => { get: sluitingsdagen::een, put: sluitingsdagen::zet, delete: sluitingsdagen::verwijder }
}
