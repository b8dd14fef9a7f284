//! A store's token never shows: not in the log file, the command line's output (plain or
//! JSON), `status --json`, the Debug of the config, or the console's screen — even when the
//! shop refuses it. A token file or config others can read is warned about.

mod support;

use orderdesk::config::Config;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::pty::{Pty, orderdesk, run, sim_process};

const ENV_TOKEN: &str = "shpat_env_secret_5e1d9c";
const FILE_TOKEN: &str = "shpat_file_secret_77b0aa";

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A 0600 config for store `web` at `url` taking its token from `source` ("env" or "file").
fn config(home: &Path, url: &str, source: &str) -> PathBuf {
    let token_line = if source == "env" {
        "token_env = \"SHOP_TOKEN\"".to_string()
    } else {
        let file = home.join("token");
        std::fs::write(&file, format!("{FILE_TOKEN}\n")).expect("token file");
        chmod(&file, 0o600);
        format!("token_file = \"{}\"", file.display())
    };
    let cfg = home.join(format!("orderdesk-{source}.toml"));
    std::fs::write(
        &cfg,
        format!("[[store]]\nid = \"web\"\nplatform = \"shopify\"\nurl = \"{url}\"\n{token_line}\n"),
    )
    .expect("config");
    chmod(&cfg, 0o600);
    cfg
}

fn od(home: &Path, cfg: &Path, data: &Path) -> Command {
    let mut c = orderdesk(home);
    c.env("SHOP_TOKEN", ENV_TOKEN)
        .env("ORDERDESK_LOG", "trace")
        .arg("--config")
        .arg(cfg)
        .arg("--data")
        .arg(data);
    c
}

#[test]
fn a_refused_token_never_shows_in_output_status_or_the_log() {
    let home = tempfile::tempdir().expect("tempdir");
    let (_sim, url) = sim_process(home.path(), &["--token", "the-right-token"]);
    for (source, token) in [("env", ENV_TOKEN), ("file", FILE_TOKEN)] {
        let cfg = config(home.path(), &url, source);
        let data = home.path().join(format!("data-{source}"));
        let (code, out, err) = run(od(home.path(), &cfg, &data).args(["sync", "--once"]));
        assert_eq!(code, 1, "{source}: {out}{err}");
        for words in [
            "store web",
            "refused the credentials",
            "token_env/token_file",
        ] {
            assert!(err.contains(words), "{source}: {words:?} missing: {err}");
        }
        assert!(!err.contains("store web: store web"), "{err}");
        assert!(
            !out.contains(token) && !err.contains(token),
            "{source}: {out}{err}"
        );

        let (code, out, err) = run(od(home.path(), &cfg, &data).args(["sync", "--once", "--json"]));
        assert_eq!(code, 1, "{source}");
        assert!(out.contains("sync_failed"), "{source}: {out}");
        assert!(
            !out.contains(token) && !err.contains(token),
            "{source}: {out}{err}"
        );

        let (code, out, err) = run(od(home.path(), &cfg, &data).args(["status", "--json"]));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("token_env/token_file"), "{source}: {out}");
        assert!(
            !out.contains(token) && !err.contains(token),
            "{source}: {out}{err}"
        );

        let log = std::fs::read_to_string(data.join("orderdesk.log")).expect("the log file");
        assert!(log.contains("sync run failed"), "{source}: {log}");
        assert!(!log.contains(token), "{source}: the token is in the log");
    }
}

#[test]
fn the_config_debug_never_holds_the_token() {
    let home = tempfile::tempdir().expect("tempdir");
    let cfg = config(home.path(), "http://127.0.0.1:9", "file");
    let loaded = Config::load(&cfg, true).expect("config");
    let shown = format!("{loaded:?}");
    assert!(!shown.contains(FILE_TOKEN), "{shown}");
    let text = std::fs::read_to_string(home.path().join("orderdesk-file.toml")).expect("read");
    let text = text.replace("token_file", "token_env = \"SHOP_TOKEN\"\n#");
    let parsed = Config::parse("x.toml", &text, |_| Some(ENV_TOKEN.to_string())).expect("parse");
    let shown = format!("{parsed:?} {:?}", parsed.stores[0].credentials);
    assert!(!shown.contains(ENV_TOKEN), "{shown}");
}

#[test]
fn a_token_file_or_config_others_can_read_is_warned_about() {
    let home = tempfile::tempdir().expect("tempdir");
    let cfg = config(home.path(), "http://127.0.0.1:9", "file");
    let data = home.path().join("data");
    let csv = home.path().join("p.csv");
    std::fs::write(&csv, "id,name\nP1,Mug\n").expect("csv");
    let (code, _, err) = run(od(home.path(), &cfg, &data)
        .args(["import", "products"])
        .arg(&csv));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("readable by group or others"), "{err}");
    for file in [home.path().join("token"), cfg.clone()] {
        chmod(&file, 0o644);
        let (code, _, err) = run(od(home.path(), &cfg, &data).arg("status"));
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("readable by group or others") && err.contains(&*file.to_string_lossy()),
            "{}: {err}",
            file.display()
        );
        assert!(!err.contains(FILE_TOKEN), "{err}");
        chmod(&file, 0o600);
    }
}

#[test]
fn the_console_shows_a_refused_token_in_errors_without_the_token() {
    let home = tempfile::tempdir().expect("tempdir");
    let (_sim, url) = sim_process(home.path(), &["--token", "the-right-token"]);
    let cfg = config(home.path(), &url, "env");
    let mut cmd = od(home.path(), &cfg, &home.path().join("data"));
    cmd.env_remove("ORDERDESK_LOG");
    let mut pty = Pty::spawn(cmd, 200, 50);
    let screen = pty.wait_for(
        &["Errors", "store web", "credentials"],
        Duration::from_secs(60),
    );
    assert!(!screen.contains(ENV_TOKEN), "{screen}");
    pty.send(b"q");
    assert_eq!(pty.wait_exit(Duration::from_secs(30)), Some(0));
    assert!(!pty.contents().contains(ENV_TOKEN));
}

#[test]
fn an_expired_token_fails_one_run_and_the_next_run_lands_everything() {
    let home = tempfile::tempdir().expect("tempdir");
    let (_sim, url) = sim_process(home.path(), &["--faults", r#"{"unauthorized_next": 1}"#]);
    let cfg = config(home.path(), &url, "env");
    let data = home.path().join("data");
    let (code, _, err) = run(od(home.path(), &cfg, &data).args(["sync", "--once"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("store web") && err.contains("token_env/token_file"),
        "{err}"
    );
    let (code, out, err) = run(od(home.path(), &cfg, &data).args(["sync", "--once"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("web: ok — fetched 30"), "{out}");
    let (code, out, _) = run(od(home.path(), &cfg, &data).args(["status", "--json"]));
    assert_eq!(code, 0);
    assert!(
        !out.contains("refused the credentials"),
        "the failure left Errors: {out}"
    );
    let (code, _, err) =
        run(orderdesk(home.path()).args(["sim", "--faults", r#"{"fail_next": "x"}"#]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("fail_next must be a count"), "{err}");
}
