//! The connection under the HTTP layer: makes the answers actix's HTTP/1 dispatcher writes
//! on its own problem+json too, and sets its time limits (`Verbindingsinstelling`).
//!
//! A request head larger than actix's read buffer (128 KiB) or with more than 96 header
//! fields never reaches the application: the dispatcher answers `431 Request Header Fields
//! Too Large` itself (a malformed head: `400 Bad Request`), with an empty body, and closes
//! the connection. No middleware sees that answer, so this wrapper recognises it in the
//! bytes written (a 431 or 400 status line with `content-length: 0`: every answer of the
//! application itself carries a problem+json body) and writes a complete problem+json
//! answer in its place (RFC 9457; API Design Rules: errors are problem+json).

use crate::problem::{PROBLEM_JSON, problem_voor_status};
use actix_web::http::StatusCode;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The status lines the dispatcher writes on its own, as its encoder spells them (408: a
/// request head that did not arrive within `server.header_timeout_seconds`).
const EIGEN_ANTWOORDEN: &[(&[u8], u16)] = &[
    (b"HTTP/1.1 431 Request Header Fields Too Large\r\n", 431),
    (b"HTTP/1.1 400 Bad Request\r\n", 400),
    (b"HTTP/1.1 408 Request Timeout\r\n", 408),
    (b"HTTP/1.0 431 Request Header Fields Too Large\r\n", 431),
    (b"HTTP/1.0 400 Bad Request\r\n", 400),
    (b"HTTP/1.0 408 Request Timeout\r\n", 408),
];

/// A connection whose dispatcher-made error answers are rewritten as problem+json.
#[derive(Debug)]
pub struct Verbinding<T> {
    io: T,
    /// A replacement answer still to be written, and how much of it is written.
    vervanging: Vec<u8>,
    geschreven: usize,
}

impl<T> Verbinding<T> {
    pub fn new(io: T) -> Self {
        Self {
            io,
            vervanging: Vec::new(),
            geschreven: 0,
        }
    }
}

fn zoek(hooi: &[u8], naald: &[u8]) -> Option<usize> {
    hooi.windows(naald.len()).position(|w| w == naald)
}

/// The longest head the dispatcher writes for its own answers (status line,
/// `content-length`, `connection`, `date`): about 130 bytes.
const KOP_MAX: usize = 512;

/// Where in `buf` a dispatcher-made answer starts, its status, and its head's length. Such
/// an answer is the last thing written on its connection, so only the end of `buf` is
/// searched (the cost stays independent of body sizes), and the head must end exactly at
/// the end of `buf`.
fn eigen_antwoord(buf: &[u8]) -> Option<(usize, u16, usize)> {
    let vanaf = buf.len().saturating_sub(KOP_MAX);
    let staart = &buf[vanaf..];
    EIGEN_ANTWOORDEN.iter().find_map(|(regel, status)| {
        let start = zoek(staart, regel)?;
        let rest = &staart[start..];
        let einde = zoek(rest, b"\r\n\r\n")? + 4;
        let kop = String::from_utf8_lossy(&rest[..einde]).to_ascii_lowercase();
        (einde == rest.len() && kop.contains("\r\ncontent-length: 0\r\n")).then_some((
            vanaf + start,
            *status,
            einde,
        ))
    })
}

/// The complete problem+json answer for `status`; the connection closes after it.
fn vervanging(status: u16) -> Vec<u8> {
    let s = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut p = problem_voor_status(s);
    p.trace_id = Some(hex::encode(rand::random::<[u8; 16]>()));
    if status == 431 {
        p.detail = "De kopregels van het verzoek zijn te groot (samen meer dan 128 KiB, of meer dan 96 velden); een token mag ten hoogste 8 KB zijn".into();
    } else if status == 408 {
        p.type_ = "https://ketenregie.nl/problemen/verzoek-te-traag".into();
        p.title = "Verzoek te traag".into();
        p.detail =
            "De kopregels van het verzoek kwamen niet op tijd binnen; de verbinding wordt gesloten"
                .into();
    } else {
        p.detail = "Het verzoek is geen geldig HTTP-verzoek".into();
    }
    let body = serde_json::to_vec(&p).expect("problem serialises");
    let mut uit = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: {PROBLEM_JSON}\r\ncontent-length: {}\r\nconnection: close\r\napi-version: {}\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\n\r\n",
        s.canonical_reason().unwrap_or(""),
        body.len(),
        crate::API_VERSION,
    )
    .into_bytes();
    uit.extend_from_slice(&body);
    uit
}

