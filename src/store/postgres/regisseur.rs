//! Regisseur reassignment on PostgreSQL: the teamleider decides who is a household's
//! regisseur (see `sqlite::regisseur`).

use super::audit::{Action, AuditEvent};
use super::users::load_user;
use super::{Result, Store};
use crate::auth::Session;
use crate::auth::policy::Operation;
use crate::domain::Invalid;
use crate::domain::user::{Role, User, validate_username};
use crate::store::shared::login::unknown_user;

impl Store {
    /// Makes `username` the regisseur of a household. The new regisseur must be an active
    /// professional or teamleider of the household's team. Audited; a refusal is audited too.
    pub fn reassign_regisseur(
        &mut self,
        session: &Session,
        household_id: i64,
        username: &str,
    ) -> Result<User> {
        let name = validate_username(username)?;
        self.household_access(session, household_id, Operation::ReassignRegisseur, |tx, _| {
            let r = tx.query_one(
                "SELECT team_id, regisseur_id FROM kt_household_place($1)",
                &[&household_id],
            )?;
            let (team, old): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            let id: i64 = tx
                .query_opt(
                    "SELECT id FROM app_user WHERE lower(username) = lower($1)",
                    &[&name],
                )?
                .map(|r| r.try_get(0))
                .transpose()?
                .ok_or_else(|| unknown_user(&name))?;
            let user = load_user(tx, id)?;
            let fits = user.team_id == Some(team)
                && matches!(user.role, Role::Professional | Role::Teamleider)
                && !user.disabled;
            if !fits {
                return Err(Invalid::new(
                    "regisseur",
                    format!(
                        "{} kan geen regisseur van dit huishouden zijn: alleen een actieve professional of teamleider van hetzelfde team.",
                        user.username
                    ),
                    format!(
                        "{} cannot be this household's regisseur: only an active professional or team lead of the same team.",
                        user.username
                    ),
                )
                .into());
            }
            // Through the server's function: a teamleider's connection reads no household.
            tx.query_one(
                "SELECT kt_set_regisseur($1, $2)",
                &[&household_id, &id],
            )?;
            let event =
                AuditEvent::household(Action::Update, "household", household_id, household_id)
                    .with_detail(format!("regisseur {old} -> {id}"));
            Ok((user, event))
        })
    }
}
