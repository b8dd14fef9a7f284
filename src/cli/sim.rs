//! `orderdesk sim`: a shop simulator on loopback.

use super::common::Failure;
use crate::sim::SimSpec;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct SimArgs {
    /// The platform to simulate.
    #[arg(long, default_value = crate::platforms::PLATFORMS[0].platform.name)]
    pub platform: String,
    /// Where to listen, e.g. 127.0.0.1:0 (0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: String,
    #[arg(long, default_value_t = 200)]
    pub orders: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value = "EUR")]
    pub currency: String,
    /// Accept only this credential (default: any non-empty one); `KEY:SECRET` for a
    /// platform with a key and a secret, `KEY:SECRET:CODE` for one that adds a store's code,
    /// `USER:PASSWORD` for one with an API user.
    #[arg(long)]
    pub token: Option<String>,
    /// The cost bucket's size, in points.
    #[arg(long, default_value_t = 1000)]
    pub bucket: u32,
    /// Points restored per second.
    #[arg(long, default_value_t = 100)]
    pub restore: u32,
    /// Generated products the shop's catalog has beyond the seeded ones (e.g. 50000 for the
    /// catalog sync benchmark).
    #[arg(long, default_value_t = 0)]
    pub catalog: usize,
    /// Write products.csv, customers.csv and expected.json here first.
    #[arg(long, value_name = "DIR")]
    pub export: Option<PathBuf>,
    /// Faults armed from the start, as `POST /_sim/faults` takes them, e.g.
    /// '{"unauthorized_next": 3}' or '{"rate_limit_next": 2, "retry_after": 1}'.
    #[arg(long, value_name = "JSON")]
    pub faults: Option<String>,
}

pub async fn sim(a: SimArgs) -> Result<i32, Failure> {
    let usage = |message: String| {
        let mut f = Failure::new("usage", message);
        f.exit = 2;
        f
    };
    let name = a.platform.trim().to_lowercase();
    let row = crate::platforms::find(&name).ok_or_else(|| {
        usage(format!(
            "unknown platform \"{name}\" (one of: {})",
            crate::platforms::names().join(", ")
        ))
    })?;
    let Some(sim) = &row.simulator else {
        let with: Vec<&str> = crate::platforms::PLATFORMS
            .iter()
            .filter(|r| r.simulator.is_some())
            .map(|r| r.platform.name)
            .collect();
        return Err(Failure::new(
            "usage",
            format!(
                "platform {name} has no simulator yet (these have: {})",
                with.join(", ")
            ),
        ));
    };
    let armed = match &a.faults {
        Some(json) => (sim.parse_faults)(json).map_err(|e| usage(format!("--faults: {e}")))?,
        None => Default::default(),
    };
    let spec = SimSpec {
        orders: a.orders,
        seed: a.seed,
        currency: a.currency.to_uppercase(),
        credential: a.token,
        bucket: a.bucket,
        restore: a.restore,
        catalog: a.catalog,
    };
    crate::sim::run(sim, spec, &a.listen, a.export.as_deref(), armed)
        .await
        .map_err(|e| Failure::new("sim", e.to_string()))?;
    Ok(0)
}
