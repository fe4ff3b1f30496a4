//! ZRM assessments (zelfredzaamheidsmatrix) of a household's members: reads and writes.

use chrono::NaiveDate;

use super::codec::{corrupt, parse_date};
use super::{Result, Store};
use crate::auth::Session;
use crate::domain::zrm::{Assessment, Scores, decode_scores};
use crate::model::changes::Change;

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

pub(crate) fn assessments_of(
    conn: &rusqlite::Connection,
    household_id: i64,
) -> Result<Vec<Assessment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, person_id, assessed_on, assessed_by, scores FROM zrm_assessment
         WHERE household_id = ?1 ORDER BY person_id, assessed_on, id",
    )?;
    let rows = stmt
        .query_map([household_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, person_id, on, by, scores)| {
            Ok(Assessment {
                id,
                person_id,
                assessed_on: parse_date("zrm_assessment", "assessed_on", &on)?,
                assessed_by: by,
                scores: decode_scores(&scores)
                    .ok_or_else(|| corrupt("zrm_assessment", "scores", scores.clone()))?,
            })
        })
        .collect()
}
