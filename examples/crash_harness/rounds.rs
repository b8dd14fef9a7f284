//! The two kinds of round and the checks after each.

use super::{HOLDING, Harness, Res};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

fn set(states: &[&str]) -> BTreeSet<String> {
    states.iter().map(|s| s.to_string()).collect()
}

impl Harness {
    /// Orders of `store` settled in one of `states`: (reference, state).
    fn settled_in(&self, store: &str, states: &[&str]) -> Vec<(String, String)> {
        let prefix = format!("{store}:");
        self.allowed
            .iter()
            .filter(|(r, s)| s.len() == 1 && r.starts_with(&prefix))
            .filter_map(|(r, s)| s.iter().next().map(|st| (r.clone(), st.clone())))
            .filter(|(_, st)| states.contains(&st.as_str()))
            .collect()
    }

    pub(super) fn sync_round(&mut self, round: u64, shop: usize) -> Res<()> {
        let store = self.shops[shop].store.clone();
        if self.rng.chance(30) {
            let list = self.settled_in(&store, &["booked", "ready_to_ship"]);
            if !list.is_empty() {
                let (order, _) = list[self.rng.below(list.len() as u64) as usize].clone();
                if let Some(remote) = self.remote.get(&order) {
                    // Shopify's `gid://shopify/Order/ID` or a plain id: the test API takes ID.
                    let id = remote.rsplit('/').next().unwrap_or_default().to_string();
                    let path = format!("/_sim/orders/{id}");
                    self.http(shop, "POST", &path, Some(json!({"cancel": true})))?;
                    self.allowed.insert(order, set(&["cancelled"]));
                    self.shop_cancels += 1;
                }
            }
        }
        // This shop's store alone: the kill lands in its run.
        let config = self.shops[shop].config.clone();
        if self.killed(round, &store, &config, &["sync", "--once"], "sync")? {
            *self.kills.entry((store, "sync")).or_default() += 1;
        }
        Ok(())
    }

