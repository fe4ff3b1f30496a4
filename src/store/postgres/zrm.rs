//! ZRM assessments (zelfredzaamheidsmatrix) of a household's members on PostgreSQL.

use chrono::NaiveDate;

use tokio_postgres::Row;

use super::{Result, Store, Tx};
use crate::auth::Session;
use crate::domain::zrm::{Assessment, Scores, decode_scores};
use crate::model::changes::Change;
use crate::store::shared::codec::corrupt;

impl Store {
    /// Records a ZRM assessment of a household member.
    pub fn record_zrm(
        &mut self,
        session: &Session,
        person_id: i64,
        on: NaiveDate,
        scores: &Scores,
    ) -> Result<Assessment> {
        let household_id = self.household_of_person(person_id)?;
        let change = Change::Zrm {
            person_id,
            on,
            scores: scores.clone(),
        };
        let applied = self.apply(session, household_id, &change)?;
        Ok(Assessment {
            id: applied.record_id,
            person_id,
            assessed_on: on,
            assessed_by: session.user_id,
            scores: scores.clone(),
        })
    }
}

/// A household's assessments, per person oldest first.
/// The query of [`assessments_of`], for a caller that sends it with others ([`Tx::queries`]).
pub(crate) const ASSESSMENTS_OF: &str =
    "SELECT id, person_id, assessed_on, assessed_by, scores FROM zrm_assessment
         WHERE household_id = $1 ORDER BY person_id, assessed_on, id";

pub(crate) fn assessments_of(tx: &mut Tx<'_>, household_id: i64) -> Result<Vec<Assessment>> {
    assessments_rows(&tx.query(ASSESSMENTS_OF, &[&household_id])?)
}

/// The rows of [`ASSESSMENTS_OF`].
pub(crate) fn assessments_rows(rows: &[Row]) -> Result<Vec<Assessment>> {
    rows.iter()
        .map(|r| {
            let scores: String = r.try_get(4)?;
            Ok(Assessment {
                id: r.try_get(0)?,
                person_id: r.try_get(1)?,
                assessed_on: r.try_get(2)?,
                assessed_by: r.try_get(3)?,
                scores: decode_scores(&scores)
                    .ok_or_else(|| corrupt("zrm_assessment", "scores", scores.clone()))?,
            })
        })
        .collect()
}
