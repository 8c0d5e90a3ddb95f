//! The catalog's cross-module flow tables (seed 000 §2), one test per row: at each stage of a deal,
//! each persona (artist / agent or venue, and promoter) does what its cell says through its own
//! module's keys, and only through them.
//!
//! For every row: each side's keys are allowed to a user of a company that bought that persona;
//! the other side's keys are refused to it at layer 1 (the company did not buy that persona); a
//! company that bought both personas still needs each surface's own keys (layer 3); a cell that
//! only views ("View availability", "View restricted event data") has only `view` keys, and the
//! catalog has no other action on those resources for that side to be given.

use kisum_access::{Catalog, Denial, Key, Layer, Scope, Subject, decide};

#[path = "flows/tables.rs"]
mod tables;

use tables::{ARTIST, Row, VENUE};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

fn key(name: &str) -> Key {
    catalog()
        .key(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A user of `company`, which bought `modules` (all assigned to the user), holding `keys`.
fn persona(company: &str, modules: &[&str], keys: &[&str]) -> Subject {
    let mut b = Subject::builder(catalog(), "u1")
        .membership(company)
        .entitled(modules.iter().copied())
        .modules(modules.iter().copied());
    for k in keys {
        b = b.permission(key(k));
    }
    b.build().unwrap()
}

/// The seed's text holds the row as its table prints it: stage, other cell, promoter cell.
fn assert_transcribed(row: &Row) {
    let seed = include_str!("seeds/000_9a88d85e31a63c8e.txt");
    let line = format!("{}{}{}", row.stage, row.other.access, row.promoter.access);
    assert!(
        seed.lines().any(|l| l == line),
        "not a row of seed 000 §2: {line}"
    );
}

/// A view-only cell: `view` keys, and no other action on their resources in the catalog.
fn assert_view_only(access: &str, keys: &[&str]) {
    for name in keys {
        let resource = name
            .strip_suffix(".view")
            .unwrap_or_else(|| panic!("{name}: not a view key"));
        let others: Vec<&str> = catalog()
            .keys()
            .map(|k| catalog().name(k))
            .filter(|n| {
                n.rsplit_once('.')
                    .is_some_and(|(r, action)| r == resource && action != "view")
            })
            .collect();
        assert!(
            others.is_empty(),
            "{access:?}: {name} has other actions {others:?}"
        );
    }
}

/// Checks a row of the table whose other persona is `module` (`artist` or `venue`).
fn check(table: &[Row], module: &str, stage: &str) {
    let row = table
        .iter()
        .find(|r| r.stage == stage)
        .unwrap_or_else(|| panic!("no row {stage}"));
    assert_transcribed(row);
    let (other, promoter) = (&row.other, &row.promoter);
    let other_user = persona("band-co", &[module], other.keys);
    let promoter_user = persona("promo-co", &["promoter", "finance"], promoter.keys);
    let sides = [
        (
            other,
            &other_user,
            "band-co",
            promoter,
            &promoter_user,
            "promo-co",
        ),
        (
            promoter,
            &promoter_user,
            "promo-co",
            other,
            &other_user,
            "band-co",
        ),
    ];
    for (cell, user, company, across, across_user, across_company) in sides {
        for name in cell.keys {
            let d = decide(user, key(name), &Scope::company(company));
            assert!(d.is_allowed(), "{stage}, {:?}: {name} {d:?}", cell.access);
            // The other persona's company did not buy this surface: layer 1 refuses it.
            let d = decide(across_user, key(name), &Scope::company(across_company));
            let layer = d.denial().map(Denial::layer);
            assert_eq!(
                layer,
                Some(Layer::Commercial),
                "{stage}, {:?} using {name}",
                across.access
            );
        }
        if cell.view_only {
            assert_view_only(cell.access, cell.keys);
        }
    }
    // A company that bought both personas: each surface still needs its own keys.
    let both = persona("multi", &[module, "promoter", "finance"], promoter.keys);
    for name in other.keys.iter().filter(|k| !promoter.keys.contains(k)) {
        let d = decide(&both, key(name), &Scope::company("multi"));
        assert_eq!(
            d.denial(),
            Some(Denial::MissingPermission),
            "{stage}: promoter using {name}"
        );
    }
}

#[test]
fn artist_availability_posted() {
    check(&ARTIST, "artist", "Availability posted");
}

#[test]
fn artist_offer_sent() {
    check(&ARTIST, "artist", "Offer sent");
}

#[test]
fn artist_offer_accepted() {
    check(&ARTIST, "artist", "Offer accepted");
}

#[test]
fn artist_deal_confirmed_with_limited_event_data() {
    check(&ARTIST, "artist", "Deal confirmed");
    // The artist's event data is limited: view keys only, never the promoter's event keys.
    let row = &ARTIST[3];
    let event_keys: Vec<&str> = row
        .other
        .keys
        .iter()
        .copied()
        .filter(|k| k.starts_with("artist.event."))
        .collect();
    assert_eq!(
        event_keys,
        ["artist.event.view", "artist.event.finance.view"]
    );
    assert_view_only("limited event data", &event_keys);
    let artist = persona("band-co", &["artist", "promoter"], row.other.keys);
    for name in [
        "promoter.event.view",
        "promoter.event.edit",
        "promoter.event.sales.view",
    ] {
        let d = decide(&artist, key(name), &Scope::company("band-co"));
        assert_eq!(
            d.denial(),
            Some(Denial::MissingPermission),
            "artist using {name}"
        );
    }
}

#[test]
fn artist_event_active() {
    check(&ARTIST, "artist", "Event active");
}

#[test]
fn venue_venue_created() {
    check(&VENUE, "venue", "Venue created");
}

#[test]
fn venue_availability_posted() {
    check(&VENUE, "venue", "Availability posted");
}

#[test]
fn venue_booking_requested() {
    check(&VENUE, "venue", "Booking requested");
}

#[test]
fn venue_booking_accepted() {
    check(&VENUE, "venue", "Booking accepted");
}

#[test]
fn venue_deal_confirmed() {
    check(&VENUE, "venue", "Deal confirmed");
}

#[test]
fn venue_event_active() {
    check(&VENUE, "venue", "Event active");
}

/// The tables above are the seed's, row for row: no row left out.
#[test]
fn every_row_of_both_tables_is_checked() {
    let seed = include_str!("seeds/000_9a88d85e31a63c8e.txt");
    let lines: Vec<&str> = seed.lines().collect();
    for (header, table) in [
        (
            "Flow stageArtist / Agent accessPromoter access",
            &ARTIST[..],
        ),
        ("Flow stageVenue accessPromoter access", &VENUE[..]),
    ] {
        let at = lines
            .iter()
            .position(|l| *l == header)
            .expect("the table's header");
        let rows = lines[at + 1..]
            .iter()
            .take_while(|l| !l.is_empty() && !l.starts_with("Flow stage"));
        assert_eq!(rows.count(), table.len(), "{header}");
        table.iter().for_each(assert_transcribed);
    }
}
