//! Seed 000 §2's flow tables, transcribed: for each stage, each persona's access as the seed words
//! it and the catalog keys that carry it out.

/// One persona's cell of a row: the seed's text and the keys that carry it out.
pub struct Cell {
    pub access: &'static str,
    pub keys: &'static [&'static str],
    /// The cell only views: every key ends in `.view` and no other action exists on its resources.
    pub view_only: bool,
}

/// A row of a flow table: the stage, the other persona's cell, the promoter's cell.
pub struct Row {
    pub stage: &'static str,
    pub other: Cell,
    pub promoter: Cell,
}

pub const fn cell(access: &'static str, keys: &'static [&'static str], view_only: bool) -> Cell {
    Cell {
        access,
        keys,
        view_only,
    }
}

/// The artist / agent vs promoter table.
pub const ARTIST: [Row; 5] = [
    Row {
        stage: "Availability posted",
        other: cell(
            "Manage own availability",
            &["artist.availability.view", "artist.availability.edit"],
            false,
        ),
        promoter: cell(
            "View availability",
            &["promoter.artist.availability.view"],
            true,
        ),
    },
    Row {
        stage: "Offer sent",
        other: cell(
            "View / manage received offer",
            &[
                "artist.offer.view",
                "artist.offer.manage",
                "artist.availability.offer.view",
                "artist.availability.offer.manage",
            ],
            false,
        ),
        promoter: cell(
            "View / manage sent offer",
            &["promoter.artist.offer.view", "promoter.artist.offer.edit"],
            false,
        ),
    },
    Row {
        stage: "Offer accepted",
        // Accepting the offer confirms the deal, which the artist then sees.
        other: cell(
            "Deal becomes confirmed",
            &["artist.offer.manage", "artist.deal.view"],
            false,
        ),
        // The promoter moves the event from pending to confirmed, and sees the deal.
        promoter: cell(
            "Event changes from pending to confirmed",
            &["promoter.event.edit", "promoter.artist.deal.view"],
            false,
        ),
    },
    Row {
        stage: "Deal confirmed",
        // "Limited event data": the linked event and its restricted finance summary, view only.
        other: cell(
            "View / manage deal, contract, limited event data",
            &[
                "artist.deal.view",
                "artist.deal.manage",
                "artist.contract.view",
                "artist.contract.manage",
                "artist.event.view",
                "artist.event.finance.view",
            ],
            false,
        ),
        promoter: cell(
            "Manage event, finance, ticket sales, contract",
            &[
                "promoter.event.edit",
                "finance.settlement.edit",
                "promoter.event.sales.edit",
                "promoter.artist.contract.edit",
            ],
            false,
        ),
    },
    Row {
        stage: "Event active",
        other: cell(
            "View restricted event data",
            &[
                "artist.event.view",
                "artist.event.finance.view",
                "artist.event.ticket.view",
                "artist.event.production.view",
            ],
            true,
        ),
        promoter: cell(
            "Full event management",
            &[
                "promoter.event.view",
                "promoter.event.edit",
                "promoter.event.sales.edit",
                "promoter.event.commercial.edit",
                "promoter.event.analytics.view",
            ],
            false,
        ),
    },
];

/// The venue vs promoter table.
pub const VENUE: [Row; 6] = [
    Row {
        stage: "Venue created",
        other: cell(
            "Manage venue profile and spaces",
            &["venue.venue.edit", "venue.profile.edit", "venue.space.edit"],
            false,
        ),
        promoter: cell(
            "View venue profile and spaces",
            &["promoter.venue.view", "promoter.venue.space.view"],
            true,
        ),
    },
    Row {
        stage: "Availability posted",
        other: cell(
            "Manage own availability",
            &["venue.availability.view", "venue.availability.edit"],
            false,
        ),
        promoter: cell(
            "View availability",
            &["promoter.venue.availability.view"],
            true,
        ),
    },
    Row {
        stage: "Booking requested",
        other: cell(
            "View / manage received booking",
            &["venue.booking.view", "venue.booking.manage"],
            false,
        ),
        promoter: cell(
            "View / manage own booking request",
            &["promoter.venue.booking.view", "promoter.venue.booking.edit"],
            false,
        ),
    },
    Row {
        stage: "Booking accepted",
        // Accepting the booking confirms the deal, which the venue then sees.
        other: cell(
            "Deal becomes confirmed",
            &["venue.booking.manage", "venue.deal.view"],
            false,
        ),
        // The promoter links the event to the confirmed venue deal.
        promoter: cell(
            "Event is linked to confirmed venue deal",
            &["promoter.event.edit", "promoter.venue.deal.view"],
            false,
        ),
    },
    Row {
        stage: "Deal confirmed",
        other: cell(
            "Manage deal and contracts",
            &[
                "venue.deal.view",
                "venue.deal.manage",
                "venue.contract.view",
                "venue.contract.manage",
            ],
            false,
        ),
        promoter: cell(
            "View deal and contracts",
            &["promoter.venue.deal.view", "promoter.venue.contract.view"],
            true,
        ),
    },
    Row {
        stage: "Event active",
        // The venue has no event keys of its own: it sees the promoter linked to the booking.
        other: cell(
            "View promoter / event context if shared",
            &["venue.promoter.view"],
            true,
        ),
        promoter: cell(
            "Manage event from promoter side",
            &["promoter.event.view", "promoter.event.edit"],
            false,
        ),
    },
];
