//! Company accounts: the portal, its API, signed answer links and what a company may never see.
mod api;
mod authz;
mod invite;
mod links;
mod portal;
pub(crate) mod support;
