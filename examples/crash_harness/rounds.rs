//! The two kinds of round and the checks after each.

use super::{HOLDING, Harness, Res};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

fn set(states: &[&str]) -> BTreeSet<String> {
    states.iter().map(|s| s.to_string()).collect()
}

impl Harness {
    /// Orders settled in one of `states`, by name.
    fn settled_in(&self, states: &[&str]) -> Vec<(String, String)> {
        self.allowed
            .iter()
            .filter(|(_, s)| s.len() == 1)
            .filter_map(|(n, s)| s.iter().next().map(|st| (n.clone(), st.clone())))
            .filter(|(_, st)| states.contains(&st.as_str()))
            .collect()
    }

    pub(super) fn sync_round(&mut self, round: u64) -> Res<()> {
        if self.rng.chance(30) {
            let list = self.settled_in(&["booked", "ready_to_ship"]);
            if !list.is_empty() {
                let (name, _) = list[self.rng.below(list.len() as u64) as usize].clone();
                if let Some(remote) = self.remote.get(&name) {
                    let legacy = remote.rsplit('/').next().unwrap_or_default().to_string();
                    let path = format!("/_sim/orders/{legacy}");
                    self.http("POST", &path, Some(json!({"cancel": true})))?;
                    self.allowed.insert(name, set(&["cancelled"]));
                    self.shop_cancels += 1;
                }
            }
        }
        if self.killed(round, &["sync", "--once"], "sync")? {
            self.kills_sync += 1;
        }
        Ok(())
    }

    pub(super) fn action_round(&mut self, round: u64) -> Res<()> {
        let list = self.settled_in(&["booked", "ready_to_ship"]);
        if list.is_empty() {
            return self.sync_round(round);
        }
        let (name, state) = list[self.rng.below(list.len() as u64) as usize].clone();
        let reference = format!("web:{name}");
        let tracking = format!("T{round}");
        let refuse = self.rng.chance(35);
        let steps: Vec<Vec<&str>> = if refuse {
            vec![vec!["status", "refused", "--reason", "x", "--yes"]]
        } else {
            let ship = vec![
                "status",
                "shipped",
                "--carrier",
                "DHL",
                "--tracking",
                &tracking,
            ];
            if state == "booked" {
                vec![vec!["status", "ready-to-ship"], ship]
            } else {
                vec![ship]
            }
        };
        let kill_step = self.rng.below(steps.len() as u64) as usize;
        let drop = self.rng.chance(25);
        let mut allowed = set(&[&state]);
        for (i, step) in steps.iter().enumerate() {
            let mut args = vec!["order", reference.as_str()];
            args.extend(step.iter().copied());
            allowed.insert(match step[1] {
                "refused" => "refused".to_string(),
                "shipped" => {
                    self.tracking.insert(name.clone(), tracking.clone());
                    "shipped".to_string()
                }
                _ => "ready_to_ship".to_string(),
            });
            let kind = format!("order {}", step[1]);
            if i < kill_step {
                if self.run_to(&args, &kind, None)?.code != 0 {
                    break; // not allowed for this order (a pickup order, say): nothing to send
                }
                continue;
            }
            if drop {
                self.http(
                    "POST",
                    "/_sim/faults",
                    Some(json!({"drop_after_apply_next": 1})),
                )?;
                self.drops_armed += 1;
            }
            if self.killed(round, &args, &kind)? {
                self.kills_action += 1;
            }
            break;
        }
        self.allowed.insert(name, allowed);
        Ok(())
    }

