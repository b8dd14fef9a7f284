//! Shopify's GraphQL Admin API 2026-10.
