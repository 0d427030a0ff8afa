//! Extractors: the authenticated caller from `Authorization: Bearer`, and the client address.

use crate::error::AppError;
use crate::services::{Asker, Caller, Ctx};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;

/// The bearer token of a request, if it carries one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_string())
}

/// The bearer token, unresolved: the handler's use case resolves it on its own connection
/// (`Ctx::read_as`, `Ctx::write_as`). A request without one is refused here.
impl FromRequest for Asker {
    type Error = AppError;
    type Future = std::future::Ready<Result<Asker, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            bearer_token(req)
                .map(Asker::Token)
                .ok_or_else(AppError::not_signed_in),
        )
    }
}

/// The caller, resolved before the handler runs (a trip of its own to the blocking pool).
impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ctx = req.app_data::<web::Data<Ctx>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let (Some(ctx), Some(token)) = (ctx, token) else {
                return Err(AppError::not_signed_in());
            };
            ctx.caller(Asker::Token(token)).await
        })
    }
}

/// The client's address: the socket's peer, unless the peer is a trusted proxy
/// (`trusted_proxies`), in which case the forwarding headers are read back from the nearest hop
/// to the first address no trusted proxy owns. A client can forge any header, but not its own
/// address at the socket; so a header is believed only from a proxy we named, and only for the
/// hops beyond it, and without a setting no header is believed at all.
pub fn client_address(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let trusted = req
        .app_data::<actix_web::web::Data<Ctx>>()
        .map(|ctx| ctx.settings.trusted_proxies.as_slice())
        .unwrap_or_default();
    let headers = |name| {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
    };
    client_of(
        peer,
        &headers(actix_web::http::header::FORWARDED),
        &headers(actix_web::http::header::X_FORWARDED_FOR),
        trusted,
    )
    .to_string()
}

/// The address one hop of a forwarding header names: `203.0.113.7`, `[2001:db8::1]:4711`,
/// `"[2001:db8::1]"`, `198.51.100.1:8080`.
fn hop(text: &str) -> Option<std::net::IpAddr> {
    let t = text.trim().trim_matches('"');
    if let Ok(ip) = t.parse() {
        return Some(ip);
    }
    if let Some(rest) = t.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    t.parse::<std::net::SocketAddr>().ok().map(|a| a.ip())
}

/// `client_address` on its parts. `Forwarded` (RFC 7239) is read when a trusted proxy sent one,
/// else `X-Forwarded-For`; each lists hops from the client outwards, so they are walked from the
/// right while the hop is a trusted proxy. A hop that cannot be read ends the walk at the last
/// address known, the proxy that sent it.
pub fn client_of(
    peer: std::net::IpAddr,
    forwarded: &[&str],
    x_forwarded_for: &[&str],
    trusted: &[crate::config::Cidr],
) -> std::net::IpAddr {
    let is_trusted = |ip: std::net::IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = if forwarded.is_empty() {
        x_forwarded_for.iter().flat_map(|h| h.split(',')).collect()
    } else {
        forwarded
            .iter()
            .flat_map(|h| h.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then_some(value)
                })
            })
            .collect()
    };
    let mut client = peer;
    for text in hops.iter().rev() {
        match hop(text) {
            Some(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_of;
    use crate::config::Cidr;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> Vec<Cidr> {
        vec!["10.0.0.0/8".parse().unwrap(), "fd00::/8".parse().unwrap()]
    }

    #[test]
    fn without_trusted_proxies_every_header_is_ignored() {
        let got = client_of(ip("10.0.0.5"), &[], &["203.0.113.7"], &[]);
        assert_eq!(got, ip("10.0.0.5"));
    }

    #[test]
    fn a_header_from_a_client_that_is_no_proxy_is_ignored() {
        let got = client_of(ip("198.51.100.9"), &[], &["203.0.113.7"], &proxies());
        assert_eq!(got, ip("198.51.100.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        // The client forged the first entry; our proxies appended the rest.
        let xff = ["6.6.6.6, 203.0.113.7", "10.1.2.3"];
        let got = client_of(ip("10.0.0.5"), &[], &xff, &proxies());
        assert_eq!(got, ip("203.0.113.7"));
    }

    #[test]
    fn forwarded_is_read_with_its_quoted_and_bracketed_forms() {
        let fwd = [r#"for=6.6.6.6, for="[2001:db8::1]:4711";proto=https, for=10.1.1.1"#];
        let got = client_of(ip("fd00::1"), &fwd, &["9.9.9.9"], &proxies());
        assert_eq!(got, ip("2001:db8::1"));
    }

    #[test]
    fn an_unreadable_hop_stops_at_the_proxy_that_sent_it() {
        let got = client_of(ip("10.0.0.5"), &[], &["203.0.113.7, garbage"], &proxies());
        assert_eq!(got, ip("10.0.0.5"));
    }

    #[test]
    fn ranges_hold_their_members_only() {
        let c: Cidr = "192.168.4.0/22".parse().unwrap();
        assert!(c.contains(ip("192.168.7.255")));
        assert!(!c.contains(ip("192.168.8.0")));
        assert!(c.contains(ip("::ffff:192.168.5.1")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("8.8.8.8")) && !all.contains(ip("::1")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("example.org".parse::<Cidr>().is_err());
    }
}
