//! The client against servers that misbehave on purpose, on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rasid::api::{LoginRequest, Secret, TransactionsQuery};
use rasid::client::{Client, ClientError};
use rasid::config::Lang;
use rasid::present::export::{Export, Format, export};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server that answers every request with what `respond` writes; counts requests.
async fn misbehaving<F>(respond: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize, tokio::net::TcpStream) -> tokio::task::JoinHandle<()> + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let _ = stream.read(&mut buf).await;
            let n = seen.fetch_add(1, Ordering::SeqCst);
            respond(n, stream);
        }
    });
    (url, count)
}

fn reply(mut stream: tokio::net::TcpStream, head: String, body: Vec<u8>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&body).await;
        let _ = stream.shutdown().await;
    })
}

fn client(url: &str, timeout: Duration) -> Client {
    Client::new(url, timeout, false).unwrap()
}

#[tokio::test]
async fn an_answer_that_is_not_json_is_a_bad_response() {
    let (url, _) = misbehaving(|_, s| {
        let body = b"<html>gateway</html>".to_vec();
        reply(s, format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len()), body)
    })
    .await;
    let err = client(&url, Duration::from_secs(5)).captcha().await.unwrap_err();
    assert!(matches!(err, ClientError::BadResponse(_)), "{err:?}");
}

#[tokio::test]
async fn a_truncated_answer_is_a_bad_response() {
    let (url, _) = misbehaving(|_, s| {
        reply(
            s,
            "HTTP/1.1 200 OK\r\ncontent-length: 5000\r\nconnection: close\r\n\r\n".into(),
            b"{\"captcha_id\":".to_vec(),
        )
    })
    .await;
    let err = client(&url, Duration::from_secs(5)).captcha().await.unwrap_err();
    assert!(matches!(err, ClientError::BadResponse(_)), "{err:?}");
}

#[tokio::test]
async fn a_100_mb_answer_is_cut_off_early() {
    let (url, _) = misbehaving(|_, mut s| {
        tokio::spawn(async move {
            let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
            let _ = s.write_all(head.as_bytes()).await;
            let chunk = vec![b'x'; 1024 * 1024];
            for _ in 0..100 {
                let frame = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
                if s.write_all(&frame).await.is_err() {
                    return;
                }
            }
        })
    })
    .await;
    let started = Instant::now();
    let err = client(&url, Duration::from_secs(30)).captcha().await.unwrap_err();
    assert_eq!(err, ClientError::BadResponse("the answer is too large".into()));
    assert!(started.elapsed() < Duration::from_secs(20));
    let (url, _) = misbehaving(|_, s| {
        reply(s, "HTTP/1.1 200 OK\r\ncontent-length: 104857600\r\nconnection: close\r\n\r\n".into(), vec![])
    })
    .await;
    let err = client(&url, Duration::from_secs(5)).captcha().await.unwrap_err();
    assert_eq!(err, ClientError::BadResponse("the answer is too large".into()), "refused on the header alone");
}

