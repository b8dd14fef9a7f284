//! The requests the connector makes, over the shared HTTP code: `?access_token=` on each (a
//! token renewed before it expires, once more after Tray refuses it), the request budget
//! (`channels::http::budget`: 180 a minute, 10,000 a day) and Tray's error bodies
//! (`{"message", "causes", "code"}`).

use super::session::{Session, fingerprint};
use crate::channels::http::answers::{self, Changed};
use crate::channels::http::budget::{Budget, Spent};
use crate::channels::http::{Answer, Attempt, Auth, HttpClient, Kind, Request, url_encoded};
use crate::channels::{ChannelError, Keeper};
use chrono::Utc;
use reqwest::Method;
use serde_json::Value;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Tray's budget for one store.
pub const TRAY_BUDGET: Budget = Budget::per_minute(180, 10_000);

/// The day's count is kept every this many requests (and with every new token).
const KEEP_EVERY: u32 = 25;

pub struct Api {
    pub http: HttpClient,
    /// The store's API address (`https://{store}/web_api`).
    pub root: String,
    key: String,
    secret: String,
    code: String,
    session: tokio::sync::Mutex<Option<Session>>,
    keeper: Mutex<Option<Arc<dyn Keeper>>>,
    spent: Mutex<Spent>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("root", &self.root)
            .field("credentials", &"<redacted>")
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Api {
    pub fn new(root: &str, key: String, secret: String, code: String) -> Result<Api, ChannelError> {
        for (what, v) in [
            ("consumer key", &key),
            ("consumer secret", &secret),
            ("code", &code),
        ] {
            if v.trim().is_empty() {
                return Err(ChannelError::Auth(format!("no {what} is configured")));
            }
        }
        let http = HttpClient::new(Auth::Query(Vec::new()), tray_words)?;
        for s in [&key, &secret, &code] {
            http.hide(s);
        }
        Ok(Api {
            http,
            root: root.to_string(),
            key: key.trim().to_string(),
            secret: secret.trim().to_string(),
            code: code.trim().to_string(),
            session: tokio::sync::Mutex::new(None),
            keeper: Mutex::new(None),
            spent: Mutex::new(Spent::new(TRAY_BUDGET)),
        })
    }

    pub fn with_budget(self, budget: Budget) -> Api {
        *lock(&self.spent) = Spent::new(budget);
        self
    }

    pub fn keep_in(&self, keeper: Arc<dyn Keeper>) {
        *lock(&self.keeper) = Some(keeper);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.root)
    }

    /// The sync log's line about the day's requests.
    pub fn usage(&self) -> String {
        lock(&self.spent).line("Tray")
    }

    /// Waits for the minute's budget (saying so in the log); refuses once the day's is spent.
    fn pace(&self) -> Duration {
        let taken = lock(&self.spent).take();
        match taken {
            Ok(wait) => {
                if wait >= Duration::from_secs(1) {
                    let words = lock(&self.spent).budget().window_words();
                    tracing::info!(?wait, "Tray's budget of {words} is used: waiting");
                }
                wait
            }
            // The day's check before the request stops it; a retry's attempt goes at once.
            Err(_) => Duration::ZERO,
        }
    }

    fn day_left(&self) -> Result<(), ChannelError> {
        let mut spent = lock(&self.spent);
        let (_, used) = spent.today();
        let per_day = spent.budget().per_day;
        if used >= per_day {
            tracing::warn!(used, "Tray's daily request budget is spent; the sync stops");
            return Err(ChannelError::Remote(format!(
                "Tray's budget of {per_day} requests a day is spent ({used} sent today): \
                 syncing goes on after midnight UTC"
            )));
        }
        Ok(())
    }

    async fn raw<T>(
        &self,
        kind: Kind,
        what: &str,
        request: &Request,
        read: impl Fn(Answer) -> Attempt<T>,
    ) -> Result<T, ChannelError> {
        self.day_left()?;
        let out = self
            .http
            .send(kind, what, request, || self.pace(), read)
            .await;
        self.keep_count();
        out
    }

    /// Keeps the day's count with the session every [`KEEP_EVERY`] requests.
    fn keep_count(&self) {
        let (day, used) = lock(&self.spent).today();
        if used % KEEP_EVERY != 0 {
            return;
        }
        // While a token is being made, the new session is saved with the count anyway.
        let Ok(mut session) = self.session.try_lock() else {
            return;
        };
        if let Some(s) = session.as_mut() {
            (s.day, s.used) = (day, used);
            if let Err(e) = self.save(s) {
                tracing::warn!("{e}");
            }
        }
    }

    fn save(&self, s: &Session) -> Result<(), ChannelError> {
        let keeper = lock(&self.keeper).clone();
        match keeper {
            Some(k) => s.save(k.as_ref()),
            None => Ok(()),
        }
    }

