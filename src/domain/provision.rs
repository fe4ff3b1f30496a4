//! Provisions (voorzieningen): the support a household member gets under the Wmo or the
//! Jeugdwet, from a request at the kitchen table through the beschikking (the municipality's
//! formal decision) and the toewijzing (the assignment to a provider) to its end.
//!
//! Units and frequencies follow the iStandaarden code lists (iWmo/iJw 3.2: eenheid and
//! frequentie), so a toewijzing can be sent to a provider as a 301 message.

use chrono::NaiveDate;
use serde::Serialize;

use super::invalid::{Invalid, optional_text};

/// The law a provision is given under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Law {
    /// Wet maatschappelijke ondersteuning 2015.
    Wmo,
    /// Jeugdwet.
    Jeugdwet,
}

impl Law {
    /// Both laws.
    pub const ALL: [Law; 2] = [Law::Wmo, Law::Jeugdwet];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Law::Wmo => "wmo",
            Law::Jeugdwet => "jeugdwet",
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Law::Wmo => "Wmo",
            Law::Jeugdwet => "Jeugdwet",
        }
    }

    /// Parses a stored or typed code.
    pub fn parse(s: &str) -> Result<Law, Invalid> {
        let w = s.trim().to_lowercase();
        Law::ALL
            .into_iter()
            .find(|l| l.code() == w || l.name().to_lowercase() == w)
            .ok_or_else(|| {
                Invalid::new(
                    "law",
                    format!("Onbekende wet '{}'. Kies Wmo of Jeugdwet.", s.trim()),
                    format!("Unknown law '{}'. Choose Wmo or Jeugdwet.", s.trim()),
                )
            })
    }
}

/// How a provision is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Financing {
    /// Zorg in natura: the municipality contracts and pays the provider.
    Zin,
    /// Persoonsgebonden budget: the resident buys the support; the SVB pays from the budget.
    Pgb,
}

impl Financing {
    /// Both forms.
    pub const ALL: [Financing; 2] = [Financing::Zin, Financing::Pgb];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Financing::Zin => "zin",
            Financing::Pgb => "pgb",
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Financing::Zin => "zorg in natura",
            Financing::Pgb => "PGB",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Result<Financing, Invalid> {
        let w = s.trim().to_lowercase();
        Financing::ALL
            .into_iter()
            .find(|f| f.code() == w)
            .ok_or_else(|| {
                Invalid::new(
                    "financing",
                    format!("Onbekende financiering '{}'. Kies zin of pgb.", s.trim()),
                    format!("Unknown financing '{}'. Choose zin or pgb.", s.trim()),
                )
            })
    }
}

/// The unit of a provision's volume (iStandaarden code list "eenheid").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Minutes.
    Minuut,
    /// Hours.
    Uur,
    /// Day and night.
    Etmaal,
    /// A part of a day (4 hours).
    Dagdeel,
    /// Pieces.
    Stuks,
    /// Euros (a budget).
    Euro,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 6] = [
        Unit::Minuut,
        Unit::Uur,
        Unit::Etmaal,
        Unit::Dagdeel,
        Unit::Stuks,
        Unit::Euro,
    ];

    /// Stored code (a Dutch word).
    pub fn code(self) -> &'static str {
        match self {
            Unit::Minuut => "minuut",
            Unit::Uur => "uur",
            Unit::Etmaal => "etmaal",
            Unit::Dagdeel => "dagdeel",
            Unit::Stuks => "stuks",
            Unit::Euro => "euro",
        }
    }

    /// The code in the iWmo/iJw 301 message.
    pub fn istandaard(self) -> &'static str {
        match self {
            Unit::Minuut => "01",
            Unit::Uur => "04",
            Unit::Etmaal => "14",
            Unit::Dagdeel => "16",
            Unit::Stuks => "82",
            Unit::Euro => "83",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Result<Unit, Invalid> {
        let w = s.trim().to_lowercase();
        Unit::ALL.into_iter().find(|u| u.code() == w).ok_or_else(|| {
            Invalid::new(
                "unit",
                format!(
                    "Onbekende eenheid '{}'. Kies uit: minuut, uur, etmaal, dagdeel, stuks, euro.",
                    s.trim()
                ),
                format!(
                    "Unknown unit '{}'. Choose one of: minuut, uur, etmaal, dagdeel, stuks, euro.",
                    s.trim()
                ),
            )
        })
    }
}

/// How often the volume is given (iStandaarden code list "frequentie").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Per day.
    PerDag,
    /// Per week.
    PerWeek,
    /// Per month.
    PerMaand,
    /// In total, within the validity of the toewijzing.
    Totaal,
}

