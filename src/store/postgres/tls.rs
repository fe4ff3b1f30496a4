//! TLS to the server with rustls (no system OpenSSL needed to build): `sslmode=require` in the
//! URL insists on it, the default `prefer` uses it when the server offers it (never over a
//! unix socket). The server's certificate is always verified: against the public roots of
//! the Mozilla programme (webpki-roots), plus the PEM file in `PGSSLROOTCERT` for a
//! municipality's own certificate authority, as libpq reads it.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::{ServerProblem, StoreError};

/// The connector for a connection to `location`.
pub(super) fn connector(location: &str) -> Result<MakeRustlsConnect, StoreError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(file) = std::env::var_os("PGSSLROOTCERT").filter(|v| !v.is_empty()) {
        let unusable = |why: String| StoreError::Server {
            location: location.to_string(),
            problem: ServerProblem::Unreachable(format!(
                "PGSSLROOTCERT {}: {why}",
                std::path::Path::new(&file).display()
            )),
        };
        let certs = CertificateDer::pem_file_iter(&file)
            .map_err(|e| unusable(e.to_string()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| unusable(e.to_string()))?;
        if certs.is_empty() {
            return Err(unusable("geen certificaat in het bestand".into()));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| unusable(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Server {
            location: location.to_string(),
            problem: ServerProblem::Unreachable(e.to_string()),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}