    pub(super) fn action_round(&mut self, round: u64, shop: usize) -> Res<()> {
        let store = self.shops[shop].store.clone();
        let list = self.settled_in(&store, &["booked", "ready_to_ship"]);
        if list.is_empty() {
            return self.sync_round(round, shop);
        }
        let (reference, state) = list[self.rng.below(list.len() as u64) as usize].clone();
        // Six characters or more with a digit: what a shop reads as a tracking number in a note.
        let tracking = format!("T{round:06}");
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
        let config = self.home.join("orderdesk.toml");
        for (i, step) in steps.iter().enumerate() {
            let mut args = vec!["order", reference.as_str()];
            args.extend(step.iter().copied());
            allowed.insert(match step[1] {
                "refused" => "refused".to_string(),
                "shipped" => {
                    self.tracking.insert(reference.clone(), tracking.clone());
                    "shipped".to_string()
                }
                _ => "ready_to_ship".to_string(),
            });
            let kind = format!("order {}", step[1]);
            if i < kill_step {
                let ran = self.run_to(&config, &args, &format!("{store} {kind}"), None)?;
                if ran.code != 0 {
                    break; // not allowed for this order (a pickup order, say): nothing to send
                }
                continue;
            }
            if drop {
                let fault = json!({"drop_after_apply_next": 1});
                self.http(shop, "POST", "/_sim/faults", Some(fault))?;
                self.drops_armed += 1;
            }
            if self.killed(round, &store, &config, &args, &kind)? {
                *self.kills.entry((store.clone(), "action")).or_default() += 1;
            }
            break;
        }
        self.allowed.insert(reference, allowed);
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
            let text = |k: &str| o[k].as_str().unwrap_or_default().to_string();
            let store = text("store");
            let remote = text("remote_id");
            *by_remote.entry(format!("{store}:{remote}")).or_default() += 1;
            let order = format!("{store}:{}", text("name").trim_start_matches('#'));
            let state = text("state");
            seen.insert(order.clone());
            match self.allowed.get(&order) {
                None => fail(format!(
                    "order {order} is stored but its simulator gave no eligible order so named"
                )),
                Some(a) if !a.contains(&state) => {
                    fail(format!("order {order} is {state}, expected one of {a:?}"))
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
            observed.push((order, state, remote));
        }
        for (remote, n) in &by_remote {
            if *n != 1 {
                fail(format!("order {remote} is stored {n} times"));
            }
        }
        for order in self.allowed.keys().filter(|n| !seen.contains(*n)) {
            fail(format!("eligible order {order} is not in the store"));
        }
        // Stock: start minus what holding orders of every store took.
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
        // The shops: no change of one kind twice for an order; every shipment and refusal
        // arrived.
        let kinds = self.shop_logs()?;
        for ((order, kind), list) in &kinds {
            if list.len() > 1 {
                fail(format!(
                    "the shop got {} {kind} for order {order}",
                    list.len()
                ));
            }
        }
        let ships_with_status: BTreeSet<&str> = self
            .shops
            .iter()
            .filter(|s| s.ships_with_status)
            .map(|s| s.store.as_str())
            .collect();
        for (order, state, _) in &observed {
            let got = |k: &str| kinds.get(&(order.clone(), k.to_string()));
            if state == "shipped" {
                match (got("fulfillment_create"), self.tracking.get(order)) {
                    (None, _) => fail(format!("shipped order {order} never reached the shop")),
                    (Some(l), Some(t)) if l[0]["tracking_number"] != t.as_str() => fail(format!(
                        "order {order} reached the shop with tracking {} not {t}",
                        l[0]["tracking_number"]
                    )),
                    _ => {}
                }
                let store = order.split(':').next().unwrap_or_default();
                if ships_with_status.contains(store) && got("order_update").is_none() {
                    fail(format!(
                        "shipped order {order} never got its status at the shop"
                    ));
                }
            }
            if state == "refused" && got("order_cancel").is_none() {
                fail(format!(
                    "refused order {order} was never cancelled at the shop"
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
        for (order, state, remote) in observed {
            self.allowed.insert(order.clone(), set(&[&state]));
            self.remote.insert(order, remote);
        }
        Ok(())
    }

    /// What every shop received (`GET /_sim/log`), by (order reference, kind of change).
    fn shop_logs(&self) -> Res<BTreeMap<(String, String), Vec<Value>>> {
        let mut kinds: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
        for (i, shop) in self.shops.iter().enumerate() {
            let log = self.http(i, "GET", "/_sim/log", None)?;
            for e in log.as_array().into_iter().flatten() {
                // Changes to no order (Shopify's inventory) are not the orders' changes.
                let Some(name) = e["order_name"].as_str() else {
                    continue;
                };
                let order = format!("{}:{}", shop.store, name.trim_start_matches('#'));
                let kind = e["kind"].as_str().unwrap_or_default().to_string();
                kinds.entry((order, kind)).or_default().push(e.clone());
            }
        }
        Ok(kinds)
    }

    /// Orders stored, and the changes each shop received, by kind.
    pub(super) fn totals(&self) -> Res<(usize, String)> {
        let orders = self
            .json(&["orders", "--json"])?
            .as_array()
            .map_or(0, Vec::len);
        let mut parts = Vec::new();
        for (i, shop) in self.shops.iter().enumerate() {
            let log = self.http(i, "GET", "/_sim/log", None)?;
            let mut by: BTreeMap<String, u64> = BTreeMap::new();
            for e in log.as_array().into_iter().flatten() {
                *by.entry(e["kind"].as_str().unwrap_or("?").to_string())
                    .or_default() += 1;
            }
            let total: u64 = by.values().sum();
            let kinds: Vec<String> = by.iter().map(|(k, n)| format!("{k} {n}")).collect();
            parts.push(format!("{} {total} ({})", shop.store, kinds.join(", ")));
        }
        Ok((orders, parts.join("; ")))
    }
}