impl Frequency {
    /// Every frequency.
    pub const ALL: [Frequency; 4] = [
        Frequency::PerDag,
        Frequency::PerWeek,
        Frequency::PerMaand,
        Frequency::Totaal,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Frequency::PerDag => "per_dag",
            Frequency::PerWeek => "per_week",
            Frequency::PerMaand => "per_maand",
            Frequency::Totaal => "totaal",
        }
    }

    /// Display words.
    pub fn name(self) -> &'static str {
        match self {
            Frequency::PerDag => "per dag",
            Frequency::PerWeek => "per week",
            Frequency::PerMaand => "per maand",
            Frequency::Totaal => "totaal binnen de geldigheidsduur",
        }
    }

    /// The code in the iWmo/iJw 301 message.
    pub fn istandaard(self) -> &'static str {
        match self {
            Frequency::PerDag => "1",
            Frequency::PerWeek => "2",
            Frequency::PerMaand => "4",
            Frequency::Totaal => "6",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Result<Frequency, Invalid> {
        let w = s.trim().to_lowercase().replace(' ', "_");
        Frequency::ALL
            .into_iter()
            .find(|f| f.code() == w)
            .ok_or_else(|| {
                Invalid::new(
                    "frequency",
                    format!(
                        "Onbekende frequentie '{}'. Kies uit: per dag, per week, per maand, totaal.",
                        s.trim()
                    ),
                    format!(
                        "Unknown frequency '{}'. Choose one of: per dag, per week, per maand, totaal.",
                        s.trim()
                    ),
                )
            })
    }
}

/// Where a provision is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionStatus {
    /// Requested by the professional; awaiting a beschikking.
    Aangevraagd,
    /// Granted in a beschikking; awaiting a toewijzing (ZIN) or the SVB (PGB).
    Toegekend,
    /// Refused in a beschikking.
    Afgewezen,
    /// Assigned to a provider (the 301 message was sent).
    Toegewezen,
    /// The provider started.
    Gestart,
    /// Ended, with a reason.
    Beeindigd,
}

impl ProvisionStatus {
    /// Every status, in life order.
    pub const ALL: [ProvisionStatus; 6] = [
        ProvisionStatus::Aangevraagd,
        ProvisionStatus::Toegekend,
        ProvisionStatus::Afgewezen,
        ProvisionStatus::Toegewezen,
        ProvisionStatus::Gestart,
        ProvisionStatus::Beeindigd,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            ProvisionStatus::Aangevraagd => "aangevraagd",
            ProvisionStatus::Toegekend => "toegekend",
            ProvisionStatus::Afgewezen => "afgewezen",
            ProvisionStatus::Toegewezen => "toegewezen",
            ProvisionStatus::Gestart => "gestart",
            ProvisionStatus::Beeindigd => "beeindigd",
        }
    }

    /// Display word.
    pub fn name(self) -> &'static str {
        match self {
            ProvisionStatus::Beeindigd => "beëindigd",
            other => other.code(),
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Option<ProvisionStatus> {
        let w = s.trim().to_lowercase();
        ProvisionStatus::ALL
            .into_iter()
            .find(|p| p.code() == w || p.name() == w)
    }

    /// Whether a provision may go from this status to `to`. A PGB is not assigned to a
    /// provider: it starts once granted. Any running provision can end.
    pub fn may_become(self, to: ProvisionStatus, financing: Financing) -> bool {
        use ProvisionStatus::*;
        matches!(
            (self, to, financing),
            (Aangevraagd, Toegekend | Afgewezen, _)
                | (Toegekend, Toegewezen, Financing::Zin)
                | (Toegekend, Gestart, Financing::Pgb)
                | (Toegewezen, Gestart, _)
                | (Toegekend | Toegewezen | Gestart, Beeindigd, _)
        )
    }

    /// The refusal of a step that is not allowed, naming both statuses.
    pub fn refusal(self, to: ProvisionStatus) -> Invalid {
        Invalid::new(
            "status",
            format!(
                "Een voorziening met status '{}' kan niet naar '{}'.",
                self.name(),
                to.name()
            ),
            format!(
                "A provision with status '{}' cannot become '{}'.",
                self.name(),
                to.name()
            ),
        )
    }
}

/// An AGB code: the 8-digit national code of a care or support provider.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct AgbCode(String);

