//! The [`Channel`](crate::channels::Channel) of a REST connector, written once: each of the
//! trait's calls goes to the connector's own `async fn orders_page(since, after)`,
//! `order(remote_id)`, `remote_order_state(remote_id)`, `push_change(remote_id, change)` and
//! `products_page(after)` (a catalog page).
//! None of these platforms takes an idempotency key: a push logs its key and does not send
//! it; what each push reads at the shop first keeps a change from being made twice.

/// `rest_channel!(Type, "name", "Title")`, or with the trait's optional methods the
/// connector has (a session, a budget) in braces after the title.
macro_rules! rest_channel {
    ($ty:ty, $name:literal, $title:literal $(, { $($extra:tt)* })?) => {
        impl $crate::channels::Channel for $ty {
            fn platform(&self) -> &'static str {
                $name
            }

            $($($extra)*)?

            fn fetch_orders_page<'a>(
                &'a self,
                since: chrono::DateTime<chrono::Utc>,
                after: Option<&'a str>,
            ) -> $crate::channels::BoxFuture<
                'a,
                Result<$crate::channels::OrdersPage, $crate::channels::ChannelError>,
            > {
                Box::pin(self.orders_page(since, after))
            }

            fn fetch_products_page<'a>(
                &'a self,
                after: Option<&'a str>,
            ) -> $crate::channels::BoxFuture<
                'a,
                Result<$crate::channels::CatalogPage, $crate::channels::ChannelError>,
            > {
                Box::pin(self.products_page(after))
            }

            fn fetch_order<'a>(
                &'a self,
                remote_id: &'a str,
            ) -> $crate::channels::BoxFuture<
                'a,
                Result<Option<$crate::channels::FetchedOrder>, $crate::channels::ChannelError>,
            > {
                Box::pin(self.order(remote_id))
            }

            fn order_state<'a>(
                &'a self,
                remote_id: &'a str,
            ) -> $crate::channels::BoxFuture<
                'a,
                Result<
                    Option<$crate::domain::outbox::RemoteOrderState>,
                    $crate::channels::ChannelError,
                >,
            > {
                Box::pin(self.remote_order_state(remote_id))
            }

            fn push<'a>(
                &'a self,
                remote_id: &'a str,
                change: &'a $crate::domain::outbox::ShopChange,
                key: &'a str,
            ) -> $crate::channels::BoxFuture<
                'a,
                Result<$crate::channels::PushOutcome, $crate::channels::ChannelError>,
            > {
                tracing::debug!(
                    remote_id,
                    key,
                    change = %change.describe(),
                    concat!("pushing to ", $title)
                );
                Box::pin(self.push_change(remote_id, change))
            }
        }
    };
}

pub(crate) use rest_channel;

/// In a `rest_channel!`'s braces: the connector sets stock, by its own
/// `async fn set_stock(levels)`.
macro_rules! sets_stock {
    () => {
        fn takes_stock(&self) -> bool {
            true
        }

        fn push_stock<'a>(
            &'a self,
            levels: &'a [$crate::domain::outbox::QueuedStock],
        ) -> $crate::channels::BoxFuture<
            'a,
            Result<Vec<(String, String)>, $crate::channels::ChannelError>,
        > {
            Box::pin(self.set_stock(levels))
        }
    };
}

pub(crate) use sets_stock;