    /// The access token to send now: the kept one, renewed when near its expiry; a new one
    /// from the code when none is kept or the config gives another code. `stale`: Tray
    /// refused the one held, renew it whatever its date.
    async fn token(&self, stale: bool) -> Result<String, ChannelError> {
        let mut held = self.session.lock().await;
        if held.is_none() {
            let keeper = lock(&self.keeper).clone();
            if let Some(k) = keeper {
                *held = Session::load(k.as_ref())?;
                if let Some(s) = held.as_ref() {
                    // Kept tokens are scrubbed from whatever Tray answers, as fresh ones are.
                    self.http.hide(&s.access_token);
                    self.http.hide(&s.refresh_token);
                    lock(&self.spent).resume(s.day, s.used);
                }
            }
        }
        let now = Utc::now();
        let fresh = match held.as_ref() {
            Some(s) if s.code == fingerprint(&self.code) && !stale && !s.needs_renewal(now) => {
                self.http.hide(&s.access_token);
                return Ok(s.access_token.clone());
            }
            Some(s) if s.code == fingerprint(&self.code) => {
                if !s.refresh_usable(now) {
                    return Err(new_code("its refresh token expired"));
                }
                self.refresh(&s.refresh_token).await?
            }
            _ => self.authorise().await?,
        };
        let mut fresh = fresh;
        (fresh.day, fresh.used) = lock(&self.spent).today();
        self.http.hide(&fresh.access_token);
        self.http.hide(&fresh.refresh_token);
        // Held before it is kept: Tray has spent the old refresh token, so new tokens that
        // could not be written are still used (and written again at the next save).
        let token = fresh.access_token.clone();
        let kept = self.save(&fresh);
        *held = Some(fresh);
        if let Err(e) = kept {
            tracing::warn!("Tray's new tokens are in use but could not be kept in the store: {e}");
        }
        Ok(token)
    }

    /// `POST /auth` with the consumer key and secret and the code.
    async fn authorise(&self) -> Result<Session, ChannelError> {
        tracing::info!("asking Tray for an access token with the store's code");
        let form = format!(
            "consumer_key={}&consumer_secret={}&code={}",
            url_encoded(&self.key),
            url_encoded(&self.secret),
            url_encoded(&self.code)
        );
        let request = Request::get(self.url("auth")).with_text(
            Method::POST,
            "application/x-www-form-urlencoded",
            form,
        );
        let body = self
            .raw(Kind::Query, "auth", &request, read_token)
            .await
            .map_err(|e| match e {
                ChannelError::Auth(why) => ChannelError::Auth(format!(
                    "Tray refused the code ({why}): issue a new code for the app in the Tray \
                     store's admin and give it in code_env or code_file"
                )),
                e => e,
            })?;
        Session::from_answer(&body, &self.code)
    }

    /// `GET /auth?refresh_token=`.
    async fn refresh(&self, refresh_token: &str) -> Result<Session, ChannelError> {
        tracing::info!("renewing Tray's access token");
        let request = Request::get(self.url("auth")).with_query("refresh_token", refresh_token);
        let body = self
            .raw(Kind::Query, "token renewal", &request, read_token)
            .await
            .map_err(|e| match e {
                ChannelError::Auth(why) => new_code(&format!("it refused the renewal ({why})")),
                e => e,
            })?;
        Session::from_answer(&body, &self.code)
    }

    /// A request with the access token; once more with a renewed one when Tray refuses it.
    async fn send<T>(
        &self,
        kind: Kind,
        what: &str,
        request: &Request,
        read: impl Fn(Answer) -> Attempt<T> + Copy,
    ) -> Result<T, ChannelError> {
        let token = self.token(false).await?;
        let first = request.clone().with_query("access_token", token);
        match self.raw(kind, what, &first, read).await {
            Err(ChannelError::Auth(why)) => {
                tracing::info!("Tray refused the access token ({why}); renewing it once");
                let token = self.token(true).await?;
                let again = request.clone().with_query("access_token", token);
                self.raw(kind, what, &again, read).await
            }
            other => other,
        }
    }

    /// A read: the answer's JSON, or `None` for a 404.
    pub async fn get(&self, what: &str, request: Request) -> Result<Option<Value>, ChannelError> {
        self.send(Kind::Query, what, &request, answers::json_or_missing)
            .await
    }

    /// A change (PUT): never sent again once it may have reached the shop.
    pub async fn change(&self, what: &str, request: Request) -> Result<Changed, ChannelError> {
        self.send(Kind::Mutation, what, &request, answers::changed)
            .await
    }
}

/// Tray's refusal to renew the access: the operator must authorise the app again.
fn new_code(why: &str) -> ChannelError {
    ChannelError::Auth(format!(
        "Tray cannot renew the store's access token: {why}. Issue a new code for the app in \
         the Tray store's admin and give it in code_env or code_file"
    ))
}

fn read_token(answer: Answer) -> Attempt<Value> {
    if !answer.status.is_success() {
        return Attempt::Fail(ChannelError::Auth(answer.words()));
    }
    answers::json(answer)
}

/// Tray's error body: its message and causes.
pub fn tray_words(text: &str) -> Option<String> {
    let v = serde_json::from_str::<Value>(text).ok()?;
    let message = v.get("message").and_then(Value::as_str)?.trim().to_string();
    let causes: Vec<String> = match v.get("causes") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    Some(if causes.is_empty() {
        message
    } else {
        format!("{message}: {}", causes.join("; "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tray_s_error_bodies_and_forms_read() {
        let body = r#"{"message":"Unauthorized","causes":["Invalid access token"],"code":401}"#;
        assert_eq!(
            tray_words(body).as_deref(),
            Some("Unauthorized: Invalid access token")
        );
        assert_eq!(tray_words("<html>"), None);
        let e = Api::new("http://x", "k".into(), " ".into(), "c".into()).unwrap_err();
        assert!(e.to_string().contains("consumer secret"), "{e}");
    }
}
