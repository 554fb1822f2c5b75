//! The answers hyper writes itself when it cannot parse a request (400, and 414 or 431 past its own
//! limits) come with an empty body and no content type, and hyper offers no hook to change them. The
//! connection's writes pass through here, and such an answer is rewritten into the error envelope
//! with the security headers, so every refusal a client gets reads the same.
//!
//! Only a write that is a whole response head announcing an empty body and no content type, with one
//! of those statuses, is rewritten. None of the router's own answers is like that (they all carry
//! the JSON envelope), and the rewritten head frames its new body, so a kept-alive connection stays
//! in step even if one were.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::hygiene::{self, MAX_HEADER_BYTES, MAX_HEADERS, MAX_URI_BYTES};
use crate::api::{ErrorBody, ErrorCode};

pub struct EnvelopedRefusals<S> {
    inner: S,
    /// A rewritten answer still to be written, and how much of it is out.
    pending: Vec<u8>,
    written: usize,
}

impl<S> EnvelopedRefusals<S> {
    pub fn new(inner: S) -> Self {
        EnvelopedRefusals { inner, pending: Vec::new(), written: 0 }
    }
}

impl<S: AsyncWrite + Unpin> EnvelopedRefusals<S> {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }

    /// Takes a whole write in place of hyper's bare refusal; the rewrite goes out as it can.
    fn take_rewrite(&mut self, cx: &mut Context<'_>, rewritten: Vec<u8>, taken: usize) -> Poll<io::Result<usize>> {
        self.pending = rewritten;
        self.written = 0;
        match self.poll_pending(cx) {
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            _ => Poll::Ready(Ok(taken)),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for EnvelopedRefusals<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for EnvelopedRefusals<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        match enveloped(buf) {
            Some(rewritten) => self.take_rewrite(cx, rewritten, buf.len()),
            None => Pin::new(&mut self.inner).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        // A bare refusal is a head alone: one slice with bytes in it.
        let mut filled = bufs.iter().filter(|b| !b.is_empty());
        if let (Some(only), None) = (filled.next(), filled.next())
            && let Some(rewritten) = enveloped(only)
        {
            return self.take_rewrite(cx, rewritten, only.len());
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The envelope version of `head` when it is one of hyper's bare refusals.
fn enveloped(head: &[u8]) -> Option<Vec<u8>> {
    // Every other write passes at the cost of these three comparisons.
    if head.len() > 1024 || !head.starts_with(b"HTTP/1.1 4") || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let text = text.strip_suffix("\r\n\r\n")?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let message = match status_line.strip_prefix("HTTP/1.1 ")?.get(..3)? {
        "400" => "The request could not be read as HTTP/1.1.".to_owned(),
        "414" => format!("The request's path and query are longer than {MAX_URI_BYTES} bytes."),
        "431" => {
            format!("The request has more than {MAX_HEADERS} headers or more than {MAX_HEADER_BYTES} bytes of them.")
        }
        _ => return None,
    };
    let headers: Vec<&str> = lines.collect();
    let is = |line: &str, name: &str| line.split_once(':').is_some_and(|(n, _)| n.trim().eq_ignore_ascii_case(name));
    let empty_body =
        headers.iter().any(|l| is(l, "content-length") && l.split_once(':').is_some_and(|(_, v)| v.trim() == "0"));
    if !empty_body || headers.iter().any(|l| is(l, "content-type") || is(l, "transfer-encoding")) {
        return None;
    }
    let body = serde_json::to_vec(&ErrorBody::with_message(ErrorCode::BadRequest, message)).ok()?;
    let mut out = format!("{status_line}\r\n");
    for line in headers.iter().filter(|l| !is(l, "content-length")) {
        out.push_str(&format!("{line}\r\n"));
    }
    out.push_str(&format!("content-type: application/json\r\ncontent-length: {}\r\n", body.len()));
    for (name, value) in hygiene::SECURITY_HEADERS {
        out.push_str(&format!("{name}: {}\r\n", value.to_str().ok()?));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bare_refusals_are_rewritten() {
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: Sat, 28 Nov 2026 20:00:00 GMT\r\n\r\n";
        let rewritten = String::from_utf8(enveloped(bare).unwrap()).unwrap();
        let (head, body) = rewritten.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
        assert!(head.contains("date: Sat, 28 Nov 2026"), "{head}");
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        assert!(head.contains("content-type: application/json") && head.contains("cache-control: no-store"));
        assert!(body.contains("\"bad_request\""), "{body}");

        for kept in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n{}",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n",
        ] {
            assert_eq!(enveloped(kept), None, "{}", String::from_utf8_lossy(kept));
        }
    }
}
