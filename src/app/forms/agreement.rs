//! The agreement form, new or edited: what, when, who (guessed from the first word), formal or not,
//! and its ZRM domain.

use super::check::{Checker, Errors, some_text};
use super::{Env, Form, FormKind, Submit, refresh};
use crate::app::form::{Choice, Field};
use crate::domain::agreement::{Actor, Agreement, AgreementFields};
use crate::domain::dates::format_date;
use crate::domain::invalid::required_text;
use crate::domain::text::fold;
use crate::model::changes::Change;

fn actor_choices(env: Env<'_>) -> Vec<Choice> {
    Actor::ALL
        .iter()
        .map(|a| {
            let label = match a {
                Actor::Client => env.t("cliënt", "client"),
                other => other.code().to_string(),
            };
            Choice::new(a.code(), label)
        })
        .collect()
}

fn formal_choices(env: Env<'_>) -> Vec<Choice> {
    vec![
        Choice::new("informeel", env.t("informeel", "informal")),
        Choice::new("formeel", env.t("formeel", "formal")),
    ]
}

/// The agreement form, empty or with an agreement's values.
pub fn agreement(env: Env<'_>, existing: Option<&Agreement>) -> Form {
    let (title, what, due, who, formal, domain) = match existing {
        Some(a) => (
            env.t("Afspraak wijzigen", "Edit agreement"),
            a.what.clone(),
            a.due_on.map(format_date).unwrap_or_default(),
            a.who.code(),
            if a.formal { "formeel" } else { "informeel" },
            a.zrm_domain.clone().unwrap_or_default(),
        ),
        None => (
            env.t("Nieuwe afspraak", "New agreement"),
            String::new(),
            String::new(),
            Actor::Client.code(),
            "informeel",
            String::new(),
        ),
    };
    let mut fields = vec![
        Field::text("what", env.t("Wat", "What"), &what, 200),
        Field::text("due", env.t("Wanneer", "When"), &due, 20),
        Field::choice("who", env.t("Wie", "Who"), actor_choices(env), who),
        Field::choice(
            "formal",
            env.t("Soort", "Kind"),
            formal_choices(env),
            formal,
        ),
        Field::choice(
            "domain",
            env.t("ZRM-domein", "ZRM domain"),
            env.zrm_choices(),
            &domain,
        ),
    ];
    if existing.is_some() {
        // An edited agreement keeps its "who": no guessing from the text.
        for f in &mut fields {
            f.touched = true;
        }
    }
    let editing = existing.map(|a| super::Editing {
        id: a.id,
        version: a.version,
    });
    let mut form = Form::new(FormKind::Agreement(editing), title, fields);
    refresh(&mut form, env);
    form
}

/// Who an agreement is for, from its first word: a member's first name means the client, the
/// user's own first name (or "ik") means the professional.
pub(super) fn guess_who(what: &str, env: Env<'_>) -> Option<Actor> {
    let first = fold(what.split_whitespace().next()?);
    let first_name = |name: &str| name.split_whitespace().next().map(fold);
    if first == "ik"
        || env
            .user
            .and_then(|u| first_name(&u.display_name))
            .is_some_and(|n| n == first)
    {
        return Some(Actor::Professional);
    }
    let member = env.dashboard.is_some_and(|d| {
        d.members
            .iter()
            .any(|p| first_name(&p.name).is_some_and(|n| n == first))
    });
    member.then_some(Actor::Client)
}

/// Checks the form: the change it asks for, or each refused field's message.
pub(super) fn check(
    form: &Form,
    mut c: Checker<'_>,
    id: &Option<super::Editing>,
) -> Result<Submit, Errors> {
    let f = &form.fields;
    let v = |k: &str| f.value(k);
    let change = {
        // Checked on its own too, so an empty text is named even when the date is wrong.
        let text = c.take(
            "what",
            required_text("what", "Wat er gebeurt", "What happens", v("what"), 200),
        );
        let due = c.optional_date("due", v("due"));
        let who = c.take("who", Actor::parse(v("who")));
        let domain = some_text(v("domain")).map(str::to_string);
        let fields = match (text, due, who) {
            (Some(_), Some(due), Some(who)) => {
                let r = AgreementFields::new(v("what"), who, due, v("formal") == "formeel", domain);
                c.take("what", r)
            }
            _ => None,
        };
        fields.map(|fields| match id {
            Some(e) => Change::EditAgreement {
                id: e.id,
                version: e.version,
                fields,
            },
            None => Change::AddAgreement(fields),
        })
    };
    c.done(change).map(Submit::Change)
}