impl<T: AsyncWrite + Unpin> Verbinding<T> {
    /// Write what is left of a replacement; `Ready(Ok(()))` once it is all out.
    fn schrijf_vervanging(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.geschreven < self.vervanging.len() {
            let n = match Pin::new(&mut self.io).poll_write(cx, &self.vervanging[self.geschreven..])
            {
                Poll::Ready(Ok(n)) => n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            };
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.geschreven += n;
        }
        self.vervanging.clear();
        self.geschreven = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Verbinding<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Verbinding<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if !this.vervanging.is_empty() {
            match this.schrijf_vervanging(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        match eigen_antwoord(buf) {
            // Write what comes before it first; the next call starts at the answer.
            Some((start, _, _)) if start > 0 => {
                Pin::new(&mut this.io).poll_write(cx, &buf[..start])
            }
            Some((_, status, lengte)) => {
                this.vervanging = vervanging(status);
                this.geschreven = 0;
                // The dispatcher's bytes count as written; ours go out now or on flush.
                if let Poll::Ready(Err(e)) = this.schrijf_vervanging(cx) {
                    return Poll::Ready(Err(e));
                }
                Poll::Ready(Ok(lengte))
            }
            None => Pin::new(&mut this.io).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.schrijf_vervanging(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.io).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.schrijf_vervanging(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.io).poll_shutdown(cx),
            other => other,
        }
    }
}

/// The time limits of a connection (`[server]` in the configuration). The body of a request
/// has its own deadline in `middleware::verzoektijd`.
#[derive(Debug, Clone, Copy)]
pub struct Verbindingsinstelling {
    /// A request head must arrive within this (from the connection's start or the previous
    /// answer); else 408 problem+json and the connection closes.
    pub kop_timeout: std::time::Duration,
    /// An idle kept-alive connection closes after this; zero: no keep-alive.
    pub keep_alive: std::time::Duration,
    /// The connections of the database pool the requests share: each worker gets its
    /// share of them as blocking threads (`blokkerende_threads`); 0: actix's default
    /// (512 / workers).
    pub pool_verbindingen: usize,
}

/// A worker's blocking threads for a pool of `pool` connections served by `workers`
/// workers: its share of the pool, plus one for blocking work that needs no connection
/// (issue 17, h19blok).
///
/// Why not the default: every request's database work runs in `web::block`, and a request
/// that finds the pool busy waits for a connection inside its blocking thread, so under
/// load the blocking pool grows to one thread per waiting request (84 threads measured at
/// c=32 with a pool of 16). On two cores those threads, the PostgreSQL backends and the
/// load generator share the run queue, and `perf sched latency` showed the service's
/// threads runnable but not running for up to 985 ms: the p99 spikes of the unlogged read
/// (benches/load/KETEN.md "h19blok"). With the share of the pool as the limit, a request
/// beyond it waits in the worker's blocking queue, which tokio serves in arrival order, not
/// as a thread of its own; `api::db` bounds that wait by the pool's connection timeout.
pub fn blokkerende_threads(pool: usize, workers: usize) -> usize {
    pool.div_ceil(workers.max(1)) + 1
}

impl Default for Verbindingsinstelling {
    /// actix-web's own defaults: head 5 s, keep-alive 5 s.
    fn default() -> Self {
        Self {
            kop_timeout: std::time::Duration::from_secs(5),
            keep_alive: std::time::Duration::from_secs(5),
            pool_verbindingen: 0,
        }
    }
}

/// The HTTP/1.1 server over `listener`, as `actix_web::HttpServer::listen` builds it, with
/// the time limits of `instelling` (disconnect 1 s) and every connection wrapped in
/// `Verbinding`. HTTP/2 is not offered (as before: actix-web's `http2` feature is off, see
/// ../shared/STACK.md). `app` makes one application per worker.
pub fn server<F, I, S, B>(
    listener: std::net::TcpListener,
    workers: usize,
    instelling: Verbindingsinstelling,
    app: F,
) -> io::Result<actix_web::dev::Server>
where
    F: Fn() -> I + Send + Clone + 'static,
    I: actix_service::IntoServiceFactory<S, actix_http::Request>,
    S: actix_service::ServiceFactory<
            actix_http::Request,
            Config = actix_web::dev::AppConfig,
            Error = actix_web::Error,
        > + 'static,
    S::InitError: std::fmt::Debug,
    S::Response: Into<actix_http::Response<B>>,
    B: actix_web::body::MessageBody + 'static,
{
    use actix_service::{ServiceFactoryExt, fn_service, map_config};
    let addr = listener.local_addr()?;
    let mut bouwer = actix_server::Server::build().shutdown_timeout(10);
    if workers > 0 {
        bouwer = bouwer.workers(workers);
    }
    if instelling.pool_verbindingen > 0 {
        // The builder does not tell its worker count: without one configured it is
        // actix-server's own default, `available_parallelism` (2 if unknown).
        let werkers = if workers > 0 {
            workers
        } else {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        };
        bouwer = bouwer.worker_max_blocking_threads(blokkerende_threads(
            instelling.pool_verbindingen,
            werkers,
        ));
    }
    bouwer = bouwer.listen("ketenregie", listener, move || {
        let fabriek = app()
            .into_factory()
            .map_err(|e: actix_web::Error| e.as_response_error().error_response());
        let keep_alive = if instelling.keep_alive.is_zero() {
            actix_http::KeepAlive::Disabled
        } else {
            actix_http::KeepAlive::Timeout(instelling.keep_alive)
        };
        let h1 = actix_http::HttpService::build()
            .keep_alive(keep_alive)
            .client_request_timeout(instelling.kop_timeout)
            .client_disconnect_timeout(std::time::Duration::from_secs(1))
            .h1_allow_half_closed(true)
            .local_addr(addr)
            .h1(map_config(fabriek, |_| {
                actix_web::dev::AppConfig::default()
            }));
        fn_service(|io: actix_rt::net::TcpStream| {
            let peer = io.peer_addr().ok();
            std::future::ready(Ok::<_, actix_http::error::DispatchError>((
                Verbinding::new(io),
                peer,
            )))
        })
        .and_then(h1)
    })?;
    Ok(bouwer.run())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn herkent_alleen_lege_eigen_antwoorden() {
        let eigen = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n";
        assert_eq!(eigen_antwoord(eigen), Some((0, 431, eigen.len())));
        let mut ervoor = b"{\"a\":1}".to_vec();
        ervoor.extend_from_slice(eigen);
        assert_eq!(eigen_antwoord(&ervoor).map(|(s, ..)| s), Some(7));
        // Not at the end of what is written: left alone.
        let mut erna = eigen.to_vec();
        erna.extend_from_slice(b"{}");
        assert_eq!(eigen_antwoord(&erna), None);
        // The application's own 400 has a problem+json body: left alone.
        let app = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 120\r\ncontent-type: application/problem+json\r\n\r\n{...}";
        assert_eq!(eigen_antwoord(app), None);
        let v = String::from_utf8(vervanging(431)).unwrap();
        assert!(v.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(v.contains("content-type: application/problem+json"));
        let (kop, body) = v.split_once("\r\n\r\n").unwrap();
        assert!(kop.contains(&format!("content-length: {}", body.len())));
        let p: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(p["status"], 431);
    }

    /// A worker's share of the pool, rounded up, plus one; never zero (0 would mean
    /// actix's default of 512 / workers).
    #[test]
    fn blokkerende_threads_per_werker() {
        assert_eq!(super::blokkerende_threads(16, 2), 9);
        assert_eq!(super::blokkerende_threads(16, 3), 7);
        assert_eq!(super::blokkerende_threads(8, 1), 9);
        assert_eq!(super::blokkerende_threads(1, 4), 2);
        assert_eq!(super::blokkerende_threads(4, 0), 5);
    }
}
