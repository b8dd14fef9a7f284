//! Who may do what (`[operators]`) and the service's socket group (`socket_group`).

use super::ConfigError;
use super::checks::Place;
use crate::engine::command::Role;
use std::collections::BTreeMap;
use toml::Spanned;

/// `[operators]`: login user name = role.
pub(super) type RawOperators = Spanned<BTreeMap<String, Spanned<String>>>;

/// The roles the config gives, by login user name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operators {
    roles: BTreeMap<String, Role>,
}

impl Operators {
    /// The role of `user`. With no `[operators]` table every user is a manager (a store run
    /// by one person goes on as before); once the table names anyone, a user it does not
    /// name only reads (viewer): reaching the socket is not a reason to change orders.
    pub fn role_of(&self, user: &str) -> Role {
        if self.roles.is_empty() {
            return Role::Manager;
        }
        self.roles.get(user).copied().unwrap_or(Role::Viewer)
    }
}

pub(super) fn parse(place: &Place, raw: RawOperators) -> Result<Operators, ConfigError> {
    let mut roles = BTreeMap::new();
    for (user, role) in raw.into_inner() {
        let r = role
            .get_ref()
            .parse::<Role>()
            .map_err(|e| place.error(role.span(), format!("operator \"{user}\": {e}")))?;
        roles.insert(user, r);
    }
    Ok(Operators { roles })
}

/// `socket_group`: a group name of letters, digits, `_`, `-` and `.`.
pub(super) fn socket_group(place: &Place, raw: Spanned<String>) -> Result<String, ConfigError> {
    let g = raw.get_ref().trim();
    let fine = !g.is_empty()
        && (g.chars()).all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !fine {
        return Err(place.error(
            raw.span(),
            format!("socket_group \"{g}\" is not a group name (e.g. \"shop\")"),
        ));
    }
    Ok(g.to_string())
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::engine::command::Role;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse("o.toml", text, |_| None).map_err(|e| e.to_string())
    }

    #[test]
    fn roles_come_from_the_table_and_an_unnamed_user_only_reads() {
        let c = parse("operator = \"anna\"\n[operators]\nanna = \"manager\"\nbela = \"clerk\"\n")
            .expect("parses");
        assert_eq!(c.operators.role_of("anna"), Role::Manager);
        assert_eq!(c.operators.role_of("bela"), Role::Clerk);
        assert_eq!(c.operators.role_of("zoe"), Role::Viewer);
        let none = parse("operator = \"anna\"\n").expect("parses");
        assert_eq!(none.operators.role_of("zoe"), Role::Manager);
    }

    #[test]
    fn a_bad_role_or_group_names_its_line() {
        let e = parse("[operators]\nanna = \"boss\"\n").unwrap_err();
        assert!(e.starts_with("o.toml:2:") && e.contains("boss"), "{e}");
        let e = parse("mouse = false\nsocket_group = \"a b\"\n").unwrap_err();
        assert!(
            e.starts_with("o.toml:2:") && e.contains("socket_group"),
            "{e}"
        );
        let c = parse("socket_group = \"shop\"\n").expect("parses");
        assert_eq!(c.socket_group.as_deref(), Some("shop"));
    }
}
