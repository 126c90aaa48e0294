//! A TLS-terminating front for the sandbox over loopback, with a certificate for `127.0.0.1`
//! from a private CA (`testdata/tls/connect/`: `ca.pem`, `server.pem`, `server.key`).

use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{crypto, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// The private CA's certificate (a PEM file for `ca_bundle`).
pub fn private_ca() -> PathBuf {
    dir().join("ca.pem")
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/tls/connect")
}

/// Serves HTTPS on a loopback port, forwarding the decrypted bytes to `upstream` (a
/// `host:port` speaking plain HTTP/1.1 and HTTP/2, as the sandbox does); returns
/// `https://127.0.0.1:<port>`. It offers `h2` and `http/1.1` by ALPN, as Vivamo's front does,
/// so the client's choice of version is what reaches the sandbox.
pub async fn front(upstream: String) -> String {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir().join("server.pem"))
            .expect("server.pem")
            .collect::<Result<_, _>>()
            .expect("server.pem holds certificates");
    let key = PrivateKeyDer::from_pem_file(dir().join("server.key")).expect("server.key");
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("a usable certificate");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, upstream) = (acceptor.clone(), upstream.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    url
}