impl AgbCode {
    /// Validates 8 digits (spaces ignored).
    pub fn parse(input: &str) -> Result<AgbCode, Invalid> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.chars().all(|c| c.is_ascii_digit()) && digits.len() == 8 {
            return Ok(AgbCode(digits));
        }
        let shown: String = input.trim().chars().take(20).collect();
        Err(Invalid::new(
            "agb",
            format!(
                "Een AGB-code heeft 8 cijfers; '{shown}' heeft er {}.",
                digits.chars().filter(char::is_ascii_digit).count()
            ),
            format!(
                "An AGB code has 8 digits; '{shown}' has {}.",
                digits.chars().filter(char::is_ascii_digit).count()
            ),
        ))
    }

    /// The 8 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The values of a requested provision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvisionFields {
    /// The member it is for.
    pub person_id: i64,
    /// Wmo or Jeugdwet.
    pub law: Law,
    /// Product category code (two digits, e.g. `02` Begeleiding).
    pub category: String,
    /// Product code within the category.
    pub product: String,
    /// The provider, when already chosen (must be contracted for the product).
    pub provider_id: Option<i64>,
    /// First day.
    pub start_on: NaiveDate,
    /// Last day.
    pub end_on: Option<NaiveDate>,
    /// Volume per frequency.
    pub volume: u32,
    /// Unit of the volume.
    pub unit: Unit,
    /// How often.
    pub frequency: Frequency,
    /// ZIN or PGB.
    pub financing: Financing,
    /// Whether an eigen bijdrage (CAK) applies.
    pub eigen_bijdrage: bool,
    /// A short motivation.
    pub motivation: Option<String>,
}

impl ProvisionFields {
    /// Checks what does not need the database: an end before the start, a zero volume, the
    /// law against the category (Wmo 01–18, Jeugdwet 40–59), the motivation's length.
    pub fn validate(mut self) -> Result<ProvisionFields, Invalid> {
        if let Some(end) = self.end_on
            && end < self.start_on
        {
            return Err(Invalid::new(
                "end_on",
                "De einddatum ligt voor de begindatum.",
                "The end date is before the start date.",
            ));
        }
        if self.volume == 0 {
            return Err(Invalid::new(
                "volume",
                "De omvang moet groter dan 0 zijn.",
                "The volume must be more than 0.",
            ));
        }
        let category: u32 = self.category.parse().unwrap_or(0);
        let fits = match self.law {
            Law::Wmo => (1..=18).contains(&category),
            Law::Jeugdwet => (40..=59).contains(&category),
        };
        if !fits {
            return Err(Invalid::new(
                "category",
                format!(
                    "Productcategorie '{}' hoort niet bij de {}.",
                    self.category,
                    self.law.name()
                ),
                format!(
                    "Product category '{}' does not belong to the {}.",
                    self.category,
                    self.law.name()
                ),
            ));
        }
        self.motivation = optional_text(
            "motivation",
            "De motivering",
            "The motivation",
            self.motivation.as_deref(),
            500,
        )?;
        Ok(self)
    }
}

/// A provision as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provision {
    /// Database id.
    pub id: i64,
    /// The household.
    pub household_id: i64,
    /// The member it is for.
    pub person_id: i64,
    /// Wmo or Jeugdwet.
    pub law: Law,
    /// Product category code.
    pub category: String,
    /// Product code.
    pub product: String,
    /// The provider, once chosen.
    pub provider_id: Option<i64>,
    /// First day.
    pub start_on: NaiveDate,
    /// Last day.
    pub end_on: Option<NaiveDate>,
    /// Volume per frequency.
    pub volume: u32,
    /// Unit.
    pub unit: Unit,
    /// Frequency.
    pub frequency: Frequency,
    /// ZIN or PGB.
    pub financing: Financing,
    /// Whether an eigen bijdrage applies.
    pub eigen_bijdrage: bool,
    /// Motivation.
    pub motivation: Option<String>,
    /// Where it is.
    pub status: ProvisionStatus,
    /// Date and number of the beschikking, once decided.
    pub beschikking: Option<(NaiveDate, String)>,
    /// The toewijzing number and date, once assigned.
    pub toewijzing: Option<(String, NaiveDate)>,
    /// When it was reported to the SVB (PGB).
    pub svb_reported_on: Option<NaiveDate>,
    /// When the eigen bijdrage was notified to the CAK.
    pub cak_notified_on: Option<NaiveDate>,
    /// When and why it ended.
    pub ended: Option<(NaiveDate, String)>,
    /// The actual care as the provider reports it (start and stop messages).
    pub care: Care,
}

/// The actual care of a provision as the provider reports it: the first day (start message,
/// 305) and the last day with the reason (stop message, 307; code list `RedenBeeindiging`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Care {
    /// First day of care.
    pub started_on: Option<NaiveDate>,
    /// Last day of care.
    pub ended_on: Option<NaiveDate>,
    /// Why the care ended (a code such as `19`).
    pub end_reason: Option<String>,
}