#[tokio::test]
async fn a_call_that_stalls_past_the_timeout_is_a_timeout() {
    let (url, _) = misbehaving(|_, s| {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(30)).await;
            drop(s);
        })
    })
    .await;
    let started = Instant::now();
    let err = client(&url, Duration::from_millis(500)).captcha().await.unwrap_err();
    assert_eq!(err, ClientError::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn gets_are_retried_after_500_and_503_and_posts_never_are() {
    for (status, reason) in [(500, "Internal Server Error"), (503, "Service Unavailable")] {
        let ok = r#"[]"#;
        let failing = move |s| {
            let body = br#"{"error":{"code":"internal","message":"busy"}}"#.to_vec();
            let head =
                format!("HTTP/1.1 {status} {reason}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
            reply(s, head, body)
        };
        let (url, count) = misbehaving(move |n, s| {
            if n < 2 {
                failing(s)
            } else {
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", ok.len());
                reply(s, head, ok.into())
            }
        })
        .await;
        let c = client(&url, Duration::from_secs(5));
        let people = c.people(&Secret::new("t")).await.unwrap();
        assert!(people.is_empty());
        assert_eq!(count.load(Ordering::SeqCst), 3, "{status}: two retries, then the answer");

        let (url, count) = misbehaving(move |_, s| failing(s)).await;
        let err = client(&url, Duration::from_secs(5)).captcha().await.unwrap_err();
        assert!(matches!(err, ClientError::Api { .. }), "{err:?}");
        assert_eq!(count.load(Ordering::SeqCst), 1, "{status}: a POST is sent once");
    }
}

/// A listener that answers nothing and keeps every byte it is sent.
async fn recorder() -> (u16, Arc<std::sync::Mutex<Vec<u8>>>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (bytes, connections) = (Arc::new(std::sync::Mutex::new(vec![])), Arc::new(AtomicUsize::new(0)));
    let (kept, counted) = (Arc::clone(&bytes), Arc::clone(&connections));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let kept = Arc::clone(&kept);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                while let Ok(Ok(n @ 1..)) =
                    tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await
                {
                    kept.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
    });
    (port, bytes, connections)
}

#[tokio::test]
async fn a_redirect_is_refused_and_the_password_goes_nowhere_else() {
    let (other_port, received, connections) = recorder().await;
    let elsewhere = format!("http://127.0.0.1:{other_port}/api/v1/login");
    let location = elsewhere.clone();
    let (url, count) = misbehaving(move |_, s| {
        let head = format!(
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
        reply(s, head, vec![])
    })
    .await;
    let request = LoginRequest {
        username: "abdullah01".into(),
        password: Secret::new("Rasid@2026-secret"),
        captcha_id: "c".into(),
        captcha_answer: Secret::new("1234"),
    };
    let err = client(&url, Duration::from_secs(5)).login(&request).await.unwrap_err();
    // Anything that had been sent on would have arrived by now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let leaked = String::from_utf8_lossy(&received.lock().unwrap()).into_owned();
    assert!(!leaked.contains("Rasid@2026-secret"), "the password reached the redirect's target");
    assert_eq!(connections.load(Ordering::SeqCst), 0, "nothing connected to the redirect's target");
    assert_eq!(err, ClientError::Redirected(elsewhere.clone()));
    assert!(err.to_string().contains(&elsewhere) && err.to_string().contains("does not follow"), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // A GET is not followed either, and is not retried.
    let err = client(&url, Duration::from_secs(5)).people(&Secret::new("t0k3n")).await.unwrap_err();
    assert_eq!(err, ClientError::Redirected(elsewhere));
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

/// Answers every request with this one page of history.
async fn history_server(items: serde_json::Value) -> String {
    let page =
        serde_json::json!({"items": items, "next_cursor": null, "prev_cursor": null, "total_count": 1, "position": 0})
            .to_string();
    let (url, _) = misbehaving(move |_, s| {
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", page.len());
        reply(s, head, page.clone().into_bytes())
    })
    .await;
    url
}

#[cfg(unix)]
#[tokio::test]
async fn an_export_is_a_new_owner_only_file_that_overwrites_and_follows_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let url = history_server(serde_json::json!([{
        "id": 7, "date": "2026-11-25", "sector": "passports", "service_code": "x", "service_ar": "",
        "service_en": "=HYPERLINK(\"http://evil.sa\",\"Visa\")", "kind": "usage", "amount": "200.00",
        "beneficiary_id": "2134653555", "reference": "R-1\ninclude /etc/passwd", "status": "settled"
    }]))
    .await;
    let c = client(&url, Duration::from_secs(5));
    let token = Secret::new("t");
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("notes.txt");
    std::fs::write(&victim, "mine").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stem = "rasid-1057830869-20261125-101010";
    let earlier = dir.path().join(format!("{stem}.csv"));
    std::fs::write(&earlier, "an earlier export").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join(format!("{stem}-2.csv"))).unwrap();

    let job = |id_number: &str, format| Export {
        id_number: id_number.to_owned(),
        query: TransactionsQuery::default(),
        format,
        lang: Lang::En,
    };
    let (path, n) = export(&c, &token, &job("1057830869", Format::Csv), dir.path(), "20261125-101010").await.unwrap();
    assert_eq!(path, dir.path().join(format!("{stem}-3.csv")), "the next free name");
    assert_eq!(n, 1);
    assert_eq!(mode(&path), 0o600, "the export is its owner's only");
    assert_eq!(std::fs::read_to_string(&earlier).unwrap(), "an earlier export");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine");
    assert_eq!(mode(&victim), 0o644);
    let csv = std::fs::read_to_string(&path).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",\"'=HYPERLINK(\"\"http://evil.sa\"\",\"\"Visa\"\")\","), "a formula is neutralised: {row}");
    assert!(row.contains(",usage,-200.00,2134653555,"), "an amount stays a number, signed by kind: {row}");
    assert!(csv.starts_with('\u{FEFF}'), "Excel needs the byte-order mark to read UTF-8");

    // An ID number the server chose cannot steer the file out of the directory, nor a journal line.
    let (path, _) = export(&c, &token, &job("../../1057830869/..", Format::Hledger), dir.path(), "x").await.unwrap();
    assert_eq!(path, dir.path().join("rasid-1057830869-x.journal"));
    let journal = std::fs::read_to_string(&path).unwrap();
    assert!(journal.lines().all(|l| !l.starts_with("include")), "{journal}");

    // A failed export leaves nothing behind.
    let before = std::fs::read_dir(dir.path()).unwrap().count();
    let nothing = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    );
    let nothing = client(&nothing, Duration::from_secs(5));
    let failed = export(&nothing, &token, &job("1057830869", Format::Json), dir.path(), "y").await;
    assert!(failed.is_err());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), before);
}

#[tokio::test]
async fn nothing_listening_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = client(&format!("http://127.0.0.1:{port}"), Duration::from_secs(5)).captcha().await.unwrap_err();
    assert_eq!(err, ClientError::Unreachable);
}

/// A TLS server on 127.0.0.1 with a self-signed certificate (openssl, part of the machine image).
struct BadTlsServer {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl BadTlsServer {
    fn start() -> BadTlsServer {
        let dir = tempfile::tempdir().unwrap();
        let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
        let made = std::process::Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("openssl");
        assert!(made.success());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept", &port.to_string()])
            .arg("-cert")
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("openssl s_server");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "s_server never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        BadTlsServer { child, port, _dir: dir }
    }
}

impl Drop for BadTlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[tokio::test]
async fn a_certificate_that_does_not_verify_is_refused_and_named() {
    let server = BadTlsServer::start();
    let err =
        client(&format!("https://127.0.0.1:{}", server.port), Duration::from_secs(5)).captcha().await.unwrap_err();
    assert_eq!(err, ClientError::Certificate);
}
