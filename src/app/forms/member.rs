//! The member form, new or edited: name, birth date, role, BSN and phone, every field checked at
//! once.

use super::check::{Checker, Errors, some_text};
use super::{Env, Form, FormKind, Submit, refresh};
use crate::app::form::{Choice, Field};
use crate::domain::dates::format_date;
use crate::domain::household::{MemberRole, Person, PersonFields};
use crate::model::changes::Change;

pub(super) fn role_choices() -> Vec<Choice> {
    MemberRole::ALL
        .iter()
        .map(|r| Choice::new(r.code(), r.code()))
        .collect()
}

/// The member form, empty or with a member's values.
pub fn member(env: Env<'_>, existing: Option<&Person>) -> Form {
    let title = match existing {
        Some(_) => env.t("Gezinslid wijzigen", "Edit member"),
        None => env.t("Gezinslid toevoegen", "Add member"),
    };
    let p = existing;
    let mut form = Form::new(
        FormKind::Member(p.map(|p| super::Editing {
            id: p.id,
            version: p.version,
        })),
        title,
        vec![
            Field::text("name", env.t("Naam", "Name"), p.map_or("", |p| &p.name), 80),
            Field::text(
                "birth",
                env.t("Geboortedatum", "Birth date"),
                &p.and_then(|p| p.birth_date)
                    .map(format_date)
                    .unwrap_or_default(),
                20,
            ),
            Field::choice(
                "role",
                env.t("Rol", "Role"),
                role_choices(),
                p.map_or("kind", |p| p.role.code()),
            ),
            Field::text(
                "bsn",
                env.t("BSN (alleen als nodig)", "BSN (only when needed)"),
                p.and_then(|p| p.bsn.as_ref()).map_or("", |b| b.as_str()),
                20,
            ),
            Field::text(
                "phone",
                env.t("Telefoon", "Phone"),
                &p.and_then(|p| p.phone.as_ref())
                    .map(|p| p.display())
                    .unwrap_or_default(),
                30,
            ),
        ],
    );
    refresh(&mut form, env);
    form
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
        // Every field checked on its own, in field order, so all messages show at once;
        // each check is the domain's own, one field at a time.
        let one = |name: &str, bsn: Option<&str>, phone: Option<&str>| {
            PersonFields::parse(name, None, "kind", bsn, phone).map(|_| ())
        };
        let name = c.take("name", one(v("name"), None, None));
        let birth = c.birth("birth", v("birth"));
        let role = c.take("role", MemberRole::parse(v("role")).map(|_| ()));
        let bsn = c.take("bsn", one("x", some_text(v("bsn")), None));
        let phone = c.take("phone", one("x", None, some_text(v("phone"))));
        let fields = match (name, birth, role, bsn, phone) {
            (Some(()), Some(b), Some(()), Some(()), Some(())) => {
                let r = PersonFields::parse(
                    v("name"),
                    b,
                    v("role"),
                    some_text(v("bsn")),
                    some_text(v("phone")),
                );
                c.take("name", r)
            }
            _ => None,
        };
        fields.map(|fields| match id {
            Some(e) => Change::EditMember {
                id: e.id,
                version: e.version,
                fields,
            },
            None => Change::AddMember(fields),
        })
    };
    c.done(change).map(Submit::Change)
}
