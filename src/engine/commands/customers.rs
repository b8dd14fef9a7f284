//! Identifying customers: search, link, create, edit.

use super::*;

impl Engine {
    /// Customers whose name words start with the query's words (case and diacritics folded),
    /// from the name index; an email or phone query looks those up exactly.
    pub fn search_customers(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Customer>, EngineError> {
        let q = query.trim();
        let ids: Vec<String> = if q.contains('@') {
            text::email_key(q)
                .map(|e| self.store().customers_by_email(&e))
                .transpose()?
                .unwrap_or_default()
        } else if q.chars().filter(|c| c.is_ascii_digit()).count() >= 6
            && !q.chars().any(char::is_alphabetic)
        {
            match crate::domain::phone::normalize(q, None) {
                Some(p) => self.store().customers_by_phone(&p)?,
                None => vec![],
            }
        } else {
            let mut tokens = text::tokens(q);
            // The longest word drives the index scan: it narrows the candidates most.
            tokens.sort_by_key(|t| std::cmp::Reverse(t.len()));
            let Some((first, rest)) = tokens.split_first() else {
                return Ok(vec![]);
            };
            self.store().customers_by_name_words(first, rest, limit)?
        };
        let mut out = Vec::new();
        for id in ids.into_iter().take(limit) {
            if let Some(c) = self.store().customer(&id)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Products by exact SKU first, then SKU, name or id containing the query (folded).
    pub fn search_products(&self, query: &str, limit: usize) -> Result<Vec<Product>, EngineError> {
        let q = query.trim();
        let mut out: Vec<Product> = Vec::new();
        for id in self.store().products_by_sku(q)? {
            if let Some(p) = self.store().product(&id)? {
                out.push(p);
            }
        }
        for p in self.products(Some(q))? {
            if out.len() >= limit {
                break;
            }
            if !out.iter().any(|o| o.id == p.id) {
                out.push(p);
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Links the order's shop customer to `customer_id` (remembered for that shop) and runs
    /// intake again. Returns the order's new state.
    pub fn identify_customer(
        &self,
        order_id: u64,
        customer_id: &str,
    ) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if order.state != OrderState::CustomerIdNeeded {
            return Err(EngineError::Refused(format!(
                "{} does not need a customer (it is {})",
                order.display_name(),
                order.state.label()
            )));
        }
        let customer = self
            .store()
            .customer(customer_id)?
            .ok_or_else(|| EngineError::NotFound(format!("customer {customer_id}")))?;
        let state = self.link_and_reintake(
            &order,
            &customer.id,
            format!(
                "customer identified as {} {}",
                customer.id,
                customer.full_name()
            ),
            &|_| Ok(()),
        )?;
        drop(_g);
        self.done()?;
        Ok(state)
    }

    /// Remembers the link from the order's shop customer (or, for a guest order, the order
    /// itself) to a local customer, and runs intake again, in one transaction with `writes`.
    fn link_and_reintake(
        &self,
        order: &Order,
        customer_id: &str,
        why: String,
        writes: &dyn Fn(&Tx) -> Result<(), TxError>,
    ) -> Result<OrderState, EngineError> {
        let st = self.setting(&order.store)?.clone();
        let mut shop = self.kept_shop_order(order)?;
        // A guest order has no shop customer: the link is remembered for the order itself.
        let remote = match &shop.customer {
            Some(c) => c.remote_id.clone(),
            None => {
                let remote = format!("order-{}", shop.remote_id);
                let (first_name, last_name) = shop.person_name();
                shop.customer = Some(ShopCustomer {
                    remote_id: remote.clone(),
                    first_name,
                    last_name,
                    email: shop.email.clone(),
                    phone: shop.phone.clone(),
                });
                remote
            }
        };
        let store_id = st.id.clone();
        let cid = customer_id.to_string();
        let link_remote = remote.clone();
        self.reintake_with(
            &st,
            order,
            &shop,
            None,
            self.op("identified", why),
            Some((remote, customer_id.to_string())),
            vec![],
            &|tx| {
                writes(tx)?;
                tx.link_customer(&store_id, &link_remote, &cid)
            },
        )
    }

    /// Creates a customer (checked: email shape, phone normalised, at least one of the two),
    /// links it to the order's shop customer, and runs intake again.
    pub fn create_customer_for(
        &self,
        order_id: u64,
        draft: &CustomerDraft,
    ) -> Result<(String, OrderState), EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        if order.state != OrderState::CustomerIdNeeded {
            return Err(EngineError::Refused(format!(
                "{} does not need a customer (it is {})",
                order.display_name(),
                order.state.label()
            )));
        }
        let st = self.setting(&order.store)?.clone();
        let (email, phone) =
            check_customer(draft, st.intake.phone_region.as_deref()).map_err(FormErrors)?;
        let id = self.store().write(|tx| {
            new_id(tx, "customer", "C", |tx, id| {
                Ok(tx.get_customer(id)?.is_none())
            })
        })?;
        let c = customer_from(&id, draft, email, phone);
        let state = self.link_and_reintake(
            &order,
            &id,
            format!("customer {} {} created", id, c.full_name()),
            &|tx| tx.put_customer(&c),
        )?;
        drop(_g);
        self.done()?;
        Ok((id, state))
    }

    /// The order's data as a customer draft (for the create form, editable).
    pub fn customer_draft(&self, order_id: u64) -> Result<CustomerDraft, EngineError> {
        let order = self.order_of(order_id)?;
        let shop = self.store().shop_order(order_id)?;
        let (first_name, last_name) = shop.as_ref().map(|s| s.person_name()).unwrap_or_else(|| {
            (
                order.customer.first_name.clone(),
                order.customer.last_name.clone(),
            )
        });
        let addr = shop
            .as_ref()
            .and_then(|s| {
                s.billing_address
                    .clone()
                    .or_else(|| s.shipping_address.clone())
            })
            .unwrap_or_default();
        Ok(CustomerDraft {
            first_name,
            last_name,
            email: order.customer.email.clone().unwrap_or_default(),
            phone: shop
                .as_ref()
                .and_then(|s| s.phones().first().map(|p| p.to_string()))
                .or(order.customer.phone.clone())
                .unwrap_or_default(),
            address: [addr.address1.trim(), addr.address2.trim()]
                .join(" ")
                .trim()
                .to_string(),
            city: addr.city,
            postal_code: addr.postal_code,
            country: addr.country,
        })
    }

    /// Edits a customer, with the same checks as creating one.
    pub fn update_customer(
        &self,
        customer_id: &str,
        draft: &CustomerDraft,
    ) -> Result<Customer, EngineError> {
        let _g = self.lock();
        let old = self
            .store()
            .customer(customer_id)?
            .ok_or_else(|| EngineError::NotFound(format!("customer {customer_id}")))?;
        let region = self
            .settings()
            .first()
            .and_then(|s| s.intake.phone_region.clone());
        let (email, phone) = check_customer(draft, region.as_deref()).map_err(FormErrors)?;
        let mut c = customer_from(customer_id, draft, email, phone);
        c.remote_ids = old.remote_ids.clone();
        c.unspecified_for = old.unspecified_for.clone();
        self.store().write(|tx| tx.put_customer(&c))?;
        drop(_g);
        self.done()?;
        Ok(c)
    }
}
