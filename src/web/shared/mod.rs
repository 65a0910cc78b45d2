//! What every audience's pages share: the signed-in user and its access rules, language
//! negotiation, rendering and template loading, display formats for charts, client addresses,
//! error pages, static assets and the health probes.
pub mod assets;
pub mod auth;
pub mod authz;
pub mod charts;
pub mod client;
pub mod download;
pub mod health;
pub mod lang;
pub mod middleware;
pub mod page;
pub mod render;
pub mod sign_in;
pub mod templates;