impl Care {
    /// "zorg 03-12-2026 – 31-03-2027", "zorg vanaf 03-12-2026", or "" without a start.
    pub fn describe(&self) -> String {
        let d = |d: NaiveDate| d.format("%d-%m-%Y").to_string();
        match (self.started_on, self.ended_on) {
            (Some(s), Some(e)) => format!("zorg {} – {}", d(s), d(e)),
            (Some(s), None) => format!("zorg vanaf {}", d(s)),
            (None, Some(e)) => format!("zorg tot {}", d(e)),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> ProvisionFields {
        ProvisionFields {
            person_id: 1,
            law: Law::Wmo,
            category: "02".into(),
            product: "02A03".into(),
            provider_id: None,
            start_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            end_on: NaiveDate::from_ymd_opt(2027, 5, 31),
            volume: 3,
            unit: Unit::Uur,
            frequency: Frequency::PerWeek,
            financing: Financing::Zin,
            eigen_bijdrage: true,
            motivation: Some("  Begeleiding bij de administratie ".into()),
        }
    }

    #[test]
    fn every_allowed_and_refused_status_step() {
        use Financing::{Pgb, Zin};
        use ProvisionStatus::*;
        // The whole table of allowed steps; every other combination is refused.
        let allowed = [
            (Aangevraagd, Toegekend, Zin),
            (Aangevraagd, Toegekend, Pgb),
            (Aangevraagd, Afgewezen, Zin),
            (Aangevraagd, Afgewezen, Pgb),
            (Toegekend, Toegewezen, Zin),
            (Toegekend, Gestart, Pgb),
            (Toegewezen, Gestart, Zin),
            (Toegewezen, Gestart, Pgb),
            (Toegekend, Beeindigd, Zin),
            (Toegekend, Beeindigd, Pgb),
            (Toegewezen, Beeindigd, Zin),
            (Toegewezen, Beeindigd, Pgb),
            (Gestart, Beeindigd, Zin),
            (Gestart, Beeindigd, Pgb),
        ];
        let mut checked = 0;
        for from in ProvisionStatus::ALL {
            for to in ProvisionStatus::ALL {
                for f in Financing::ALL {
                    let expected = allowed.contains(&(from, to, f));
                    assert_eq!(
                        from.may_become(to, f),
                        expected,
                        "{from:?} → {to:?} ({f:?})"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 72);
        assert!(
            !Toegekend.may_become(Toegewezen, Financing::Pgb),
            "a PGB has no toewijzing"
        );
        assert!(!Afgewezen.may_become(Toegekend, Financing::Zin));
        assert!(Beeindigd.refusal(Gestart).nl.contains("'beëindigd'"));
    }

    #[test]
    fn agb_codes_have_eight_digits() {
        assert_eq!(
            AgbCode::parse("7305 1234").map(|a| a.0),
            Ok("73051234".into())
        );
        let e = AgbCode::parse("7305123").unwrap_err();
        assert!(e.nl.contains("heeft er 7"), "{}", e.nl);
        assert!(AgbCode::parse("7305123x").is_err());
    }

    #[test]
    fn an_end_before_the_start_a_zero_volume_and_a_wrong_category_are_refused() {
        assert_eq!(
            fields().validate().map(|f| f.motivation),
            Ok(Some("Begeleiding bij de administratie".into()))
        );
        let mut early = fields();
        early.end_on = NaiveDate::from_ymd_opt(2026, 11, 30);
        assert_eq!(early.validate().unwrap_err().field, "end_on");
        let mut none = fields();
        none.volume = 0;
        assert_eq!(none.validate().unwrap_err().field, "volume");
        let mut youth = fields();
        youth.law = Law::Jeugdwet;
        assert_eq!(youth.validate().unwrap_err().field, "category");
    }

    #[test]
    fn codes_round_trip() {
        for u in Unit::ALL {
            assert_eq!(Unit::parse(u.code()), Ok(u));
        }
        for f in Frequency::ALL {
            assert_eq!(Frequency::parse(f.code()), Ok(f));
        }
        assert_eq!(Frequency::parse("per week"), Ok(Frequency::PerWeek));
        for s in ProvisionStatus::ALL {
            assert_eq!(ProvisionStatus::parse(s.code()), Some(s));
        }
        assert_eq!(Law::parse("Jeugdwet"), Ok(Law::Jeugdwet));
        assert!(Financing::parse("cash").is_err());
    }
}