    pub(super) fn verify(&mut self, round: u64) -> Res<()> {
        let mut errs: Vec<String> = Vec::new();
        let mut fail = |m: String| errs.push(format!("round {round}: {m}"));
        let orders = self.json(&["orders", "--json"])?;
        let orders = orders.as_array().cloned().unwrap_or_default();
        let mut by_remote: BTreeMap<String, u32> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        let mut held: BTreeMap<String, i64> = BTreeMap::new();
        let mut observed = Vec::new();
        for o in &orders {
            let remote = o["remote_id"].as_str().unwrap_or_default().to_string();
            *by_remote.entry(remote.clone()).or_default() += 1;
            let name = o["name"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches('#')
                .to_string();
            let state = o["state"].as_str().unwrap_or_default().to_string();
            seen.insert(name.clone());
            match self.allowed.get(&name) {
                None => fail(format!(
                    "order {name} is stored but the simulator gave no eligible order so named"
                )),
                Some(a) if !a.contains(&state) => {
                    fail(format!("order {name} is {state}, expected one of {a:?}"))
                }
                Some(_) => {}
            }
            if HOLDING.contains(&state.as_str()) {
                for l in o["lines"].as_array().into_iter().flatten() {
                    if let Some(pid) = l["match"]["product_id"].as_str() {
                        *held.entry(pid.to_string()).or_default() +=
                            l["quantity"].as_i64().unwrap_or(0);
                    }
                }
            }
            observed.push((name, state, remote));
        }
        for (remote, n) in &by_remote {
            if *n != 1 {
                fail(format!("order {remote} is stored {n} times"));
            }
        }
        for name in self.allowed.keys().filter(|n| !seen.contains(*n)) {
            fail(format!("eligible order {name} is not in the store"));
        }
        // Stock: start minus what holding orders took.
        let products = self.json(&["products", "--json"])?;
        for p in products.as_array().into_iter().flatten() {
            let id = p["id"].as_str().unwrap_or_default();
            let want =
                self.start_stock.get(id).copied().unwrap_or(0) - held.get(id).copied().unwrap_or(0);
            if p["stock"].as_i64() != Some(want) {
                fail(format!(
                    "product {id}: stock {} but start minus holding orders is {want}",
                    p["stock"]
                ));
            }
        }
        // The shop: nothing twice; every shipment and refusal arrived.
        let log = self.http("GET", "/_sim/log", None)?;
        let mut kinds: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
        for e in log.as_array().into_iter().flatten() {
            let name = e["order_name"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches('#')
                .to_string();
            let kind = e["kind"].as_str().unwrap_or_default().to_string();
            kinds.entry((name, kind)).or_default().push(e.clone());
        }
        for ((name, kind), list) in &kinds {
            if (kind == "fulfillment_create" || kind == "order_cancel") && list.len() > 1 {
                fail(format!(
                    "the shop got {} {kind} for order {name}",
                    list.len()
                ));
            }
        }
        for (name, state, _) in &observed {
            let got = |k: &str| kinds.get(&(name.clone(), k.to_string()));
            if state == "shipped" {
                match (got("fulfillment_create"), self.tracking.get(name)) {
                    (None, _) => fail(format!("shipped order {name} never reached the shop")),
                    (Some(l), Some(t)) if l[0]["tracking_number"] != t.as_str() => fail(format!(
                        "order {name} reached the shop with tracking {} not {t}",
                        l[0]["tracking_number"]
                    )),
                    _ => {}
                }
            }
            if state == "refused" && got("order_cancel").is_none() {
                fail(format!(
                    "refused order {name} was never cancelled at the shop"
                ));
            }
        }
        let status = self.json(&["status", "--json"])?;
        let (pending, failed) = (&status["outbox"]["pending"], &status["outbox"]["failed"]);
        if pending != 0 || failed != 0 {
            fail(format!(
                "the outbox is not empty after the finishing sync: pending {pending}, failed {failed}"
            ));
        }
        let (code, out) = self.od(&["check"])?;
        if code != 0 {
            fail(format!("orderdesk check found the store damaged:\n{out}"));
        }
        self.failures.extend(errs);
        for (name, state, remote) in observed {
            self.allowed.insert(name.clone(), set(&[&state]));
            self.remote.insert(name, remote);
        }
        Ok(())
    }

    /// Orders stored and changes the shop received, by kind.
    pub(super) fn totals(&self) -> Res<(usize, String)> {
        let orders = self
            .json(&["orders", "--json"])?
            .as_array()
            .map_or(0, Vec::len);
        let log = self.http("GET", "/_sim/log", None)?;
        let mut by: BTreeMap<String, u64> = BTreeMap::new();
        for e in log.as_array().into_iter().flatten() {
            *by.entry(e["kind"].as_str().unwrap_or("?").to_string())
                .or_default() += 1;
        }
        let total: u64 = by.values().sum();
        let parts: Vec<String> = by.iter().map(|(k, n)| format!("{k} {n}")).collect();
        Ok((orders, format!("{total} ({})", parts.join(", "))))
    }
}
