//! Households (huishouden / gezin): the unit of work, and their members (gezinsleden).

use chrono::NaiveDate;
use serde::Serialize;

use super::address::HouseNumber;
use super::bsn::Bsn;
use super::invalid::{Invalid, optional_text, required_text};
use super::phone::Phone;
use super::postcode::Postcode;

/// A Dutch address as the household lives there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Address {
    /// Street name.
    pub street: String,
    /// House number with optional addition.
    pub house_number: HouseNumber,
    /// Postcode, normalised ("3521 AB").
    pub postcode: Postcode,
    /// City (woonplaats).
    pub city: String,
}

impl Address {
    /// Validates the four parts of an address as typed.
    pub fn parse(
        street: &str,
        house_number: &str,
        postcode: &str,
        city: &str,
    ) -> Result<Address, Invalid> {
        Ok(Address {
            street: required_text("street", "Straat", "Street", street, 80)?,
            house_number: HouseNumber::parse(house_number)
                .map_err(|e| Invalid::from_error("house_number", &e))?,
            postcode: Postcode::parse(postcode).map_err(|e| Invalid::from_error("postcode", &e))?,
            city: required_text("city", "Woonplaats", "City", city, 60)?,
        })
    }

    /// "Kanaalweg 12A, 3521 AB Utrecht".
    pub fn one_line(&self) -> String {
        format!(
            "{} {}, {} {}",
            self.street, self.house_number, self.postcode, self.city
        )
    }
}

/// Whether a household is being supported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum HouseholdStatus {
    /// Support is ongoing.
    Open,
    /// Support ended on a date, for a reason.
    Closed {
        /// The closing date.
        on: NaiveDate,
        /// Why support ended ("doelen bereikt", "verhuisd", …).
        reason: String,
    },
}

/// Validates the reason given when a household is closed.
pub fn validate_close_reason(reason: &str) -> Result<String, Invalid> {
    required_text(
        "close_reason",
        "De reden van afsluiten",
        "The closing reason",
        reason,
        200,
    )
}

/// Validates a household label such as "Fam. Jansen".
pub fn validate_label(label: &str) -> Result<String, Invalid> {
    required_text(
        "label",
        "De naam van het huishouden",
        "The household name",
        label,
        80,
    )
}

/// A household as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Household {
    /// Database id.
    pub id: i64,
    /// Label, e.g. "Fam. El Amrani".
    pub label: String,
    /// Where the household lives.
    pub address: Address,
    /// The team that supports it.
    pub team_id: i64,
    /// The regisseur: the one professional who coordinates (één gezin, één plan, één regisseur).
    pub regisseur_id: i64,
    /// Date support started.
    pub opened_on: NaiveDate,
    /// Open or closed.
    pub status: HouseholdStatus,
}

/// A household to be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewHousehold {
    /// Label.
    pub label: String,
    /// Address.
    pub address: Address,
    /// Team.
    pub team_id: i64,
    /// Regisseur.
    pub regisseur_id: i64,
    /// Start date.
    pub opened_on: NaiveDate,
}

/// A member's role in the household.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// Parent or carer (ouder/verzorger).
    Ouder,
    /// Partner without children in the household.
    Partner,
    /// Child.
    Kind,
    /// Other member (grandparent, lodger, …).
    Overig,
}

impl MemberRole {
    /// Every role in display order.
    pub const ALL: [MemberRole; 4] = [
        MemberRole::Ouder,
        MemberRole::Partner,
        MemberRole::Kind,
        MemberRole::Overig,
    ];

    /// Stored code and Dutch display word.
    pub fn code(self) -> &'static str {
        match self {
            MemberRole::Ouder => "ouder",
            MemberRole::Partner => "partner",
            MemberRole::Kind => "kind",
            MemberRole::Overig => "overig",
        }
    }

    /// Parses a stored or typed code.
    pub fn parse(s: &str) -> Result<MemberRole, Invalid> {
        let w = s.trim().to_lowercase();
        MemberRole::ALL
            .into_iter()
            .find(|r| r.code() == w)
            .ok_or_else(|| {
                Invalid::new(
                    "member_role",
                    format!(
                        "Onbekende rol in het gezin '{}'. Kies uit: ouder, partner, kind, overig.",
                        s.trim()
                    ),
                    format!(
                        "Unknown household role '{}'. Choose one of: ouder, partner, kind, overig.",
                        s.trim()
                    ),
                )
            })
    }
}

