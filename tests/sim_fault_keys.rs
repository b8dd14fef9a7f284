//! An unknown fault name is refused, on the command line and over HTTP, and arms nothing: a
//! typo must not make a fault test pass for nothing (issue #18).

mod support;

use orderdesk::sim::shopify::SimOptions;
use serde_json::json;
use std::time::{Duration, Instant};
use support::pty::orderdesk;
use support::sim::{faults, start};

#[test]
fn sim_refuses_an_unknown_fault_on_the_command_line() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut child = orderdesk(home.path())
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--faults",
            r#"{"bogus": 1}"#,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the simulator started with an unknown fault");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--faults") && err.contains("\"bogus\"") && err.contains("unauthorized_next"),
        "{err}"
    );
}

#[tokio::test]
async fn post_sim_faults_refuses_an_unknown_key_with_400_and_arms_nothing() {
    let sim = start(SimOptions::default()).await;
    let (status, body) = faults(&sim, json!({"unauthorized_next": 1, "bogus": 1})).await;
    assert_eq!(status, 400, "{body}");
    let said = body["errors"].as_str().unwrap_or_default();
    assert!(
        said.contains("\"bogus\"") && said.contains("fail_next"),
        "{body}"
    );
    let malformed = json!({"malformed": {"order": "1", "field": "name", "vaule": "x"}});
    let (status, body) = faults(&sim, malformed).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"]
            .as_str()
            .unwrap_or_default()
            .contains("\"vaule\""),
        "{body}"
    );
    let (status, armed) = faults(&sim, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(armed["unauthorized_next"], 0, "{armed}");
    assert_eq!(armed["malformed"], json!({}), "{armed}");
}
