//! Authentication and authorisation: password hashing, sessions and the access policy.

pub mod password;
pub mod policy;

use crate::domain::user::Role;

/// An authenticated user at a workstation: the "who" of every read and write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The user's id.
    pub user_id: i64,
    /// Login name.
    pub username: String,
    /// Role at login time.
    pub role: Role,
    /// The user's team, for roles that have one.
    pub team_id: Option<i64>,
    /// The workstation (host name) the session runs on.
    pub workstation: String,
    /// On whose behalf the user acts, when not their own (NEN 7513 "namens").
    pub on_behalf_of: Option<String>,
}

/// This machine's name for the audit log; `onbekend` when it cannot be read.
pub fn workstation_name() -> String {
    workstation_from(std::env::var("SSH_CONNECTION").ok().as_deref())
}

/// The workstation for a session: over SSH (the team server set-up) the client's address
/// from `SSH_CONNECTION` ("client-ip client-port server-ip server-port"), since the host
/// name would be the server's for everyone; otherwise this machine's host name.
pub fn workstation_from(ssh_connection: Option<&str>) -> String {
    if let Some(client) = ssh_connection
        .and_then(|v| v.split_whitespace().next())
        .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
    {
        return format!("ssh:{client}");
    }
    hostname::get()
        .ok()
        .and_then(|h| h.into_string().ok())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "onbekend".to_string())
}
