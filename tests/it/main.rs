//! Integration tests: the real server on a random port, a real database (SQLite, or PostgreSQL
//! when DATABASE_URL points to one) and a real SMTP server.
mod api_intake;
mod auth;
mod form_intake;
mod lifecycle;
mod mail;
mod pages;
mod scale_out;
mod support;