/// A member of a household (gezinslid).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Database id.
    pub id: i64,
    /// The household.
    pub household_id: i64,
    /// Full name as the household uses it.
    pub name: String,
    /// Birth date, when known.
    pub birth_date: Option<NaiveDate>,
    /// Role in the household.
    pub role: MemberRole,
    /// BSN, only when needed for a beschikking (data minimisation).
    pub bsn: Option<Bsn>,
    /// Phone number.
    pub phone: Option<Phone>,
    /// Counts the changes to this member (see [`crate::domain::agreement::Agreement::version`]).
    pub version: i64,
}

impl Person {
    /// Age in whole years on `today`, when the birth date is known.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        self.birth_date.and_then(|b| today.years_since(b))
    }
}

/// A member to be added or the new values of an existing member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFields {
    /// Name.
    pub name: String,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Role in the household.
    pub role: MemberRole,
    /// Optional BSN.
    pub bsn: Option<Bsn>,
    /// Optional phone.
    pub phone: Option<Phone>,
}

impl PersonFields {
    /// Validates a member as typed; `birth_date` is parsed by the caller (it needs today's date).
    pub fn parse(
        name: &str,
        birth_date: Option<NaiveDate>,
        role: &str,
        bsn: Option<&str>,
        phone: Option<&str>,
    ) -> Result<PersonFields, Invalid> {
        let bsn = match optional_text("bsn", "BSN", "BSN", bsn, 20)? {
            None => None,
            Some(b) => Some(Bsn::parse(&b).map_err(|e| Invalid::from_error("bsn", &e))?),
        };
        let phone = match optional_text("phone", "Telefoon", "Phone", phone, 30)? {
            None => None,
            Some(p) => Some(Phone::parse(&p).map_err(|e| Invalid::from_error("phone", &e))?),
        };
        Ok(PersonFields {
            name: required_text("name", "De naam", "The name", name, 80)?,
            birth_date,
            role: MemberRole::parse(role)?,
            bsn,
            phone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_normalises_postcode_and_names_the_bad_field() {
        let a = Address::parse("Kanaalweg", "12a", "3521ab", "Utrecht").unwrap();
        assert_eq!(a.postcode.as_str(), "3521 AB");
        let err = Address::parse("Kanaalweg", "12", "0123 AB", "Utrecht").unwrap_err();
        assert_eq!(err.field, "postcode");
        let err = Address::parse("", "12", "3521 AB", "Utrecht").unwrap_err();
        assert_eq!(err.field, "street");
    }

    #[test]
    fn person_rejects_bsn_failing_elfproef_and_unknown_role() {
        let ok = PersonFields::parse("Fatima El Amrani", None, "ouder", Some("111222333"), None)
            .unwrap();
        assert_eq!(
            ok.bsn.map(|b| b.as_str().to_string()),
            Some("111222333".to_string())
        );
        let err =
            PersonFields::parse("Fatima", None, "ouder", Some("111222334"), None).unwrap_err();
        assert_eq!(err.field, "bsn");
        let err = PersonFields::parse("Fatima", None, "oom", None, None).unwrap_err();
        assert_eq!(err.field, "member_role");
        assert!(
            PersonFields::parse("Fatima", None, "kind", Some("  "), Some(""))
                .unwrap()
                .bsn
                .is_none()
        );
    }

    #[test]
    fn age_counts_whole_years() {
        let p = Person {
            id: 1,
            household_id: 1,
            name: "Sara".into(),
            birth_date: NaiveDate::from_ymd_opt(2017, 11, 24),
            role: MemberRole::Kind,
            bsn: None,
            phone: None,
            version: 1,
        };
        assert_eq!(
            p.age_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
            Some(8)
        );
        assert_eq!(
            p.age_on(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
            Some(9)
        );
    }
}
